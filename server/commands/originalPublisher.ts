// An editor marks a document's original file publishable (anyone may then download it as it is, e.g. a
// letter already published in full), or takes that back. Audited.
import type pg from 'pg';
import { canMarkOriginalPublishable, canSeeOrder } from '../auth/orderAccess.ts';
import type { Caller } from '../auth/caller.ts';
import { withTransaction } from '../database/transaction.ts';
import { forbidden, notFound } from '../errors.ts';
import { findDocumentRow, presentDocument } from '../records/documentRecords.ts';
import type { DocumentSummary } from '../schemas/documents.ts';
import type { DocumentChange } from '../schemas/redactions.ts';
import { recordAudit } from './auditTrail.ts';

export async function changeDocument(
  db: pg.Pool,
  { caller, documentId, change }: { caller: Caller; documentId: number; change: DocumentChange },
): Promise<DocumentSummary> {
  return withTransaction(db, async (client) => {
    const before = await findDocumentRow(client, documentId, true);
    if (!before || !canSeeOrder(caller, before.order_access))
      throw notFound(`There is no document ${documentId}`);
    if (!canMarkOriginalPublishable(caller))
      throw forbidden('Only an editor may mark an original publishable');
    await client.query('UPDATE documents SET original_publishable = $2, updated_at = now() WHERE id = $1', [
      documentId,
      change.original_publishable,
    ]);
    await recordAudit(client, caller, {
      action: 'document.update',
      recordType: 'document',
      recordId: documentId,
      before: { original_publishable: before.original_publishable },
      after: { original_publishable: change.original_publishable },
    });
    return presentDocument((await findDocumentRow(client, documentId))!);
  });
}
