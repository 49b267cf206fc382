// Documents: upload files to an order, intake a file with no order yet, read a document's text and
// status, download the original bytes, and ask for extraction again.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createReadStream } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { canRender } from '../../../ingest/renditions/renderableTypes.ts';
import { canSeeOrder, canSeeUnredacted, downloadFor, UNREDACTED_RULE } from '../../auth/orderAccess.ts';
import { attachDocuments } from '../../commands/documentReceiver.ts';
import { reprocessDocument } from '../../commands/documentReprocessor.ts';
import { fileDraftOrder } from '../../commands/draftOrderFiler.ts';
import { checkOrderChangeable } from '../../commands/orderLock.ts';
import { requestPublicRendition } from '../../commands/renditionRequester.ts';
import {
  type DocumentRow,
  findDocumentRow,
  listDocuments,
  readDocumentDetail,
  readSuggestions,
  waitForExtraction,
} from '../../records/documentRecords.ts';
import { errors } from '../../schemas/common.ts';
import {
  DocumentDetail,
  DocumentIdParam,
  DocumentListQuery,
  IntakeDocument,
  IntakeQuery,
  DocumentSummary,
  OCR_LANGUAGES_PATTERN,
  UploadResult,
} from '../../schemas/documents.ts';
import { OrderIdParam, OrderStory } from '../../schemas/orders.ts';
import { pageOf } from '../../schemas/references.ts';
import { formatBytes } from '../../storage/blobStore.ts';
import { ArchiveError, notFound, TemporaryRefusal } from '../../errors.ts';
import { readMultipartUpload } from '../multipartUpload.ts';
import { findOrderRow, readOrderStory } from '../../records/orderRecords.ts';

/** The facts downloadFor needs of a document: may the public see its original, and has it pages to render. */
const renderableFacts = (row: DocumentRow) => ({
  original_publishable: row.original_publishable,
  renderable: row.mime !== null && canRender(row.mime),
});

/** How long a client waits before asking for a rendition again: a few seconds a page. */
export function renditionRetryAfterSeconds(pageCount: number | null): number {
  return Math.min(300, 10 + 3 * (pageCount ?? 1));
}

const WHO_READS = 'Anyone who may see the document’s order (a hidden order’s documents answer 404).';

