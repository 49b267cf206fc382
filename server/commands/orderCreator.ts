// Files a new order: its public id, its fields, its targets, an audit record and a search update,
// all in one transaction.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { withTransaction } from '../database/transaction.ts';
import type { OrderCreateInput } from '../schemas/orders.ts';
import { enqueueOrderForSearch } from '../indexing/searchOutbox.ts';
import { recordAudit } from './auditTrail.ts';
import { checkEmbargo, orderColumnsFrom } from './orderFields.ts';
import { addOrderTarget } from './orderTargetAdder.ts';
import { allocatePublicOrderId } from './publicIdAllocator.ts';

/** Returns the new order's public id. */
export async function createOrder(
  pool: pg.Pool,
  { caller, fields }: { caller: Caller; fields: OrderCreateInput },
): Promise<string> {
  return withTransaction(pool, async (client) => {
    const columns = await orderColumnsFrom(client, caller, fields);
    // An outlet's own demand belongs to it unless it says otherwise.
    if (caller.kind === 'outlet' && columns.outlet_id === undefined) columns.outlet_id = caller.outletId;
    checkEmbargo(String(columns.visibility ?? 'private'), columns.embargo_until);
    columns.public_id = await allocatePublicOrderId(client);

    const names = Object.keys(columns);
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO orders (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      Object.values(columns),
    );
    const orderId = rows[0]!.id;
    await recordAudit(client, caller, {
      action: 'order.create',
      recordType: 'order',
      recordId: orderId,
      after: columns,
    });
    for (const [index, target] of (fields.targets ?? []).entries()) {
      await addOrderTarget(client, { caller, internalOrderId: orderId, target, field: `targets/${index}` });
    }
    await enqueueOrderForSearch(client, orderId);
    return String(columns.public_id);
  });
}

/**
 * Files a private draft order for an upload that arrives with nothing but the file (POST /api/intake):
 * the authority and the rest are filled in later, from the suggestions read in its text.
 */
export async function createDraftOrder(pool: pg.Pool, { caller }: { caller: Caller }): Promise<string> {
  return withTransaction(pool, async (client) => {
    const publicId = await allocatePublicOrderId(client);
    const outletId = caller.kind === 'outlet' ? caller.outletId : null;
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO orders (public_id, outlet_id, draft, visibility) VALUES ($1, $2, true, 'private') RETURNING id`,
      [publicId, outletId],
    );
    await recordAudit(client, caller, {
      action: 'order.create',
      recordType: 'order',
      recordId: rows[0]!.id,
      after: { public_id: publicId, outlet_id: outletId, draft: true, visibility: 'private' },
    });
    return publicId;
  });
}
