// The redaction review on the desk: a document's (GET and POST /desk/documents/:id/redactions, boxes drawn
// on a page's image with POST /desk/documents/:id/areas) and an order's own texts' (GET and POST
// /desk/orders/:id/redactions), with POST /desk/redactions/:id (accept or reject) and
// /desk/redactions/:id/remove (take back one someone added). Each calls what the API's route calls
// (addRedaction, addOrderFieldRedaction, decideRedaction, removeRedaction) and comes back to the page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canDecideRedactions, canSeeOrder, canSeeUnredacted } from '../../auth/orderAccess.ts';
import { addOrderFieldRedaction } from '../../commands/orderFieldRedactions.ts';
import { addRedaction, decideRedaction, removeRedaction } from '../../commands/redactionDecisions.ts';
import { notFound } from '../../errors.ts';
import {
  downloadFactsOf,
  findDocumentReadUnredacted,
  readDocumentDetail,
} from '../../records/documentRecords.ts';
import { findOrderRow } from '../../records/orderRecords.ts';
import { findRedaction, listRedactions } from '../../records/redactionRecords.ts';
import { DocumentIdParam } from '../../schemas/documents.ts';
import { OrderIdParam } from '../../schemas/orders.ts';
import {
  ORDER_TEXT_FIELDS,
  REDACTION_KINDS,
  RedactionIdParam,
  type OrderTextField,
  type RedactionArea,
  type RedactionKind,
} from '../../schemas/redactions.ts';
import { messagesFor, type Messages } from '../i18n/messages.ts';
import { pageContextOf, safeReturnPath, sendPage } from '../pageContext.ts';
import type { Problem } from '../pages/formParts.tsx';
import { renderOrderTextReviewPage, type FieldRedactionForm } from '../pages/orderTextReviewPage.tsx';
import {
  EMPTY_AREA_FORM,
  renderRedactionReviewPage,
  type AddRedactionForm,
  type AreaForm,
} from '../pages/redactionReviewPage.tsx';

const REVIEW_LIMIT = 500;
const PAGE_IMAGE_ROUTE = '/api/documents/:id/pages/:n/image';

const FormText = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const NextField = { next: FormText(2000) };
const DecisionBody = Type.Object({
  state: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]),
  ...NextField,
});
const RemoveBody = Type.Object(NextField);
const AddBody = Type.Object({ page: FormText(10), text: FormText(2000), kind: FormText(40) });
const AreaBody = Type.Object({
  page: FormText(10),
  x: FormText(20),
  y: FormText(20),
  width: FormText(20),
  height: FormText(20),
  kind: FormText(40),
});
const FieldAddBody = Type.Object({ field: FormText(40), text: FormText(2000), kind: FormText(40) });

const kindOf = (value: string): RedactionKind =>
  (REDACTION_KINDS as readonly string[]).includes(value) ? (value as RedactionKind) : 'other';

/** Where `wanted` is written in `text`: the start of each place, left to right, none overlapping. */
function placesOf(text: string, wanted: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf(wanted); at !== -1; at = text.indexOf(wanted, at + wanted.length)) {
    starts.push(at);
  }
  return starts;
}

/** A percentage typed into the box form ("12.5" or "12,5"), or undefined when it is not one. */
function percentOf(value: string): number | undefined {
  const trimmed = value.trim().replace(',', '.').replace(/%$/, '').trim();
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return number <= 100 ? number : undefined;
}

/**
 * The box the form describes, in the API's fractions of the page image, or the problems beside its fields.
 * The form speaks in percent of the image's width and height, from its top-left corner.
 */
function areaOf(
  form: AreaForm,
  pages: readonly number[],
  { t }: Messages,
): { area: RedactionArea; page: number } | { problems: Problem[] } {
  const problems: Problem[] = [];
  const page = pages.find((number) => String(number) === form.page.trim());
  if (page === undefined) problems.push({ field: 'area-page', message: t('review.noSuchPage') });
  const [x, y, width, height] = (['x', 'y', 'width', 'height'] as const).map((edge) => {
    const value = percentOf(form[edge]);
    const positive = edge === 'width' || edge === 'height';
    if (value === undefined || (positive && value === 0) || (!positive && value === 100)) {
      problems.push({ field: `area-${edge}`, message: t('review.areaPercent') });
      return undefined;
    }
    return value;
  });
  if (x !== undefined && width !== undefined && x + width > 100)
    problems.push({ field: 'area-width', message: t('review.areaPastEdge') });
  if (y !== undefined && height !== undefined && y + height > 100)
    problems.push({ field: 'area-height', message: t('review.areaPastEdge') });
  if (problems.length > 0 || page === undefined) return { problems };
  const fraction = (percent: number) => Math.round(percent * 100) / 10_000;
  return {
    page,
    area: { x: fraction(x!), y: fraction(y!), width: fraction(width!), height: fraction(height!) },
  };
}

const redactionReviewPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { db: app.db, jobs: app.jobs };

  /** The document, for those who read it unredacted (the API's GET .../redactions rule); else 404. */
  const reviewedDocument = (request: FastifyRequest, id: number) =>
    findDocumentReadUnredacted(app.db, request.caller, id);

  async function showReview(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    id: number,
    forms: { add?: AddRedactionForm; area?: AreaForm },
  ) {
    const row = await reviewedDocument(request, id);
    const [document, redactions] = await Promise.all([
      readDocumentDetail(app.db, row, { redacted: false, download: 'original' }),
      listRedactions(app.db, { documentId: row.id }, { limit: REVIEW_LIMIT }),
    ]);
    const pageImages = app.hasRoute({ method: 'GET', url: PAGE_IMAGE_ROUTE });
    return sendPage(
      reply,
      status,
      renderRedactionReviewPage(pageContextOf(request, reply), {
        document,
        redactions: redactions.items,
        more: redactions.next_cursor !== null,
        mayDecide: canDecideRedactions(request.caller, row.order_access),
        // Boxes are drawn on a PDF's or an image's pages, as the rendition paints them.
        mayDraw: pageImages && downloadFactsOf(row).renderable,
        add: forms.add ?? { page: '1', text: '', kind: 'other', problems: [] },
        area: forms.area ?? EMPTY_AREA_FORM,
      }),
    );
  }

  app.get(
    '/desk/documents/:id/redactions',
    { config: { access: 'member' }, schema: { hide: true, params: DocumentIdParam } },
    async (request, reply) => showReview(request, reply, 200, request.params.id, {}),
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
      const wanted = add.text.trim();
      if (!page) add.problems.push({ field: 'add-page', message: t('review.noSuchPage') });
      else if (!wanted) add.problems.push({ field: 'add-text', message: t('review.textMissing') });
      const starts = page && wanted ? placesOf(page.text, wanted) : [];
      if (page && wanted && starts.length === 0)
        add.problems.push({ field: 'add-text', message: t('review.textNotFound') });
      if (add.problems.length) return showReview(request, reply, 400, id, { add });
      for (const start of starts) {
        await addRedaction(deps, {
          caller: request.caller,
          documentId: id,
          input: { page: page!.number, start, end: start + wanted.length, kind: kindOf(add.kind) },
        });
      }
      return reply.redirect(`/desk/documents/${id}/redactions#page-${page!.number}`, 303);
    },
  );

  // A box drawn on a page's image (with JavaScript, by dragging on the image; without, typed in percent).
  app.post(
    '/desk/documents/:id/areas',
    { config: { access: 'member' }, schema: { hide: true, params: DocumentIdParam, body: AreaBody } },
    async (request, reply) => {
      const messages = messagesFor(request.locale);
      const id = request.params.id;
      const { body } = request;
      const form: AreaForm = {
        page: body.page ?? '',
        x: body.x ?? '',
        y: body.y ?? '',
        width: body.width ?? '',
        height: body.height ?? '',
        kind: body.kind ?? 'other',
        problems: [],
      };
      const row = await reviewedDocument(request, id);
      const document = await readDocumentDetail(app.db, row, { redacted: false, download: 'original' });
      const box = areaOf(
        form,
        document.pages.map((page) => page.number),
        messages,
      );
      if ('problems' in box) return showReview(request, reply, 400, id, { area: { ...form, ...box } });
      await addRedaction(deps, {
        caller: request.caller,
        documentId: id,
        input: { page: box.page, area: box.area, kind: kindOf(form.kind) },
      });
      return reply.redirect(`/desk/documents/${id}/redactions#page-${box.page}`, 303);
    },
  );

  /** The order, for those who read its own texts unredacted (GET /api/orders/:id/redactions' rule). */
  async function reviewedOrder(request: FastifyRequest, id: string) {
    const row = await findOrderRow(app.db, id);
    if (!row || !canSeeOrder(request.caller, row) || !canSeeUnredacted(request.caller, row))
      throw notFound(`There is no order ${id}`);
    return row;
  }

  async function showOrderReview(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    id: string,
    add: FieldRedactionForm,
  ) {
    const row = await reviewedOrder(request, id);
    const redactions = await listRedactions(app.db, { orderId: row.internal_id }, { limit: REVIEW_LIMIT });
    return sendPage(
      reply,
      status,
      renderOrderTextReviewPage(pageContextOf(request, reply), {
        order: row,
        redactions: redactions.items,
        more: redactions.next_cursor !== null,
        mayDecide: canDecideRedactions(request.caller, row),
        add,
      }),
    );
  }

  app.get(
    '/desk/orders/:id/redactions',
    { config: { access: 'member' }, schema: { hide: true, params: OrderIdParam } },
    async (request, reply) =>
      showOrderReview(request, reply, 200, request.params.id, {
        field: 'summary',
        text: '',
        kind: 'other',
        problems: [],
      }),
  );

  // Hides every place the exact text is written in one of the order's own texts.
  app.post(
    '/desk/orders/:id/redactions',
    { config: { access: 'member' }, schema: { hide: true, params: OrderIdParam, body: FieldAddBody } },
    async (request, reply) => {
      const { t } = messagesFor(request.locale);
      const add: FieldRedactionForm = {
        field: request.body.field ?? '',
        text: request.body.text ?? '',
        kind: request.body.kind ?? 'other',
        problems: [],
      };
      const row = await reviewedOrder(request, request.params.id);
      const field = ORDER_TEXT_FIELDS.find((name) => name === add.field) as OrderTextField | undefined;
      const wanted = add.text.trim();
      if (!field) add.problems.push({ field: 'field-field', message: t('review.noSuchField') });
      else if (!wanted) add.problems.push({ field: 'field-text', message: t('review.textMissing') });
      const starts = field && wanted ? placesOf(row[field] ?? '', wanted) : [];
      if (field && wanted && starts.length === 0)
        add.problems.push({ field: 'field-text', message: t('review.fieldTextNotFound') });
      if (add.problems.length) return showOrderReview(request, reply, 400, request.params.id, add);
      for (const start of starts) {
        await addOrderFieldRedaction(app.db, {
          caller: request.caller,
          orderId: row.public_id,
          input: { field: field!, start, end: start + wanted.length, kind: kindOf(add.kind) },
        });
      }
      return reply.redirect(`/desk/orders/${row.public_id}/redactions#field-${field}`, 303);
    },
  );

  /** Back to the page the form was on, else to the redaction's document (or its order's texts). */
  const backTo = (next: string | undefined, fallback: string) =>
    next !== undefined && next.startsWith('/desk/') ? safeReturnPath(next) : fallback;

  app.post(
    '/desk/redactions/:id',
    { config: { access: 'member' }, schema: { hide: true, params: RedactionIdParam, body: DecisionBody } },
    async (request, reply) => {
      const redaction = await decideRedaction(deps, {
        caller: request.caller,
        redactionId: request.params.id,
        decision: { state: request.body.state },
      });
      const fallback =
        redaction.document_id === null
          ? '/desk'
          : `/desk/documents/${redaction.document_id}/redactions#page-${redaction.page}`;
      return reply.redirect(backTo(request.body.next, fallback), 303);
    },
  );

  // Takes back a redaction someone added (one the archive proposed is rejected instead: 409).
  app.post(
    '/desk/redactions/:id/remove',
    { config: { access: 'member' }, schema: { hide: true, params: RedactionIdParam, body: RemoveBody } },
    async (request, reply) => {
      const before = await findRedaction(app.db, request.params.id);
      await removeRedaction(deps, { caller: request.caller, redactionId: request.params.id });
      const fallback =
        before?.document_id == null
          ? '/desk'
          : `/desk/documents/${before.document_id}/redactions#page-${before.page}`;
      return reply.redirect(backTo(request.body.next, fallback), 303);
    },
  );
};

export default redactionReviewPageRoutes;
