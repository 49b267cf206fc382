// Files stored bytes as a new document of an order and enqueues its extraction job, in the caller's
// transaction: the document exists with its job, or not at all. Used for uploads and for attachments.
import type pg from 'pg';
import type { JobQueue } from '../queue/jobQueue.ts';
import type { DocumentRole } from '../schemas/documents.ts';
import type { StoredBlob } from '../storage/blobStore.ts';

export interface NewDocument {
  /** The order's internal id. */
  orderId: number;
  /** The e-mail (or other container) it was found in, for an attachment. */
  parentDocumentId?: number;
  blob: StoredBlob;
  mime: string | undefined;
  filename: string | undefined;
  role: DocumentRole;
  ocrLanguages: string;
}

/**
 * Inserts the document row and enqueues its extraction. Answers its id, or undefined when the order
 * (under the same parent) already holds these bytes: the same bytes are one document there.
 */
export async function fileDocument(
  { client, jobs }: { client: pg.PoolClient; jobs: JobQueue },
  document: NewDocument,
): Promise<number | undefined> {
  const inserted = await client.query<{ id: number }>(
    `INSERT INTO documents (order_id, parent_document_id, sha256, size, mime, original_filename, role, ocr_languages)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      document.orderId,
      document.parentDocumentId ?? null,
      document.blob.sha256,
      document.blob.size,
      document.mime ?? null,
      document.filename ?? null,
      document.role,
      document.ocrLanguages,
    ],
  );
  const documentId = inserted.rows[0]?.id;
  if (documentId !== undefined) await jobs.enqueueExtraction(client, { documentId });
  return documentId;
}
