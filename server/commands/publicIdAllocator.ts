// Allocates TD-<year>-<number> ids: consecutive, never duplicated, never reused.
import type { Queryable } from '../database/transaction.ts';

/**
 * Must run inside the transaction that creates the order: the counter row stays locked until it
 * commits, so concurrent creations queue up, and a rollback returns the number (no gaps).
 */
export async function allocatePublicOrderId(db: Queryable, now = new Date()): Promise<string> {
  const year = now.getUTCFullYear();
  const { rows } = await db.query<{ last_value: number }>(
    `INSERT INTO public_id_counters (year, last_value) VALUES ($1, 1)
     ON CONFLICT (year) DO UPDATE SET last_value = public_id_counters.last_value + 1
     RETURNING last_value`,
    [year],
  );
  return `TD-${year}-${String(rows[0]!.last_value).padStart(5, '0')}`;
}
