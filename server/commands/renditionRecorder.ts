// Records what the rendition job made of a request: the rendition (stored in the blob store, named on
// the document) when every redaction was placed; otherwise why there is none. Only while the request is
// still the document's latest: a result for a superseded request is dropped. Audited, in one transaction.
import { Readable } from 'node:stream';
import type pg from 'pg';
import type { Rendition } from '../../ingest/renditions/redactedRendition.ts';
import { withTransaction, type Queryable } from '../database/transaction.ts';
import { recordBlob } from '../storage/blobClaims.ts';
import type { BlobStore } from '../storage/blobStore.ts';

/** Who the audit log names for a rendition: the worker, on nobody's token. */
export const RENDITION_ACTOR = 'worker:rendition';

export type RenditionOutcome =
  | { status: 'made'; rendition: Rendition }
  | { status: 'incomplete'; rendition: Rendition }
  | { status: 'failed'; reason: string };

const UPDATE_SQL = `
  UPDATE documents SET rendition_status = $3, rendition_sha256 = $4, rendition_reason = $5,
         rendition_boxes = $6::jsonb, rendition_unplaced = $7::jsonb,
         rendition_made_at = CASE WHEN $3 = 'made' THEN now() END, updated_at = now()
   WHERE id = $1 AND rendition_input_sha256 = $2
  RETURNING id`;

/** Why a rendition is incomplete, in words that name pages but never the redacted strings. */
function incompleteReason(rendition: Rendition): string {
  const pages = [...new Set(rendition.unplaced.map((redaction) => redaction.page))].sort((a, b) => a - b);
  const count = rendition.unplaced.length;
  return (
    `${count} redaction${count === 1 ? '' : 's'} could not be found on page${pages.length === 1 ? '' : 's'} ` +
    `${pages.join(', ')}: draw ${count === 1 ? 'it' : 'them'} as boxes on the page`
  );
}

async function audit(db: Queryable, documentId: number, after: unknown): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor, action, record_type, record_id, after)
     VALUES ($1, 'document.rendition', 'document', $2, $3::jsonb)`,
    [RENDITION_ACTOR, String(documentId), JSON.stringify(after)],
  );
}

/** True when recorded; false when the request was superseded meanwhile (nothing is changed then). */
export async function recordRendition(
  deps: { db: pg.Pool; blobs: BlobStore },
  {
    documentId,
    inputSha256,
    outcome,
  }: { documentId: number; inputSha256: string; outcome: RenditionOutcome },
): Promise<boolean> {
  if (outcome.status === 'failed') {
    return withTransaction(deps.db, async (client) => {
      const { rowCount } = await client.query(UPDATE_SQL, [
        documentId,
        inputSha256,
        'failed',
        null,
        outcome.reason,
        null,
        null,
      ]);
      if (rowCount) await audit(client, documentId, { status: 'failed', reason: outcome.reason });
      return Boolean(rowCount);
    });
  }
  const { rendition } = outcome;
  const boxes = JSON.stringify(rendition.boxesByPage);
  if (outcome.status === 'incomplete') {
    const reason = incompleteReason(rendition);
    return withTransaction(deps.db, async (client) => {
      const { rowCount } = await client.query(UPDATE_SQL, [
        documentId,
        inputSha256,
        'incomplete',
        null,
        reason,
        boxes,
        JSON.stringify(rendition.unplaced),
      ]);
      if (rowCount) await audit(client, documentId, { status: 'incomplete', reason });
      return Boolean(rowCount);
    });
  }
  // Stored before the transaction, as uploads are; an unused file is only what a superseded rendition leaves.
  const blob = await deps.blobs.store(Readable.from([rendition.pdf]), Number.MAX_SAFE_INTEGER);
  return withTransaction(deps.db, async (client) => {
    await recordBlob(client, blob);
    const { rowCount } = await client.query(UPDATE_SQL, [
      documentId,
      inputSha256,
      'made',
      blob.sha256,
      null,
      boxes,
      null,
    ]);
    if (rowCount) {
      await audit(client, documentId, {
        status: 'made',
        sha256: blob.sha256,
        size: blob.size,
        pages: rendition.pageCount,
        boxes: rendition.boxesByPage.reduce((sum, page) => sum + page.boxes.length, 0),
      });
    }
    return Boolean(rowCount);
  });
}
