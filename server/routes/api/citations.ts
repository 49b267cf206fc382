// GET /api/orders/:id/citation: how to cite an order, in plain text, BibTeX, CSL-JSON or RIS, with the
// permalink and, for each document, its anchor, sha256 and place in the transparency log.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  bibtexCitation,
  cslCitation,
  plainCitation,
  risCitation,
  type CitationData,
} from '../../../domain/citations.ts';
import { canSeeOrder, ORDER_VISIBILITY_RULE } from '../../auth/orderAccess.ts';
import { notFound } from '../../errors.ts';
import { orderCitationData, readLogPlaces } from '../../records/orderCitation.ts';
import { findOrderRow, readOrderStory } from '../../records/orderRecords.ts';
import { orderRowAsReadBy } from '../../records/redactionRecords.ts';
import { errors } from '../../schemas/common.ts';
import { OrderIdParam } from '../../schemas/orders.ts';

const FORMATS = {
  text: { type: 'text/plain; charset=utf-8', format: plainCitation },
  bibtex: { type: 'application/x-bibtex; charset=utf-8', format: bibtexCitation },
  'csl-json': { type: 'application/vnd.citationstyles.csl+json; charset=utf-8', format: cslCitation },
  ris: { type: 'application/x-research-info-systems; charset=utf-8', format: risCitation },
} satisfies Record<string, { type: string; format: (data: CitationData) => string }>;

type CitationFormat = keyof typeof FORMATS;

const CitationQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Unsafe<CitationFormat>({
        type: 'string',
        enum: Object.keys(FORMATS),
        default: 'text',
        description: 'text (one paragraph), bibtex, csl-json or ris',
      }),
    ),
  },
  { additionalProperties: false },
);

const ARCHIVE_NAME = 'Takedown Archive';

const citationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/orders/:id/citation',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['orders'],
        summary: 'How to cite an order',
        description:
          `What each caller sees: ${ORDER_VISIBILITY_RULE}; a hidden order is 404. The citation carries the ` +
          'permalink and, for each document, its anchor on the order’s page, its sha256 and its leaf in the ' +
          'transparency log with the size of the latest checkpoint (docs/TRANSPARENCY-LOG.md).',
        params: OrderIdParam,
        querystring: CitationQuery,
        response: {
          200: Type.String({ description: 'the citation in the format asked for, with its media type' }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const row = await findOrderRow(app.db, request.params.id);
      if (!row || !canSeeOrder(request.caller, row)) throw notFound(`There is no order ${request.params.id}`);
      const story = await readOrderStory(app.db, await orderRowAsReadBy(app.db, request.caller, row));
      const log = await readLogPlaces(
        app.db,
        story.documents.map((document) => document.id),
      );
      const authority = story.authority?.name ?? null;
      const data = orderCitationData(
        story,
        {
          title: `Order ${story.id} by ${authority ?? 'an unknown authority'}`,
          authority,
          permalink: `${request.protocol}://${request.host}/orders/${story.id}`,
          accessedOn: new Date().toISOString().slice(0, 10),
          archiveName: ARCHIVE_NAME,
        },
        log,
      );
      const { type, format } = FORMATS[request.query.format ?? 'text'];
      return reply.type(type).send(format(data));
    },
  );
};

export default citationRoutes;
