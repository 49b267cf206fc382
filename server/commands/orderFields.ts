// Turns the order fields of a create or update request into column values, checking the rules
// a schema cannot express (embargo dates, which outlet an outlet token may name).
import type { Caller } from '../auth/caller.ts';
import { actsFor } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import { resolveAuthorityId, resolveOutletId } from '../records/referenceLookup.ts';
import type { OrderUpdateInput } from '../schemas/orders.ts';
import { forbidden, invalidInput } from '../errors.ts';

/** Columns that take the request's value as it is. */
const PLAIN_COLUMNS = [
  'reference_number',
  'issued_on',
  'received_on',
  'deadline_at',
  'channel',
  'legal_basis',
  'legal_basis_raw',
  'demanded_actions',
  'stated_reason',
  'threatened_consequence',
  'status',
  'visibility',
  'embargo_until',
  'language',
  'summary',
  'researchers_may_read_unredacted',
] as const;

export async function orderColumnsFrom(
  db: Queryable,
  caller: Caller,
  input: OrderUpdateInput,
): Promise<Record<string, unknown>> {
  const columns: Record<string, unknown> = {};
  for (const column of PLAIN_COLUMNS) {
    if (input[column] !== undefined) columns[column] = input[column];
  }
  if (input.authority !== undefined) columns.authority_id = await resolveAuthorityId(db, input.authority);
  if (input.outlet !== undefined) {
    const outletId = input.outlet === null ? null : await resolveOutletId(db, input.outlet);
    if (caller.kind !== 'editor' && !actsFor(caller, outletId)) {
      throw forbidden('you may only file orders for your own outlets', 'outlet');
    }
    columns.outlet_id = outletId;
  }
  return columns;
}

/** The embargo rule on the order as it will be after the change. */
export function checkEmbargo(visibility: string, embargoUntil: unknown): void {
  if (visibility === 'embargoed' && (embargoUntil === null || embargoUntil === undefined)) {
    throw invalidInput(
      'an embargoed order needs embargo_until (the date it becomes public)',
      'embargo_until',
    );
  }
}
