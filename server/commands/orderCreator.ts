// Files a new order: its public id, its fields, its targets, an audit record and a search update,
// all in one transaction.
import type pg from 'pg';
import type { AccountCaller, Caller } from '../auth/caller.ts';
import { actsFor } from '../auth/orderAccess.ts';
import { forbidden, invalidInput } from '../errors.ts';
import { resolveOutletId } from '../records/referenceLookup.ts';
import { withTransaction } from '../database/transaction.ts';
import type { OrderCreateInput } from '../schemas/orders.ts';
import { enqueueOrderForSearch } from '../indexing/searchOutbox.ts';
import { recordAudit } from './auditTrail.ts';
import { checkEmbargo, orderColumnsFrom } from './orderFields.ts';
import { orderTextsIn, proposeOrderFieldRedactions } from './orderFieldRedactions.ts';
import { addOrderTarget } from './orderTargetAdder.ts';
import { allocatePublicOrderId } from './publicIdAllocator.ts';

/** Returns the new order's public id. */
export async function createOrder(
  pool: pg.Pool,
  { caller, fields }: { caller: Caller; fields: OrderCreateInput },
): Promise<string> {
  return withTransaction(pool, async (client) => {
    const columns = await orderColumnsFrom(client, caller, fields);
    // A member's demand belongs to their outlet unless it says otherwise.
    if (columns.outlet_id === undefined && caller.kind === 'account') columns.outlet_id = ownOutletOf(caller);
    checkEmbargo(String(columns.visibility ?? 'private'), columns.embargo_until);
    columns.public_id = await allocatePublicOrderId(client);

    const names = Object.keys(columns);
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO orders (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      Object.values(columns),
    );
    const orderId = rows[0]!.id;
    await proposeOrderFieldRedactions(client, orderId, orderTextsIn(columns));
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
 * Inserts a private draft order, in the caller's transaction, for an upload that arrives with nothing but
 * its files (draftOrderFiler.ts): the authority and the rest are filled in later, from the suggestions
 * read in their text.
 */
export async function insertDraftOrder(
  client: pg.PoolClient,
  { caller, outlet }: { caller: Caller; outlet?: string | undefined },
): Promise<string> {
  let outletId: number | null = null;
  if (outlet !== undefined) {
    outletId = await resolveOutletId(client, outlet);
    if (!actsFor(caller, outletId))
      throw forbidden('you may only file orders for your own outlets', 'outlet');
  } else if (caller.kind === 'account') {
    outletId = ownOutletOf(caller);
  }
  const publicId = await allocatePublicOrderId(client);
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
}

/** The outlet a member files for when they do not say: their only one (with several, they must say). */
function ownOutletOf(caller: AccountCaller): number {
  if (caller.outletIds.length === 1) return caller.outletIds[0]!;
  throw invalidInput(
    caller.outletIds.length === 0
      ? 'you are not a member of any outlet'
      : 'you are a member of several outlets: say which one this order is for',
    'outlet',
  );
}
