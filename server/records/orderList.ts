// Lists the orders a caller may see (their own texts redacted as the caller must read them), newest first,
// filtered, with keyset (cursor) pagination.
import type { Caller } from '../auth/caller.ts';
import { visibleOrdersSql } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import type { Order, OrderListQuery } from '../schemas/orders.ts';
import { keysetPage, SqlConditions } from './keysetPage.ts';
import { ORDER_SELECT_SQL, presentOrder, type OrderRow } from './orderRecords.ts';
import { orderRowsAsReadBy } from './redactionRecords.ts';

export async function listOrders(
  db: Queryable,
  caller: Caller,
  query: OrderListQuery,
): Promise<{ items: Order[]; next_cursor: string | null }> {
  const where = new SqlConditions().require((params) => visibleOrdersSql(caller, 'o', params));
  const byIdOrSlug = (value: string, table: string) =>
    /^[0-9]+$/.test(value) ? `${table}.id = ` : `${table}.slug = `;
  if (query.authority) where.add((p) => `${byIdOrSlug(query.authority!, 'a')}${p}`, query.authority);
  if (query.outlet) where.add((p) => `${byIdOrSlug(query.outlet!, 'ou')}${p}`, query.outlet);
  if (query.country) where.add((p) => `a.country = ${p}`, query.country);
  if (query.status) where.add((p) => `o.status = ${p}`, query.status);
  if (query.issued_from) where.add((p) => `o.issued_on >= ${p}`, query.issued_from);
  if (query.issued_to) where.add((p) => `o.issued_on <= ${p}`, query.issued_to);
  if (query.cursor) where.add((p) => `o.id < ${p}`, query.cursor);
  const { text, values } = where.listSql(ORDER_SELECT_SQL, 'o.id DESC', query.limit);
  const { rows } = await db.query<OrderRow>(text, values);
  return keysetPage(
    await orderRowsAsReadBy(db, caller, rows),
    query.limit,
    presentOrder,
    (row) => row.internal_id,
  );
}
