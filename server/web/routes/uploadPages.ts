// GET and POST /upload, GET and POST /desk/orders/:id — an outlet's way in for a demand: files (one
// multipart form; with JavaScript, per-file progress), made into a private draft order by the same
// command as POST /api/intake, then the order form pre-filled from the documents' suggestions and saved
// by the same command as PATCH /api/orders/:id (targets as POST /api/orders/:id/targets). A bad input
// re-renders the form with the message beside its field.
import Tokens from '@fastify/csrf';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canChangeOrder, canSeeOrder, outletsOf } from '../../auth/orderAccess.ts';
import { fileDraftOrder } from '../../commands/draftOrderFiler.ts';
import { recordTarget } from '../../commands/orderHistoryRecorder.ts';
import { updateOrder } from '../../commands/orderUpdater.ts';
import { ArchiveError, notFound } from '../../errors.ts';
import { readSuggestions } from '../../records/documentRecords.ts';
import { findOrderRow, readOrderStory, type OrderRow } from '../../records/orderRecords.ts';
import { storyTag } from '../../records/orderStoryTag.ts';
import { listAuthorities, readOutlet } from '../../records/referenceLists.ts';
import { readMultipartUpload } from '../../routes/multipartUpload.ts';
import { OrderIdParam, OrderUpdateInput, type OrderStory } from '../../schemas/orders.ts';
import { messagesFor } from '../i18n/messages.ts';
import {
  changesFromForm,
  formFieldOf,
  formFromBody,
  formFromStory,
  suggestedValues,
  type FormBody,
  type OrderForm,
} from '../orderForm.ts';
import { pageContextOf } from '../pageContext.ts';
import { renderOrderFormPage } from '../pages/orderFormPage.tsx';
import { renderUploadPage, type UploadForm } from '../pages/uploadPage.tsx';

const csrfTokens = Tokens();

// The CSRF check of a multipart form waits for its first field (the form puts _csrf first), so the
// caller plugin's check, which reads a parsed body, is told to let the request through to the handler.
const deferredSessions = new WeakMap<FastifyRequest, NonNullable<FastifyRequest['session']>>();
async function deferCsrfCheck(request: FastifyRequest) {
  if (request.session === undefined) return;
  deferredSessions.set(request, request.session);
  request.session = undefined;
}

const FormText = Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Array(Type.String())]));
const OrderFormBody = Type.Object({
  etag: FormText,
  confirm: FormText,
  authority: FormText,
  reference_number: FormText,
  issued_on: FormText,
  received_on: FormText,
  deadline_on: FormText,
  legal_basis: FormText,
  demanded_actions: FormText,
  targets: FormText,
  visibility: FormText,
  embargo_on: FormText,
  summary: FormText,
});

const uploadPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const outletChoices = async (request: FastifyRequest) => {
    const ids = outletsOf(request.caller) ?? [];
    return Promise.all(ids.map(async (id) => readOutlet(app.db, id)));
  };

  const showUpload = async (request: FastifyRequest, reply: FastifyReply, status: number, form: UploadForm) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        renderUploadPage(pageContextOf(request, reply), { ...form, outlets: await outletChoices(request) }),
      );

  app.get('/upload', { config: { access: 'member' }, schema: { hide: true } }, async (request, reply) =>
    showUpload(request, reply, 200, { outlet: '', problems: [] }),
  );

  app.post(
    '/upload',
    { config: { access: 'member' }, onRequest: deferCsrfCheck, schema: { hide: true } },
    async (request, reply) => {
      const { t } = messagesFor(request.locale);
      const session = deferredSessions.get(request);
      if (session) request.session = session;
      let fields: Record<string, string> = {};
      let upload;
      try {
        upload = await readMultipartUpload(request, app, {
          maxBytes: app.config.MAX_UPLOAD_BYTES,
          allowedFields: ['_csrf', 'outlet', 'ocr_languages'],
          defaultRole: 'order',
          beforeFiles: (sent) => {
            fields = sent;
            if (session && !(sent._csrf && csrfTokens.verify(session._csrf ?? '', sent._csrf))) {
              throw new ArchiveError('forbidden', 'Invalid csrf token');
            }
          },
        });
      } catch (error) {
        // A file over MAX_UPLOAD_BYTES is refused by the blob store or by @fastify/multipart's own limit.
        const tooLarge =
          (error instanceof ArchiveError && error.code === 'too_large') ||
          (error as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE';
        if (tooLarge || (error instanceof ArchiveError && error.code === 'invalid_input')) {
          // The form has one field for files: whatever else is wrong with them (none sent, a body cut
          // short), the person is asked to choose them again.
          const message = tooLarge ? t('upload.tooLarge') : t('upload.noFile');
          return showUpload(request, reply, tooLarge ? 413 : 400, {
            outlet: fields.outlet ?? '',
            problems: [{ field: 'files', message }],
          });
        }
        throw error;
      }
      const outlet = upload.fields.outlet || undefined;
      const filed = await fileDraftOrder(
        { db: app.db, jobs: app.jobs },
        {
          caller: request.caller,
          outlet,
          files: upload.files,
          ocrLanguages: upload.fields.ocr_languages ?? app.config.OCR_LANGUAGES,
        },
      ).catch((error: unknown) => {
        if (error instanceof ArchiveError && error.field === 'outlet') return undefined;
        throw error;
      });
      if (!filed) {
        return showUpload(request, reply, 400, {
          outlet: outlet ?? '',
          problems: [{ field: 'outlet', message: t('upload.chooseOutlet') }],
        });
      }
      return reply.redirect(`/desk/orders/${filed.orderId}`, 303);
    },
  );

  /** The order the caller may change, or the 404 (hidden) / 403 (seen, not theirs) the API answers. */
  const changeableOrder = async (request: FastifyRequest, id: string): Promise<OrderRow> => {
    const row = await findOrderRow(app.db, id);
    if (!row || !canSeeOrder(request.caller, row)) throw notFound(`There is no order ${id}`);
    if (!canChangeOrder(request.caller, row)) {
      throw new ArchiveError('forbidden', `Only the order’s outlet or an editor changes ${id}`);
    }
    return row;
  };

  const showOrderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    row: OrderRow,
    makeForm: (story: OrderStory, suggestions: ReturnType<typeof suggestedValues>, etag: string) => OrderForm,
  ) => {
    const story = await readOrderStory(app.db, row);
    const suggestions = await readSuggestions(
      app.db,
      story.documents.map((document) => document.id),
    );
    const form = makeForm(story, suggestedValues(story.documents, suggestions, story), storyTag(story));
    const authorities = (await listAuthorities(app.db, { limit: 1000 })).items;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(renderOrderFormPage(pageContextOf(request, reply), { story, form, authorities }));
  };

  app.get(
    '/desk/orders/:id',
    { config: { access: 'member' }, schema: { hide: true, params: OrderIdParam } },
    async (request, reply) => {
      const row = await changeableOrder(request, request.params.id);
      return showOrderForm(request, reply, 200, row, formFromStory);
    },
  );

  app.post(
    '/desk/orders/:id',
    { config: { access: 'member' }, schema: { hide: true, params: OrderIdParam, body: OrderFormBody } },
    async (request, reply) => {
      const { t } = messagesFor(request.locale);
      const row = await changeableOrder(request, request.params.id);
      const story = await readOrderStory(app.db, row);
      const suggestions = suggestedValues(
        story.documents,
        await readSuggestions(
          app.db,
          story.documents.map((document) => document.id),
        ),
        story,
      );
      const form = formFromBody(request.body as FormBody, suggestions);
      const again = (status: number) => showOrderForm(request, reply, status, row, () => form);
      for (const field of Object.keys(form.suggested) as (keyof typeof form.suggested)[]) {
        form.problems.push({ field, message: t('orderForm.confirmSuggestion') });
      }
      // The API's validator for PATCH /api/orders/:id (the app's Ajv, with its formats).
      const validate = request.compileValidationSchema(OrderUpdateInput);
      const { changes, invalid, targets } = changesFromForm(form.values, (input) =>
        validate(input) ? [] : (validate.errors ?? []).map((error) => error.instancePath),
      );
      for (const field of invalid) form.problems.push({ field, message: t(`orderForm.invalid.${field}`) });
      if (form.problems.length) return again(400);
      try {
        await updateOrder(app.db, {
          caller: request.caller,
          orderId: row.public_id,
          ifMatch: form.etag || undefined,
          changes,
        });
      } catch (error) {
        if (!(error instanceof ArchiveError)) throw error;
        if (error.code === 'order_changed' || error.code === 'if_match_required') {
          form.etag = storyTag(await readOrderStory(app.db, row));
          form.problems.push({ field: 'form', message: t('orderForm.changedMeanwhile') });
          return again(412);
        }
        if (error.code === 'redactions_undecided') {
          form.problems.push({ field: 'visibility', message: t('orderForm.redactionsUndecided') });
          return again(409);
        }
        const field = formFieldOf(error.field);
        if (error.code === 'invalid_input' && field) {
          form.problems.push({ field, message: t(`orderForm.invalid.${field}`) });
          return again(400);
        }
        throw error;
      }
      const known = new Set(story.targets.map((target) => target.article.canonical_url));
      for (const url of targets) {
        if (known.has(url)) continue;
        try {
          await recordTarget(app.db, { caller: request.caller, orderId: row.public_id, target: { url } });
        } catch (error) {
          if (!(error instanceof ArchiveError) || error.code !== 'invalid_input') throw error;
          // The fields are saved; the address that was refused comes back for correcting.
          form.values = { ...form.values, targets: url };
          form.etag = storyTag(await readOrderStory(app.db, row));
          form.problems.push({ field: 'targets', message: t('orderForm.invalid.targets') });
          return again(400);
        }
      }
      return reply.redirect(`/desk?saved=${encodeURIComponent(row.public_id)}`, 303);
    },
  );
};

export default uploadPageRoutes;
