// The redacted rendition of a document: a PDF of its page images with the accepted redactions burned in,
// for whoever may see the document (ingest/renditions/, made by the render-redacted job); and the pages of
// the original as images, for whoever reviews its redactions (storage/pageImageCache.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createReadStream } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { canRender } from '../../../ingest/renditions/renderableTypes.ts';
import { canSeeOrder, UNREDACTED_RULE } from '../../auth/orderAccess.ts';
import { notFound } from '../../errors.ts';
import { findDocumentReadUnredacted } from '../../records/documentRecords.ts';
import { findRenditionRow } from '../../records/renditionRecords.ts';
import { errors, RowId } from '../../schemas/common.ts';
import { DocumentIdParam } from '../../schemas/documents.ts';
import { PageImageCache } from '../../storage/pageImageCache.ts';

const PageImageParams = Type.Object({
  id: RowId(),
  n: Type.Integer({ minimum: 1, maximum: 100_000, description: 'the page, from 1' }),
});

/** "letter.pdf" → "letter-redacted.pdf": a reader can tell the two downloads apart. */
function renditionFilename(original: string | null, id: number): string {
  const base = (original ?? `document-${id}`).replace(/\.[^.]*$/, '') || `document-${id}`;
  return `${base}-redacted.pdf`.replace(/["\\\r\n]/g, '_');
}

const renditionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const pageImages = new PageImageCache(app.config);

  app.get(
    '/documents/:id/pages/:n/image',
    {
      schema: {
        tags: ['redactions'],
        summary: 'A page of the original as a PNG, to review its redactions beside its text',
        description:
          `Only for those who read the document unredacted (${UNREDACTED_RULE}); anyone else gets 404, as ` +
          'for a page a document does not have or a file that is not a PDF or an image. Rendered as its ' +
          'redacted rendition renders it (same crop box and resolution, in colour), so a box drawn on it ' +
          'in fractions of its width and height lands on the same place of the rendition. The first ' +
          'request renders the page (seconds; an image is read by OCR first), later ones read it from the ' +
          'cache. The answer is private: never cached by a shared cache.',
        params: PageImageParams,
        response: {
          200: Type.Unknown({ description: 'the page (image/png)' }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { id, n } = request.params;
      const row = await findDocumentReadUnredacted(app.db, request.caller, id);
      if (!row.mime || !canRender(row.mime)) {
        throw notFound(`Document ${id} is not a PDF or an image: it has no page images, only its text`);
      }
      if (row.page_count !== null && n > row.page_count) {
        throw notFound(`Document ${id} has ${row.page_count} page${row.page_count === 1 ? '' : 's'}`);
      }
      const { rows } = await app.db.query<{ ocr_languages: string }>(
        'SELECT ocr_languages FROM documents WHERE id = $1',
        [id],
      );
      const file = await pageImages.imageOf(
        {
          sha256: row.sha256,
          mime: row.mime,
          ocr_languages: rows[0]?.ocr_languages ?? 'kaz+rus+eng',
          file: app.blobs.pathOf(row.sha256),
        },
        n,
      );
      return reply
        .header('content-type', 'image/png')
        .header('cache-control', 'private, max-age=3600')
        .header('etag', `"${row.sha256}-${n}"`)
        .header('x-content-type-options', 'nosniff')
        .send(createReadStream(file));
    },
  );
  app.get(
    '/documents/:id/rendition',
    {
      schema: {
        tags: ['documents'],
        summary: 'The redacted rendition: a PDF of the page images with the redactions burned in',
        description:
          'Anyone who may see the document’s order (a hidden order’s documents answer 404). Only PDFs and ' +
          'images have one, made after their redactions are decided; until it is made (or when a ' +
          'redaction could not be placed on its page) the answer is 404. The Digest header and the ETag ' +
          'carry its sha256, which is not the original’s.',
        params: DocumentIdParam,
        response: {
          200: Type.Unknown({ description: 'the rendition’s bytes (application/pdf)' }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const row = await findRenditionRow(app.db, request.params.id);
      if (!row || !canSeeOrder(request.caller, row.order_access)) {
        throw notFound(`There is no document ${request.params.id}`);
      }
      if (row.rendition_status !== 'made' || !row.rendition_sha256) {
        throw notFound(`Document ${request.params.id} has no redacted rendition (yet)`);
      }
      const filename = renditionFilename(row.original_filename, row.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-length', row.rendition_size)
        .header('digest', `sha-256=${Buffer.from(row.rendition_sha256, 'hex').toString('base64')}`)
        .header('etag', `"${row.rendition_sha256}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
        .send(createReadStream(app.blobs.pathOf(row.rendition_sha256)));
    },
  );
};

export default renditionRoutes;
