// Who may see and change which order: the one place these rules live.
//   anonymous: public orders, and embargoed ones whose embargo has passed;
//   outlet:    those, plus every order of its own outlet;
//   editor:    everything.
// A hidden order answers 404 (not 403), so its existence is not revealed.
import type { Caller } from './caller.ts';

export interface OrderAccessFacts {
  outlet_id: number | string | null;
  visibility: string;
  embargo_until: Date | string | null;
}

export function canSeeOrder(caller: Caller, order: OrderAccessFacts, now = new Date()): boolean {
  if (caller.kind === 'editor') return true;
  if (caller.kind === 'outlet' && order.outlet_id !== null && Number(order.outlet_id) === caller.outletId)
    return true;
  if (order.visibility === 'public') return true;
  return (
    order.visibility === 'embargoed' && order.embargo_until !== null && new Date(order.embargo_until) <= now
  );
}

export function canChangeOrder(caller: Caller, order: OrderAccessFacts): boolean {
  if (caller.kind === 'editor') return true;
  return caller.kind === 'outlet' && order.outlet_id !== null && Number(order.outlet_id) === caller.outletId;
}

/**
 * The same rule as canSeeOrder, as SQL over an `orders` row aliased `alias`. Parameters are appended
 * to `params` (never pasted), and the returned text refers to them by position.
 */
export function visibleOrdersSql(caller: Caller, alias: string, params: unknown[]): string {
  if (caller.kind === 'editor') return 'TRUE';
  const publicRule = `(${alias}.visibility = 'public' OR (${alias}.visibility = 'embargoed' AND ${alias}.embargo_until <= now()))`;
  if (caller.kind === 'outlet') {
    params.push(caller.outletId);
    return `(${publicRule} OR ${alias}.outlet_id = $${params.length})`;
  }
  return publicRule;
}

/**
 * The same rule as canSeeOrder, as a Meilisearch filter over search documents that carry the order's
 * `visibility`, `embargo_until` (unix seconds) and `owner_outlet_id`. Undefined: the caller sees all.
 */
export function visibleOrdersSearchFilter(caller: Caller, now = new Date()): string | undefined {
  if (caller.kind === 'editor') return undefined;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const publicRule = `(visibility = "public" OR (visibility = "embargoed" AND embargo_until <= ${nowSeconds}))`;
  if (caller.kind === 'outlet') {
    if (!Number.isSafeInteger(caller.outletId))
      throw new Error('An outlet caller needs an integer outlet id');
    return `(${publicRule} OR owner_outlet_id = ${caller.outletId})`;
  }
  return publicRule;
}
