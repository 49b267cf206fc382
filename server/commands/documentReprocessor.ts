// Queues a document for extraction again, optionally with other OCR languages.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { withTransaction } from '../database/transaction.ts';
import type { JobQueue } from '../queue/jobQueue.ts';
import { findDocumentRow, presentDocument } from '../records/documentRecords.ts';
import type { DocumentSummary } from '../schemas/documents.ts';
import { recordAudit } from './auditTrail.ts';
import { ArchiveError, notFound } from '../errors.ts';
import { lockOrderForChange } from './orderLock.ts';

export async function reprocessDocument(
  deps: { db: pg.Pool; jobs: JobQueue },
  {
    caller,
    documentId,
    ocrLanguages,
  }: { caller: Caller; documentId: number; ocrLanguages?: string | undefined },
): Promise<DocumentSummary> {
  return withTransaction(deps.db, async (client) => {
    const row = await findDocumentRow(client, documentId);
    if (!row) throw notFound(`There is no document ${documentId}`);
    // Same rules as changing its order (404 when hidden, 403 when not theirs).
    await lockOrderForChange(client, caller, String(row.internal_order_id)).catch((error: unknown) => {
      const hidden = error instanceof ArchiveError && error.code === 'not_found';
      throw hidden ? notFound(`There is no document ${documentId}`) : error;
    });
    await client.query(
      `UPDATE documents SET status = 'pending', status_reason = NULL, progress = 'queued',
              ocr_languages = COALESCE($2, ocr_languages), updated_at = now()
        WHERE id = $1`,
      [documentId, ocrLanguages ?? null],
    );
    await deps.jobs.enqueueExtraction(client, { documentId });
    await recordAudit(client, caller, {
      action: 'document.reprocess',
      recordType: 'document',
      recordId: documentId,
      after: { ocr_languages: ocrLanguages ?? null },
    });
    return presentDocument((await findDocumentRow(client, documentId))!);
  });
}
