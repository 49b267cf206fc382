// Counts the orders a caller may see, grouped by up to three of their facts (GET /api/stats and the
// statistics page). Orders are counted from two rollups kept by triggers in each write's transaction
// (migrations 016 and 019): `order_statistics` by every fact, and `order_statistics_by_month` by authority
// and month alone (a few thousand rows), which answers the groupings and filters that need nothing else.
// Both hold every order with whether it is public: everyone reads the public rows, an editor (who sees
// all) every row; the other non-public orders the caller may see are counted from `orders` under the same
// rule as every other read (visibleOrdersSql). A date range that cuts a month in two is answered from the
// rollup for its whole months and from `orders` for the days at its edges, so the counts are exact to the
// day.
import type { Caller } from '../auth/caller.ts';
import { visibleNonPublicOrdersSql, visibleOrdersSql } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import { issuedRangeConditions, orderFactConditions } from './orderDataFilters.ts';
import type { DataFilterValues, StatisticsGroup, StatisticsResult } from '../schemas/statistics.ts';

export interface StatisticsRequest {
  group: readonly StatisticsGroup[];
  filters: DataFilterValues;
}

/** The columns every counted fact row has, from the rollup or from `orders` (sets distinct, as in the rollup). */
const FACT_COLUMNS =
  'authority_id, outlet_id, status, issued_month, has_response, legal_basis, demanded_actions, legal_acts, outcomes';
/** The same facts of an `orders` row; the sets are made distinct only when a group reads them (it costs). */
const ORDER_FACTS = (alias: string, group: readonly StatisticsGroup[]) =>
  `${alias}.authority_id, ${alias}.outlet_id, ${alias}.status, date_trunc('month', ${alias}.issued_on)::date,
   ${alias}.has_response, ${alias}.legal_basis,
   ${group.includes('demanded_action') ? `statistics_set(${alias}.demanded_actions)` : `${alias}.demanded_actions`},
   ${group.includes('legal_act') ? `statistics_acts(${alias}.legal_basis)` : `'{}'::text[]`},
   ${alias}.outcomes, 1::bigint`;

/** An empty set counts once, under null ("none"). */
const membersOf = (column: string) =>
  `unnest(CASE WHEN cardinality(${column}) = 0 THEN ARRAY[NULL::text] ELSE ${column} END)`;

/**
 * Each group: the raw key it is counted by (ids, first days of months: cheap to group), the lateral join
 * a fact of several values needs, and how the key is shown (slugs, YYYY-MM) once the few groups are made.
 */
const GROUP_SQL: Record<StatisticsGroup, { key: string; join?: string; shown?: (key: string) => string }> = {
  authority: {
    key: 'f.authority_id',
    shown: (key) => `(SELECT slug FROM authorities WHERE id = ${key})`,
  },
  country: { key: 'a.country::text' },
  outlet: { key: 'f.outlet_id', shown: (key) => `(SELECT slug FROM outlets WHERE id = ${key})` },
  status: { key: 'f.status' },
  has_response: { key: 'f.has_response' },
  month: { key: 'f.issued_month', shown: (key) => `to_char(${key}, 'YYYY-MM')` },
  year: { key: `date_trunc('year', f.issued_month)`, shown: (key) => `to_char(${key}, 'YYYY')` },
  demanded_action: {
    key: 'da.value',
    join: `CROSS JOIN LATERAL ${membersOf('f.demanded_actions')} AS da(value)`,
  },
  legal_act: { key: 'la.value', join: `CROSS JOIN LATERAL ${membersOf('f.legal_acts')} AS la(value)` },
  // What came of the order (migration 019: from its responses and events); none counts under null.
  outcome: { key: 'oc.value', join: `CROSS JOIN LATERAL ${membersOf('f.outcomes')} AS oc(value)` },
};

/** Groups and filters the coarse rollup (authority, month) can answer. */
const BY_MONTH_GROUPS: readonly StatisticsGroup[] = ['authority', 'country', 'month', 'year'];
const BY_MONTH_FILTERS: readonly string[] = ['authority', 'country', 'issued_from', 'issued_to'];

