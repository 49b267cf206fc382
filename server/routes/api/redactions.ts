// Redactions of a document's text and of an order's own texts (list, add, accept or reject, remove), and
// the document's own setting an editor changes (its original file publishable). Who reads and who decides: auth/orderAccess.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { canSeeOrder, canSeeUnredacted, UNREDACTED_RULE } from '../../auth/orderAccess.ts';
import { addOrderFieldRedaction } from '../../commands/orderFieldRedactions.ts';
import { changeDocument } from '../../commands/originalPublisher.ts';
import { addRedaction, decideRedaction, removeRedaction } from '../../commands/redactionDecisions.ts';
import { notFound } from '../../errors.ts';
import { findDocumentReadUnredacted } from '../../records/documentRecords.ts';
import { findOrderRow } from '../../records/orderRecords.ts';
import { listRedactions } from '../../records/redactionRecords.ts';
import { errors } from '../../schemas/common.ts';
import { DocumentIdParam, DocumentSummary } from '../../schemas/documents.ts';
import { OrderIdParam } from '../../schemas/orders.ts';
import {
  DocumentChange,
  OrderFieldRedactionInput,
  Redaction,
  RedactionDecision,
  RedactionIdParam,
  RedactionInput,
  RedactionListQuery,
} from '../../schemas/redactions.ts';
import { pageOf } from '../../schemas/references.ts';

const security = [{ bearerToken: [] }];
const WHO_DECIDES =
  'An editor, or the order’s own outlet (a read-only token none). Audited; the order is sent to search ' +
  'again with the change burned into its public copy.';

const redactionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/documents/:id/redactions',
    {
      schema: {
        tags: ['redactions'],
        summary: 'A document’s redactions, with the text each hides',
        description:
          `Only for those who read the document unredacted: ${UNREDACTED_RULE}. Anyone else gets 404. ` +
          'Pass next_cursor as cursor for the next page.',
        params: DocumentIdParam,
        querystring: RedactionListQuery,
        response: { 200: pageOf(Redaction), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const row = await findDocumentReadUnredacted(app.db, request.caller, request.params.id);
      return listRedactions(app.db, { documentId: row.id }, request.query);
    },
  );

  app.post(
    '/documents/:id/redactions',
    {
      config: { access: 'member' },
      schema: {
        tags: ['redactions'],
        summary: 'Hide a span of a page’s text (accepted at once)',
        description: `${WHO_DECIDES} start and end are offsets in the page’s text as GET /api/documents/:id gives it to you.`,
        security,
        params: DocumentIdParam,
        body: RedactionInput,
        response: { 201: Redaction, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await addRedaction(
          { db: app.db, jobs: app.jobs },
          {
            caller: request.caller,
            documentId: request.params.id,
            input: request.body,
          },
        ),
      ),
  );

  app.get(
    '/orders/:id/redactions',
    {
      schema: {
        tags: ['redactions'],
        summary: 'The redactions of an order’s own texts (summary, stated reason, threatened consequence)',
        description:
          `Only for those who read the order unredacted: ${UNREDACTED_RULE}. Anyone else gets 404. ` +
          'Accept, reject and remove them with /api/redactions/:id. Pass next_cursor as cursor for the next page.',
        params: OrderIdParam,
        querystring: RedactionListQuery,
        response: { 200: pageOf(Redaction), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const row = await findOrderRow(app.db, request.params.id);
      if (!row || !canSeeOrder(request.caller, row) || !canSeeUnredacted(request.caller, row)) {
        throw notFound(`There is no order ${request.params.id}`);
      }
      return listRedactions(app.db, { orderId: row.internal_id }, request.query);
    },
  );

  app.post(
    '/orders/:id/redactions',
    {
      config: { access: 'member' },
      schema: {
        tags: ['redactions'],
        summary: 'Hide a span of an order’s own text (accepted at once)',
        description: `${WHO_DECIDES} start and end are offsets in the field’s text as GET /api/orders/:id gives it to you.`,
        security,
        params: OrderIdParam,
        body: OrderFieldRedactionInput,
        response: { 201: Redaction, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await addOrderFieldRedaction(app.db, {
          caller: request.caller,
          orderId: request.params.id,
          input: request.body,
        }),
      ),
  );

  app.patch(
    '/redactions/:id',
    {
      config: { access: 'member' },
      schema: {
        tags: ['redactions'],
        summary: 'Accept or reject a redaction',
        description: `${WHO_DECIDES} An accepted one is hidden from the public; a rejected one is shown.`,
        security,
        params: RedactionIdParam,
        body: RedactionDecision,
        response: { 200: Redaction, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      decideRedaction(
        { db: app.db, jobs: app.jobs },
        {
          caller: request.caller,
          redactionId: request.params.id,
          decision: request.body,
        },
      ),
  );

  app.delete(
    '/redactions/:id',
    {
      config: { access: 'member' },
      schema: {
        tags: ['redactions'],
        summary: 'Remove a redaction someone added',
        description: `${WHO_DECIDES} One the archive proposed is rejected instead (409 here).`,
        security,
        params: RedactionIdParam,
        response: { 204: Type.Null({ description: 'removed' }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await removeRedaction(
        { db: app.db, jobs: app.jobs },
        { caller: request.caller, redactionId: request.params.id },
      );
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/documents/:id',
    {
      config: { access: 'editor' },
      schema: {
        tags: ['documents'],
        summary: 'Mark a document’s original file publishable (or not)',
        description:
          'Editors only. A publishable original is downloaded as it is by anyone who may see the order; ' +
          `otherwise only by those who read it unredacted (${UNREDACTED_RULE}). Audited.`,
        security,
        params: DocumentIdParam,
        body: DocumentChange,
        response: { 200: DocumentSummary, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      changeDocument(app.db, { caller: request.caller, documentId: request.params.id, change: request.body }),
  );
};

export default redactionRoutes;
