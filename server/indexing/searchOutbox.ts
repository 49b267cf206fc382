// Marks an order's search documents as stale, in the same transaction as the change that made them so.
import type { Queryable } from '../database/transaction.ts';

export async function enqueueOrderForSearch(db: Queryable, orderId: number): Promise<void> {
  await db.query('INSERT INTO search_outbox (order_id) VALUES ($1)', [orderId]);
}
