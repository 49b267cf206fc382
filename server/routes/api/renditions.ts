// The redacted rendition of a document: a PDF of its page images with the accepted redactions burned in,
// for whoever may see the document (ingest/renditions/, made by the render-redacted job).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createReadStream } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { canSeeOrder } from '../../auth/orderAccess.ts';
import { notFound } from '../../errors.ts';
import { findRenditionRow } from '../../records/renditionRecords.ts';
import { errors } from '../../schemas/common.ts';
import { DocumentIdParam } from '../../schemas/documents.ts';

/** "letter.pdf" → "letter-redacted.pdf": a reader can tell the two downloads apart. */
function renditionFilename(original: string | null, id: number): string {
  const base = (original ?? `document-${id}`).replace(/\.[^.]*$/, '') || `document-${id}`;
  return `${base}-redacted.pdf`.replace(/["\\\r\n]/g, '_');
}

const renditionRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
