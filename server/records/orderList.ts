// Lists the orders a caller may see, newest first, filtered, with keyset (cursor) pagination.
import type { Caller } from '../auth/caller.ts';
import { visibleOrdersSql } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import type { Order, OrderListQuery } from '../schemas/orders.ts';
import { ORDER_SELECT_SQL, presentOrder, type OrderRow } from './orderRecords.ts';

export async function listOrders(
  db: Queryable,
  caller: Caller,
  query: OrderListQuery,
): Promise<{ items: Order[]; next_cursor: string | null }> {
  const params: unknown[] = [];
  const where = [visibleOrdersSql(caller, 'o', params)];
  const add = (clause: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  const byIdOrSlug = (value: string, table: string) =>
    /^[0-9]+$/.test(value) ? `${table}.id = ` : `${table}.slug = `;
  if (query.authority) add((p) => `${byIdOrSlug(query.authority!, 'a')}${p}`, query.authority);
  if (query.outlet) add((p) => `${byIdOrSlug(query.outlet!, 'ou')}${p}`, query.outlet);
  if (query.country) add((p) => `a.country = ${p}`, query.country);
  if (query.status) add((p) => `o.status = ${p}`, query.status);
  if (query.issued_from) add((p) => `o.issued_on >= ${p}`, query.issued_from);
  if (query.issued_to) add((p) => `o.issued_on <= ${p}`, query.issued_to);
  if (query.cursor) add((p) => `o.id < ${p}`, query.cursor);
  params.push(query.limit + 1);
  const { rows } = await db.query<OrderRow>(
    `${ORDER_SELECT_SQL} WHERE ${where.join(' AND ')} ORDER BY o.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(presentOrder),
    next_cursor: rows.length > query.limit ? String(page[page.length - 1]!.internal_id) : null,
  };
}
