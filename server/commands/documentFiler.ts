// Files stored bytes as a new document of an order, enqueues its extraction job and appends its leaf to the
// transparency log, in the caller's transaction: the document exists with its job and its leaf, or not at
// all. Used for uploads and for attachments (every path that inserts a document comes through here).
import type pg from 'pg';
import type { JobQueue } from '../queue/jobQueue.ts';
import type { DocumentRole } from '../schemas/documents.ts';
import type { StoredBlob } from '../storage/blobStore.ts';
import { appendDocumentLeaf } from './logAppender.ts';

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
 * Inserts the document row, enqueues its extraction and appends its log leaf (last: the log's lock is
 * then held for as short a time as the caller allows). Answers its id, or undefined when the order
 * (under the same parent) already holds these bytes: the same bytes are one document there.
 */
export async function fileDocument(
  { client, jobs }: { client: pg.PoolClient; jobs: JobQueue },
  document: NewDocument,
): Promise<number | undefined> {
  const inserted = await client.query<{ id: number; created_at: Date; order_public_id: string }>(
    `INSERT INTO documents (order_id, parent_document_id, sha256, size, mime, original_filename, role, ocr_languages)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT DO NOTHING
     RETURNING id, created_at, (SELECT public_id FROM orders WHERE id = $1) AS order_public_id`,
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
  const row = inserted.rows[0];
  if (row === undefined) return undefined;
  await jobs.enqueueExtraction(client, { documentId: row.id });
  await appendDocumentLeaf(client, {
    documentId: row.id,
    orderPublicId: row.order_public_id,
    sha256: document.blob.sha256,
    size: document.blob.size,
    received: row.created_at,
  });
  return row.id;
}
