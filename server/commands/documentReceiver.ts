// Attaches uploaded files (already in the blob store) to an order: one document row per new file,
// its extraction job enqueued in the same transaction, duplicates reported instead of copied.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { canSeeOrder, REVIEW_PENDING_SQL, type OrderAccessFacts } from '../auth/orderAccess.ts';
import { withTransaction } from '../database/transaction.ts';
import type { JobQueue } from '../queue/jobQueue.ts';
import { findDocumentRow, presentDocument } from '../records/documentRecords.ts';
import type { DocumentRole, DocumentSummary } from '../schemas/documents.ts';
import { recordBlob } from '../storage/blobClaims.ts';
import type { StoredBlob } from '../storage/blobStore.ts';
import { recordAudit } from './auditTrail.ts';
import { fileDocument } from './documentFiler.ts';
import { lockOrderForChange } from './orderLock.ts';

export interface ReceivedFile {
  role: DocumentRole;
  filename: string | undefined;
  blob: StoredBlob;
  mime: string | undefined;
}

export interface AttachedDocument extends DocumentSummary {
  duplicate: boolean;
  also_in_orders: string[];
}

export interface DocumentsToAttach {
  caller: Caller;
  orderId: string;
  files: ReceivedFile[];
  ocrLanguages: string;
}

export async function attachDocuments(
  deps: { db: pg.Pool; jobs: JobQueue },
  documents: DocumentsToAttach,
): Promise<AttachedDocument[]> {
  return withTransaction(deps.db, async (client) =>
    attachDocumentsIn({ client, jobs: deps.jobs }, documents),
  );
}

/** attachDocuments in the caller's transaction (draftOrderFiler.ts files a new draft with its files). */
export async function attachDocumentsIn(
  { client, jobs }: { client: pg.PoolClient; jobs: JobQueue },
  { caller, orderId, files, ocrLanguages }: DocumentsToAttach,
): Promise<AttachedDocument[]> {
  const order = await lockOrderForChange(client, caller, orderId);
  const attached: AttachedDocument[] = [];
  for (const file of files) {
    await recordBlob(client, file.blob);
    const existing = await client.query<{ id: number }>(
      'SELECT id FROM documents WHERE order_id = $1 AND sha256 = $2 AND parent_document_id IS NULL',
      [order.internal_id, file.blob.sha256],
    );
    let documentId = existing.rows[0]?.id;
    if (documentId === undefined) {
      // None of the order's documents holds these bytes (checked above, under the order's lock).
      documentId = (await fileDocument(
        { client, jobs },
        {
          orderId: order.internal_id,
          blob: file.blob,
          mime: file.mime,
          filename: file.filename,
          role: file.role,
          ocrLanguages,
        },
      ))!;
      await recordAudit(client, caller, {
        action: 'document.upload',
        recordType: 'document',
        recordId: documentId,
        after: {
          order_id: order.public_id,
          sha256: file.blob.sha256,
          size: file.blob.size,
          role: file.role,
          filename: file.filename,
        },
      });
    }
    const row = (await findDocumentRow(client, documentId))!;
    attached.push({
      ...presentDocument(row),
      duplicate: existing.rows[0] !== undefined,
      also_in_orders: await otherVisibleOrdersWith(client, caller, file.blob.sha256, order.internal_id),
    });
  }
  return attached;
}

/** Other orders holding these bytes, among those the caller may see (never reveal a hidden one). */
async function otherVisibleOrdersWith(
  client: pg.PoolClient,
  caller: Caller,
  sha256: string,
  exceptOrderId: number,
): Promise<string[]> {
  const { rows } = await client.query<OrderAccessFacts & { public_id: string }>(
    `SELECT DISTINCT o.public_id, o.outlet_id, o.visibility, o.embargo_until, o.researchers_may_read_unredacted,
            ${REVIEW_PENDING_SQL('o')} AS review_pending
       FROM documents d JOIN orders o ON o.id = d.order_id
      WHERE d.sha256 = $1 AND d.order_id <> $2 ORDER BY o.public_id`,
    [sha256, exceptOrderId],
  );
  return rows.filter((row) => canSeeOrder(caller, row)).map((row) => row.public_id);
}
