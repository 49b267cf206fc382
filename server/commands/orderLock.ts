// Locks an order for a change by this caller: 404 when hidden from them, 403 when visible but not theirs.
import type { Caller } from '../auth/caller.ts';
import { canChangeOrder, canSeeOrder } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import { findOrderRow, type OrderRow } from '../records/orderRecords.ts';
import { forbidden, notFound } from '../errors.ts';

export async function lockOrderForChange(db: Queryable, caller: Caller, id: string): Promise<OrderRow> {
  return orderToChange(db, caller, id, true);
}

/**
 * The same answer without a lock, before a request does costly work (streaming its files to disk):
 * lockOrderForChange still decides, in the transaction that makes the change.
 */
export async function checkOrderChangeable(
  db: Queryable,
  { caller, orderId }: { caller: Caller; orderId: string },
): Promise<void> {
  await orderToChange(db, caller, orderId, false);
}

async function orderToChange(db: Queryable, caller: Caller, id: string, lock: boolean): Promise<OrderRow> {
  const order = await findOrderRow(db, id, lock);
  if (!order || !canSeeOrder(caller, order)) throw notFound(`There is no order ${id}`);
  if (!canChangeOrder(caller, order))
    throw forbidden(`Only an editor or the order's own outlet may change ${id}`);
  return order;
}
