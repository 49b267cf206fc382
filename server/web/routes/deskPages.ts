// The outlet desk: GET /desk (the caller's outlets' orders with what needs doing) and POST
// /desk/documents/:id/reprocess. Each calls what the API's route calls (listDeskOrders narrows the same
// visibility rule; reprocessDocument) and comes back to the page it was sent from. The redaction review
// is in redactionReviewPages.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { reprocessDocument } from '../../commands/documentReprocessor.ts';
import { listDeskOrders } from '../../records/deskRecords.ts';
import { Cursor } from '../../schemas/common.ts';
import { DocumentIdParam } from '../../schemas/documents.ts';
import { pageContextOf, safeReturnPath } from '../pageContext.ts';
import { renderDeskPage } from '../pages/deskPage.tsx';

const DESK_PAGE_SIZE = 20;

const DeskQuery = Type.Object({
  cursor: Type.Optional(Cursor),
  saved: Type.Optional(Type.String({ pattern: '^TD-[0-9]{4}-[0-9]{5,15}$' })),
});
const NextBody = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) });

const deskPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/desk',
    { config: { access: 'member' }, schema: { hide: true, querystring: DeskQuery } },
    async (request, reply) => {
      const page = await listDeskOrders(app.db, request.caller, {
        limit: DESK_PAGE_SIZE,
        cursor: request.query.cursor,
      });
      return reply.type('text/html; charset=utf-8').send(
        renderDeskPage(pageContextOf(request, reply), {
          orders: page.items,
          nextCursor: page.next_cursor,
          saved: request.query.saved ?? null,
          now: new Date(),
        }),
      );
    },
  );

  app.post(
    '/desk/documents/:id/reprocess',
    { config: { access: 'member' }, schema: { hide: true, params: DocumentIdParam, body: NextBody } },
    async (request, reply) => {
      await reprocessDocument(
        { db: app.db, jobs: app.jobs },
        { caller: request.caller, documentId: request.params.id, ocrLanguages: undefined },
      );
      return reply.redirect(safeReturnPath(request.body.next ?? '/desk'), 303);
    },
  );
};

export default deskPageRoutes;
