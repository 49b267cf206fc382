// Reads a document's redacted rendition: whether there is one to serve, its file, and the order facts
// access rules need.
import { REVIEW_PENDING_SQL, type OrderAccessFacts } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';

export interface RenditionRow {
  id: number;
  original_filename: string | null;
  /** pending, made, incomplete or failed; null when none was ever asked for. */
  rendition_status: string | null;
  /** Set only when the status is made. */
  rendition_sha256: string | null;
  rendition_size: number | null;
  order_access: OrderAccessFacts;
}

export async function findRenditionRow(db: Queryable, documentId: number): Promise<RenditionRow | undefined> {
  const { rows } = await db.query<RenditionRow>(
    `SELECT d.id, d.original_filename, d.rendition_status, d.rendition_sha256, b.size::float8 AS rendition_size,
            json_build_object('outlet_id', o.outlet_id, 'visibility', o.visibility,
                              'embargo_until', o.embargo_until, 'review_pending', ${REVIEW_PENDING_SQL('o')},
                              'researchers_may_read_unredacted', o.researchers_may_read_unredacted)
              AS order_access
       FROM documents d JOIN orders o ON o.id = d.order_id
       LEFT JOIN blobs b ON b.sha256 = d.rendition_sha256
      WHERE d.id = $1`,
    [documentId],
  );
  return rows[0];
}