const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const maxBytes = app.config.MAX_UPLOAD_BYTES;
  const uploadHelp =
    `multipart/form-data. Each file's field name is its role: order, response, evidence, attachment or ` +
    `snapshot (curl -F order=@demand.pdf -F evidence=@screenshot.png). Optional field ocr_languages ` +
    `(e.g. kir+rus+eng; default ${app.config.OCR_LANGUAGES}). Files over ${formatBytes(maxBytes)} get 413. ` +
    `The same bytes twice are stored once: the answer says duplicate.`;

  app.post(
    '/orders/:id/documents',
    {
      config: { access: 'member' },
      schema: {
        tags: ['documents'],
        summary: 'Upload files to an order',
        description: `Needs a token: an editor, or the order's own outlet. ${uploadHelp}`,
        consumes: ['multipart/form-data'],
        params: OrderIdParam,
        response: { 201: UploadResult, ...errors(400, 401, 403, 404, 413) },
      },
    },
    async (request, reply) => {
      // 404/403 before the files are streamed to disk, not after.
      await checkOrderChangeable(app.db, { caller: request.caller, orderId: request.params.id });
      const upload = await readMultipartUpload(request, app, {
        maxBytes,
        allowedFields: ['ocr_languages'],
      });
      try {
        const documents = await attachDocuments(
          { db: app.db, jobs: app.jobs },
          {
            caller: request.caller,
            orderId: request.params.id,
            files: upload.files,
            ocrLanguages: upload.fields.ocr_languages ?? app.config.OCR_LANGUAGES,
          },
        );
        return reply.code(201).send({ documents });
      } catch (error) {
        await upload.discard();
        throw error;
      }
    },
  );

  app.post(
    '/intake',
    {
      config: { access: 'member' },
      schema: {
        tags: ['documents'],
        summary: 'Start from a file alone: creates a private draft order',
        description:
          'A member files for their outlet (`outlet` names it when they belong to several). Send the demand as field "file" (or under ' +
          'its role). Creates a private draft order holding it, waits up to `wait` seconds (default 10) for ' +
          'its text to be read, and answers with the suggestions read from it (authority, dates, laws, ' +
          'URLs…) for you to confirm. A file that takes longer (a long scan in OCR) is answered with its ' +
          'status (pending or processing) and suggestions null: they appear on its url once read. ' +
          uploadHelp,
        consumes: ['multipart/form-data'],
        querystring: IntakeQuery,
        response: {
          201: Type.Object({ order: OrderStory, documents: Type.Array(IntakeDocument) }),
          ...errors(400, 401, 403, 413),
        },
      },
    },
    async (request, reply) => {
      const upload = await readMultipartUpload(request, app, {
        maxBytes,
        allowedFields: ['ocr_languages'],
        defaultRole: 'order',
      });
      const { orderId: publicId, documents: attached } = await fileDraftOrder(
        { db: app.db, jobs: app.jobs },
        {
          caller: request.caller,
          outlet: request.query.outlet,
          files: upload.files,
          ocrLanguages: upload.fields.ocr_languages ?? app.config.OCR_LANGUAGES,
        },
      );
      // Committed: from here on the files are the archive's, whatever happens to this request.
      const ids = attached.map((document) => document.id);
      await waitForExtraction(
        app.db,
        ids,
        Date.now() + request.query.wait * 1000,
        () => request.raw.socket?.destroyed ?? false,
      );
      const order = await readOrderStory(app.db, (await findOrderRow(app.db, publicId))!);
      const suggestions = await readSuggestions(app.db, ids);
      const now = new Map(order.documents.map((document) => [document.id, document]));
      const documents = attached.map((document) => ({
        ...document,
        ...now.get(document.id),
        suggestions: suggestions.get(document.id) ?? null,
      }));
      return reply.code(201).send({ order, documents });
    },
  );

  app.get(
    '/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'List documents, newest first (e.g. the files that failed after a bulk ingest)',
        description:
          'Anyone: lists only the documents of orders the caller may see. Filters combine; pass ' +
          'next_cursor as cursor for the next page.',
        querystring: DocumentListQuery,
        response: { 200: pageOf(DocumentSummary), ...errors(400, 401) },
      },
    },
    async (request) => listDocuments(app.db, request.caller, request.query),
  );

  app.get(
    '/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary: 'A document: status, hashes, type, text per page, suggestions',
        description:
          `${WHO_READS} Its text is unredacted for ${UNREDACTED_RULE}; everyone else reads it with its ` +
          'redactions (accepted, and proposals still undecided) burned in as [redacted: kind], and without ' +
          'the list of personal data found.',
        params: DocumentIdParam,
        response: { 200: DocumentDetail, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const row = await findDocumentRow(app.db, request.params.id);
      if (!row || !canSeeOrder(request.caller, row.order_access)) {
        throw notFound(`There is no document ${request.params.id}`);
      }
      return readDocumentDetail(app.db, row, {
        redacted: !canSeeUnredacted(request.caller, row.order_access),
        download: downloadFor(request.caller, row.order_access, renderableFacts(row)),
      });
    },
  );

  app.get(
    '/documents/:id/file',
    {
      schema: {
        tags: ['documents'],
        summary: 'The document’s file: the original, or for the public its redacted rendition',
        description:
          `Those who read the document unredacted (${UNREDACTED_RULE}), and anyone who may see the order once ` +
          'an editor marked the original publishable, get the original bytes (the Digest header carries its ' +
          'sha256). Anyone else who may see the order gets, for a PDF or an image, a 303 to its redacted ' +
          'rendition (/api/documents/:id/rendition, with its own sha256); while that is being made the ' +
          'answer is 503 rendition_pending with Retry-After, and when it cannot be served (a redaction not ' +
          'placed on its page, a file that cannot be rendered, a text nobody could read) 404 ' +
          'rendition_unavailable. A text, e-mail or office file has no public file: 404 (its redacted text ' +
          'is at /api/documents/:id). `download` in /api/documents/:id says which you get.',
        params: DocumentIdParam,
        response: {
          200: Type.Unknown({ description: 'the original bytes' }),
          303: Type.Null({ description: 'see Location: the redacted rendition' }),
          ...errors(400, 401, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const row = await findDocumentRow(app.db, request.params.id);
      if (!row || !canSeeOrder(request.caller, row.order_access)) {
        throw notFound(`There is no document ${request.params.id}`);
      }
      const kind = downloadFor(request.caller, row.order_access, renderableFacts(row));
      if (kind === 'none') {
        throw notFound(
          `The original file of document ${row.id} is not published; its text, redacted, is at /api/documents/${row.id}`,
        );
      }
      if (kind === 'rendition') {
        await publicRendition(row);
        return reply.code(303).header('location', `/api/documents/${row.id}/rendition`).send(null);
      }
      const filename = (row.original_filename ?? `document-${row.id}`).replace(/["\\\r\n]/g, '_');
      return reply
        .header('content-type', row.mime ?? 'application/octet-stream')
        .header('content-length', row.size)
        .header('digest', `sha-256=${Buffer.from(row.sha256, 'hex').toString('base64')}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
        .send(createReadStream(app.blobs.pathOf(row.sha256)));
    },
  );

  /**
   * Returns when the rendition is made (the caller is sent to it); else throws what the caller is told:
   * pending (asked for now if it never was), or not to be served.
   */
  async function publicRendition(row: DocumentRow): Promise<void> {
    if (row.rendition_status === 'made') return;
    if (row.rendition_status === 'incomplete' || row.rendition_status === 'failed') {
      throw new ArchiveError(
        'rendition_unavailable',
        `Document ${row.id} has no redacted rendition to download: ` +
          (row.rendition_status === 'incomplete'
            ? 'a redaction could not be placed on its page, and the outlet has to look at it. '
            : 'its file could not be rendered. ') +
          `Its text, redacted, is at /api/documents/${row.id}`,
      );
    }
    const reading = row.status === 'pending' || row.status === 'processing';
    if (!reading && !(await requestPublicRendition({ db: app.db, jobs: app.jobs }, row.id))) {
      throw new ArchiveError(
        'rendition_unavailable',
        `Document ${row.id} has no redacted rendition: its text could not be read, so nobody could review ` +
          'it for personal data. An editor may publish the original.',
      );
    }
    throw new TemporaryRefusal(
      'rendition_pending',
      reading
        ? `Document ${row.id} is being read; its redacted rendition is made after that`
        : `The redacted rendition of document ${row.id} is being made`,
      renditionRetryAfterSeconds(row.page_count),
    );
  }

  app.post(
    '/documents/:id/reprocess',
    {
      config: { access: 'member' },
      // A reprocess without options is the common case: no body means no options.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['documents'],
        summary: 'Extract a document again (e.g. with other OCR languages)',
        description: 'Needs a token: an editor, or the order’s own outlet.',
        params: DocumentIdParam,
        body: Type.Object(
          { ocr_languages: Type.Optional(Type.String({ pattern: OCR_LANGUAGES_PATTERN })) },
          { additionalProperties: false },
        ),
        response: { 202: DocumentSummary, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const document = await reprocessDocument(
        { db: app.db, jobs: app.jobs },
        { caller: request.caller, documentId: request.params.id, ocrLanguages: request.body.ocr_languages },
      );
      return reply.code(202).send(document);
    },
  );
};

export default documentRoutes;
