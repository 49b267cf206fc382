// Changes an order's fields under optimistic concurrency: a write based on a stale version gets 409.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { withTransaction } from '../database/transaction.ts';
import type { OrderUpdateInput } from '../schemas/orders.ts';
import { enqueueOrderForSearch } from '../indexing/searchOutbox.ts';
import { recordAudit } from './auditTrail.ts';
import { conflict } from './commandErrors.ts';
import { lockOrderForChange } from './orderLock.ts';
import { checkEmbargo, orderColumnsFrom } from './orderFields.ts';

export async function updateOrder(
  pool: pg.Pool,
  caller: Caller,
  id: string,
  expectedVersion: number,
  input: OrderUpdateInput,
): Promise<void> {
  await withTransaction(pool, async (client) => {
    const before = await lockOrderForChange(client, caller, id);
    if (before.version !== expectedVersion) {
      throw conflict(
        `Order ${id} was changed since you read it (you sent version ${expectedVersion}, it is now at ` +
          `version ${before.version}). Read it again and re-apply your change.`,
      );
    }
    const columns = await orderColumnsFrom(client, caller, input);
    // Confirming the authority is what turns an intake draft into a filed order.
    if (columns.authority_id !== undefined && before.draft) columns.draft = false;
    checkEmbargo(
      String(columns.visibility ?? before.visibility),
      'embargo_until' in columns ? columns.embargo_until : before.embargo_until,
    );
    const names = Object.keys(columns);
    await client.query(
      `UPDATE orders SET ${names.map((name, i) => `${name} = $${i + 2}`).join(', ')},
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [before.internal_id, ...Object.values(columns)],
    );
    const beforeRecord: Record<string, unknown> = { ...before, authority_id: before.authority?.id ?? null };
    const beforeValues = Object.fromEntries(names.map((name) => [name, beforeRecord[name] ?? null]));
    await recordAudit(client, caller, {
      action: 'order.update',
      recordType: 'order',
      recordId: before.internal_id,
      before: { ...beforeValues, version: before.version },
      after: { ...columns, version: before.version + 1 },
    });
    await enqueueOrderForSearch(client, before.internal_id);
  });
}
