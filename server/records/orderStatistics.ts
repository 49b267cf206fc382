// Counts the orders a caller may see, grouped by up to three of their facts (GET /api/stats and the
// statistics page). Public orders are counted from the rollup `order_statistics` (migration 016, kept by
// triggers in each write's transaction); the orders that are not public, which the caller may or may not
// see, are counted from `orders` under the same rule as every other read (visibleOrdersSql). A date range
// that cuts a month in two is answered from the rollup for its whole months and from `orders` for the
// days at its edges, so the counts are exact to the day.
import type { Caller } from '../auth/caller.ts';
import { visibleOrdersSql } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import { issuedRangeConditions, orderFactConditions } from './orderDataFilters.ts';
import type { DataFilterValues, StatisticsGroup, StatisticsResult } from '../schemas/statistics.ts';

export interface StatisticsRequest {
  group: readonly StatisticsGroup[];
  filters: DataFilterValues;
}

/** The columns every counted fact row has, from the rollup or from `orders`. */
const FACT_COLUMNS =
  'authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions';
const ORDER_FACTS = (alias: string) =>
  `${alias}.authority_id, ${alias}.outlet_id, ${alias}.status, date_trunc('month', ${alias}.issued_on)::date,
   ${alias}.has_response, ${alias}.legal_basis, ${alias}.demanded_actions, 1::bigint`;

/** What each group selects, and the lateral join a group over several values of an order needs. */
const GROUP_SQL: Record<StatisticsGroup, { value: string; join?: string }> = {
  authority: { value: 'a.slug' },
  country: { value: 'a.country::text' },
  outlet: { value: 'ou.slug' },
  status: { value: 'f.status' },
  has_response: { value: 'f.has_response' },
  month: { value: `to_char(f.issued_month, 'YYYY-MM')` },
  year: { value: `to_char(f.issued_month, 'YYYY')` },
  demanded_action: {
    value: 'da.value',
    join: `CROSS JOIN LATERAL (SELECT DISTINCT action
                                 FROM unnest(CASE WHEN cardinality(f.demanded_actions) = 0 THEN ARRAY[NULL::text]
                                                  ELSE f.demanded_actions END) AS action) AS da(value)`,
  },
  legal_act: {
    value: 'la.value',
    join: `CROSS JOIN LATERAL (SELECT DISTINCT split_part(code, '/', 1) || '/' || split_part(code, '/', 2)
                                 FROM unnest(CASE WHEN cardinality(f.legal_basis) = 0 THEN ARRAY[NULL::text]
                                                  ELSE f.legal_basis END) AS code) AS la(value)`,
  },
};

export async function orderStatistics(
  db: Queryable,
  caller: Caller,
  request: StatisticsRequest,
): Promise<StatisticsResult> {
  const group = [...new Set(request.group)];
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const { filters } = request;
  const months = wholeMonthsOf(filters.issued_from, filters.issued_to);

  // The rollup holds public orders: those of whole months within the range (all, without a range).
  const rollupWhere = ['s.orders <> 0'];
  if (months.empty) rollupWhere.push('FALSE');
  else {
    if (months.from) rollupWhere.push(`s.issued_month >= ${bind(months.from)}::date`);
    if (months.to) rollupWhere.push(`s.issued_month < ${bind(months.to)}::date`);
  }

  // From `orders`: what the caller sees that is not public, and public orders of a cut month's days.
  const inRange = issuedRangeConditions(filters, 'o', bind);
  const directWhere = [`o.visibility <> 'public'`, visibleOrdersSql(caller, 'o', params), ...inRange];
  const sources = [
    `SELECT ${FACT_COLUMNS}, s.orders FROM order_statistics s WHERE ${rollupWhere.join(' AND ')}`,
    `SELECT ${ORDER_FACTS('o')} FROM orders o WHERE ${directWhere.join(' AND ')}`,
  ];
  if (months.edges) {
    const inWholeMonths = months.empty
      ? []
      : [
          ...(months.from ? [`o.issued_on >= ${bind(months.from)}::date`] : []),
          ...(months.to ? [`o.issued_on < ${bind(months.to)}::date`] : []),
        ];
    const outside = inWholeMonths.length ? ` AND NOT (${inWholeMonths.join(' AND ')})` : '';
    sources.push(
      `SELECT ${ORDER_FACTS('o')} FROM orders o
        WHERE o.visibility = 'public' AND ${inRange.join(' AND ')}${outside}`,
    );
  }

  const where = orderFactConditions(filters, 'f', bind);
  const columns = group.map((name, index) => `${GROUP_SQL[name].value} AS g${index}`);
  const joins = group.flatMap((name) => (GROUP_SQL[name].join ? [GROUP_SQL[name].join] : []));
  const groupBy = group.map((_, index) => `g${index}`);
  const text = `
    WITH facts AS MATERIALIZED (
      SELECT f.* FROM (${sources.join('\n UNION ALL ')}) AS f (${FACT_COLUMNS}, orders)
       WHERE ${where.length ? where.join(' AND ') : 'TRUE'}
    )
    SELECT ${[...columns, 'sum(f.orders)::bigint AS orders'].join(', ')},
           (SELECT COALESCE(sum(orders), 0) FROM facts)::bigint AS total
      FROM facts f
      LEFT JOIN authorities a ON a.id = f.authority_id
      LEFT JOIN outlets ou ON ou.id = f.outlet_id
      ${joins.join('\n')}
     GROUP BY ${groupBy.join(', ')}
    HAVING sum(f.orders) > 0
     ORDER BY ${groupBy.map((column) => `${column} NULLS LAST`).join(', ')}`;
  const { rows } = await db.query<Record<string, unknown>>(text, params);
  return {
    groups: group,
    rows: rows.map((row) => {
      const keys = Object.fromEntries(group.map((name, index) => [name, row[`g${index}`] as string | null]));
      return { ...keys, orders: Number(row.orders) };
    }),
    total: rows.length ? Number(rows[0]!.total) : 0,
  };
}

/**
 * The whole months a date range holds, as [from, to) first days of months: the rollup answers those;
 * `edges` says whether days outside them (a cut month) must be read from orders; `empty` that no whole
 * month is inside the range.
 */
export function wholeMonthsOf(
  issuedFrom: string | undefined,
  issuedTo: string | undefined,
): { from?: string; to?: string; edges: boolean; empty: boolean } {
  const monthStart = (date: string) => `${date.slice(0, 7)}-01`;
  const nextMonth = (date: string) => {
    const [year, month] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
    return month === 12
      ? `${String(year + 1).padStart(4, '0')}-01-01`
      : `${date.slice(0, 4)}-${String(month + 1).padStart(2, '0')}-01`;
  };
  const lastDay = (date: string) => {
    const next = new Date(`${nextMonth(date)}T00:00:00Z`);
    return new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
  };
  const from = issuedFrom && (issuedFrom === monthStart(issuedFrom) ? issuedFrom : nextMonth(issuedFrom));
  const to = issuedTo && (issuedTo === lastDay(issuedTo) ? nextMonth(issuedTo) : monthStart(issuedTo));
  const edges =
    (issuedFrom !== undefined && from !== issuedFrom) ||
    (issuedTo !== undefined && to !== nextMonth(issuedTo)) ||
    (from !== undefined && to !== undefined && from >= to);
  return { from, to, edges, empty: from !== undefined && to !== undefined && from >= to };
}
