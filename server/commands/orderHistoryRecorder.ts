// Records what happened around an order: the outlet's responses and the events that followed.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { withTransaction } from '../database/transaction.ts';
import type { EventInput, ResponseInput } from '../schemas/orders.ts';
import { enqueueOrderForSearch } from '../indexing/searchOutbox.ts';
import { recordAudit } from './auditTrail.ts';
import { lockOrderForChange } from './orderLock.ts';
import { addOrderTarget } from './orderTargetAdder.ts';
import type { TargetInput } from '../schemas/orders.ts';

export async function recordResponse(
  pool: pg.Pool,
  { caller, orderId, response: input }: { caller: Caller; orderId: string; response: ResponseInput },
) {
  return withTransaction(pool, async (client) => {
    const order = await lockOrderForChange(client, caller, orderId);
    const { rows } = await client.query(
      `INSERT INTO responses (order_id, kind, responded_on, text, source_url) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, kind, responded_on, text, source_url, created_at`,
      [
        order.internal_id,
        input.kind,
        input.responded_on ?? null,
        input.text ?? null,
        input.source_url ?? null,
      ],
    );
    await recordAudit(client, caller, {
      action: 'order.response.add',
      recordType: 'order',
      recordId: order.internal_id,
      after: rows[0],
    });
    await enqueueOrderForSearch(client, order.internal_id);
    return rows[0];
  });
}

export async function recordEvent(
  pool: pg.Pool,
  { caller, orderId, event: input }: { caller: Caller; orderId: string; event: EventInput },
) {
  return withTransaction(pool, async (client) => {
    const order = await lockOrderForChange(client, caller, orderId);
    const { rows } = await client.query(
      `INSERT INTO events (order_id, kind, occurred_at, country, source_url, description)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, kind, occurred_at, country, source_url, description, created_at`,
      [
        order.internal_id,
        input.kind,
        input.occurred_at,
        input.country ?? null,
        input.source_url ?? null,
        input.description ?? null,
      ],
    );
    await recordAudit(client, caller, {
      action: 'order.event.add',
      recordType: 'order',
      recordId: order.internal_id,
      after: rows[0],
    });
    await enqueueOrderForSearch(client, order.internal_id);
    return rows[0];
  });
}

/** Returns the order_targets id. */
export async function recordTarget(
  pool: pg.Pool,
  { caller, orderId, target }: { caller: Caller; orderId: string; target: TargetInput },
): Promise<number> {
  return withTransaction(pool, async (client) => {
    const order = await lockOrderForChange(client, caller, orderId);
    const targetId = await addOrderTarget(client, { caller, internalOrderId: order.internal_id, target });
    await enqueueOrderForSearch(client, order.internal_id);
    return targetId;
  });
}
