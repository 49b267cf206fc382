// GET /orders/:id — an order's page, read with the same record and visibility rule as GET
// /api/orders/:id (a hidden order is the 404 page, never a 403), with the precedents GET
// /api/orders/:id/precedents finds.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSeeOrder, canSeeUnredacted, downloadFor } from '../../auth/orderAccess.ts';
import { notFound } from '../../errors.ts';
import { downloadFactsOf, listOrderDocumentPages } from '../../records/documentRecords.ts';
import { readLogPlaces } from '../../records/orderCitation.ts';
import { findOrderRow, readOrderStory } from '../../records/orderRecords.ts';
import { orderRowAsReadBy } from '../../records/redactionRecords.ts';
import { OrderIdParam } from '../../schemas/orders.ts';
import { findPrecedentsOf } from '../../search/precedentFinder.ts';
import { whenSearchable } from '../../search/searchAvailability.ts';
import { pageContextOf } from '../pageContext.ts';
import { renderOrderPage } from '../pages/orderPage.tsx';

const PRECEDENTS_SHOWN = 10;

const orderPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, meili: app.meili, config: app.config };
  app.get(
    '/orders/:id',
    { config: { access: 'anyone' }, schema: { hide: true, params: OrderIdParam } },
    async (request, reply) => {
      const { caller } = request;
      const row = await findOrderRow(app.db, request.params.id);
      if (!row || !canSeeOrder(caller, row)) throw notFound(`There is no order ${request.params.id}`);
      const [story, pages, precedents] = await Promise.all([
        orderRowAsReadBy(app.db, caller, row).then((readable) => readOrderStory(app.db, readable)),
        listOrderDocumentPages(app.db, row.internal_id, { redacted: !canSeeUnredacted(caller, row) }),
        // The story stands without its precedents: search being down costs the page that section only.
        whenSearchable(request.log, () => findPrecedentsOf(deps, caller, row, PRECEDENTS_SHOWN)).catch(
          () => null,
        ),
      ]);
      const log = await readLogPlaces(
        app.db,
        story.documents.map((document) => document.id),
      );
      // What each document's file link gives this reader, by the API's rule (its `download`): the original,
      // the redacted rendition of a PDF or an image, or nothing.
      const downloads = new Map(
        story.documents.map((document) => [document.id, downloadFor(caller, row, downloadFactsOf(document))]),
      );
      const ctx = pageContextOf(request, reply);
      const html = renderOrderPage(ctx, {
        story,
        pages,
        downloads,
        precedents: precedents ?? null,
        permalink: `${request.protocol}://${request.host}/orders/${story.id}`,
        today: new Date().toISOString().slice(0, 10),
        archiveName: ctx.messages.t('site.name'),
        log,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );
};

export default orderPageRoutes;
