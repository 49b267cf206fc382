// The outlet desk: GET /desk (the caller's outlets' orders with what needs doing), POST
// /desk/documents/:id/reprocess, and the redaction review, GET and POST /desk/documents/:id/redactions
// and POST /desk/redactions/:id. Each calls what the API's route calls (listDeskOrders narrows the same
// visibility rule; reprocessDocument, addRedaction, decideRedaction) and comes back to the page it was
// sent from.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canDecideRedactions } from '../../auth/orderAccess.ts';
import { reprocessDocument } from '../../commands/documentReprocessor.ts';
import { addRedaction, decideRedaction } from '../../commands/redactionDecisions.ts';
import { listDeskOrders } from '../../records/deskRecords.ts';
import { findDocumentReadUnredacted, readDocumentDetail } from '../../records/documentRecords.ts';
import { listRedactions } from '../../records/redactionRecords.ts';
import { Cursor } from '../../schemas/common.ts';
import { DocumentIdParam } from '../../schemas/documents.ts';
import { REDACTION_KINDS, RedactionIdParam, type RedactionKind } from '../../schemas/redactions.ts';
import { messagesFor } from '../i18n/messages.ts';
import { pageContextOf, safeReturnPath } from '../pageContext.ts';
import { renderDeskPage } from '../pages/deskPage.tsx';
import { renderRedactionReviewPage, type AddRedactionForm } from '../pages/redactionReviewPage.tsx';

const DESK_PAGE_SIZE = 20;
const REVIEW_LIMIT = 500;
const PAGE_IMAGE_ROUTE = '/api/documents/:id/pages/:n/image';

const DeskQuery = Type.Object({
  cursor: Type.Optional(Cursor),
  saved: Type.Optional(Type.String({ pattern: '^TD-[0-9]{4}-[0-9]{5,15}$' })),
});
const NextBody = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) });
const DecisionBody = Type.Object({
  state: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]),
});
const AddBody = Type.Object({
  page: Type.Optional(Type.String({ maxLength: 10 })),
  text: Type.Optional(Type.String({ maxLength: 2000 })),
  kind: Type.Optional(Type.String({ maxLength: 40 })),
});

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

  /** The document, for those who read it unredacted (the API's GET .../redactions rule); else 404. */
  // Only those who read the document unredacted review it, and they download the original.
  const reviewedDocument = (request: FastifyRequest, id: number) =>
    findDocumentReadUnredacted(app.db, request.caller, id);

  const showReview = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    id: number,
    add: AddRedactionForm,
  ) => {
    const row = await reviewedDocument(request, id);
    const [document, redactions] = await Promise.all([
      readDocumentDetail(app.db, row, { redacted: false, download: 'original' }),
      listRedactions(app.db, { documentId: row.id }, { limit: REVIEW_LIMIT }),
    ]);
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        renderRedactionReviewPage(pageContextOf(request, reply), {
          document,
          redactions: redactions.items,
          more: redactions.next_cursor !== null,
          mayDecide: canDecideRedactions(request.caller, row.order_access),
          pageImages: app.hasRoute({ method: 'GET', url: PAGE_IMAGE_ROUTE }),
          add,
        }),
      );
  };

  app.get(
    '/desk/documents/:id/redactions',
    { config: { access: 'member' }, schema: { hide: true, params: DocumentIdParam } },
    async (request, reply) =>
      showReview(request, reply, 200, request.params.id, {
        page: '1',
        text: '',
        kind: 'other',
        problems: [],
      }),
  );

  // Adds a redaction by its exact text: every place it is written on the chosen page is hidden.
  app.post(
    '/desk/documents/:id/redactions',
    { config: { access: 'member' }, schema: { hide: true, params: DocumentIdParam, body: AddBody } },
    async (request, reply) => {
      const { t } = messagesFor(request.locale);
      const id = request.params.id;
      const add: AddRedactionForm = {
        page: request.body.page ?? '1',
        text: request.body.text ?? '',
        kind: request.body.kind ?? 'other',
        problems: [],
      };
      const row = await reviewedDocument(request, id);
      const document = await readDocumentDetail(app.db, row, { redacted: false, download: 'original' });
      const page = document.pages.find((candidate) => String(candidate.number) === add.page);
      const kind = (REDACTION_KINDS as readonly string[]).includes(add.kind)
        ? (add.kind as RedactionKind)
        : 'other';
      const wanted = add.text.trim();
      if (!page) add.problems.push({ field: 'add-page', message: t('review.noSuchPage') });
      else if (!wanted) add.problems.push({ field: 'add-text', message: t('review.textMissing') });
      const starts: number[] = [];
      if (page && wanted) {
        for (
          let at = page.text.indexOf(wanted);
          at !== -1;
          at = page.text.indexOf(wanted, at + wanted.length)
        ) {
          starts.push(at);
        }
        if (starts.length === 0) add.problems.push({ field: 'add-text', message: t('review.textNotFound') });
      }
      if (add.problems.length) return showReview(request, reply, 400, id, add);
      for (const start of starts) {
        await addRedaction(
          { db: app.db, jobs: app.jobs },
          {
            caller: request.caller,
            documentId: id,
            input: { page: page!.number, start, end: start + wanted.length, kind },
          },
        );
      }
      return reply.redirect(`/desk/documents/${id}/redactions#page-${page!.number}`, 303);
    },
  );

  app.post(
    '/desk/redactions/:id',
    { config: { access: 'member' }, schema: { hide: true, params: RedactionIdParam, body: DecisionBody } },
    async (request, reply) => {
      const redaction = await decideRedaction(
        { db: app.db, jobs: app.jobs },
        { caller: request.caller, redactionId: request.params.id, decision: { state: request.body.state } },
      );
      return reply.redirect(
        `/desk/documents/${redaction.document_id}/redactions#page-${redaction.page}`,
        303,
      );
    },
  );
};

export default deskPageRoutes;