/** The coarse rollup's rows in the shape of FACT_COLUMNS (the facts it lacks are never read). */
const BY_MONTH_FACTS = `s.authority_id, NULL::bigint, NULL::text, s.issued_month, NULL::boolean, '{}'::text[],
  '{}'::text[], '{}'::text[], '{}'::text[]`;

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

  // A caller the visibility rule lets see every order (an editor) reads every rollup row.
  const seesAll = visibleOrdersSql(caller, 'o', []) === 'TRUE';
  const byMonth =
    group.every((name) => BY_MONTH_GROUPS.includes(name)) &&
    Object.entries(filters).every(
      ([name, value]) =>
        value === undefined ||
        (Array.isArray(value) && value.length === 0) ||
        BY_MONTH_FILTERS.includes(name),
    );

  // From a rollup: the orders of whole months within the range (all, without a range), public ones only
  // unless the caller sees all.
  const rollupWhere = ['s.orders <> 0', ...(seesAll ? [] : ['s.public'])];
  if (months.empty) rollupWhere.push('FALSE');
  else {
    if (months.from) rollupWhere.push(`s.issued_month >= ${bind(months.from)}::date`);
    if (months.to) rollupWhere.push(`s.issued_month < ${bind(months.to)}::date`);
  }

  // From `orders`: what the caller sees that is not public (unless the rollup gave all), and the orders of
  // a cut month's days.
  // (Each part binds the range where it uses it: a parameter bound and not used is an error.)
  const inRange = () => issuedRangeConditions(filters, 'o', bind);
  const sources = [
    byMonth
      ? `SELECT ${BY_MONTH_FACTS}, s.orders FROM order_statistics_by_month s WHERE ${rollupWhere.join(' AND ')}`
      : `SELECT ${FACT_COLUMNS}, s.orders FROM order_statistics s WHERE ${rollupWhere.join(' AND ')}`,
  ];
  // Each part of what the caller sees beyond the public rollup is read on its own, by its own index.
  for (const part of visibleNonPublicOrdersSql(caller, 'o', params) ?? []) {
    const directWhere = [part, ...inRange()];
    sources.push(`SELECT ${ORDER_FACTS('o', group)} FROM orders o WHERE ${directWhere.join(' AND ')}`);
  }
  if (months.edges) {
    const inEdges = inRange();
    const inWholeMonths = months.empty
      ? []
      : [
          ...(months.from ? [`o.issued_on >= ${bind(months.from)}::date`] : []),
          ...(months.to ? [`o.issued_on < ${bind(months.to)}::date`] : []),
        ];
    const outside = inWholeMonths.length ? ` AND NOT (${inWholeMonths.join(' AND ')})` : '';
    sources.push(
      `SELECT ${ORDER_FACTS('o', group)} FROM orders o
        WHERE ${seesAll ? '' : `o.visibility = 'public' AND `}${inEdges.join(' AND ')}${outside}`,
    );
  }

  const where = orderFactConditions(filters, 'f', bind);
  const keys = group.map((name, index) => `${GROUP_SQL[name].key} AS k${index}`);
  const joins = group.flatMap((name) => (GROUP_SQL[name].join ? [GROUP_SQL[name].join] : []));
  const shown = group.map(
    (name, index) => `${GROUP_SQL[name].shown?.(`k${index}`) ?? `k${index}`} AS g${index}`,
  );
  const byKeys = group.map((_, index) => `k${index}`);
  const text = `
    WITH facts AS MATERIALIZED (
      SELECT f.* FROM (${sources.join('\n UNION ALL ')}) AS f (${FACT_COLUMNS}, orders)
       WHERE ${where.length ? where.join(' AND ') : 'TRUE'}
    ), counted AS (
      SELECT ${[...keys, 'sum(f.orders) AS orders'].join(', ')}
        FROM facts f LEFT JOIN authorities a ON a.id = f.authority_id
        ${joins.join('\n')}
       GROUP BY ${byKeys.join(', ')}
      HAVING sum(f.orders) > 0
    )
    SELECT ${[...shown, 'orders::bigint'].join(', ')},
           (SELECT COALESCE(sum(orders), 0) FROM facts)::bigint AS total
      FROM counted
     ORDER BY ${group.map((_, index) => `g${index} NULLS LAST`).join(', ')}`;
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
