// Counts the orders a caller may see, grouped by up to three of their facts (GET /api/stats and the
// statistics page). Orders are counted from rollups kept by triggers in each write's transaction
// (migrations 016, 019 and 021): `order_statistics` by every fact, and coarse ones by a few facts each (a
// few thousand rows); a request reads the smallest rollup that holds every fact its groups and filters
// need (ROLLUPS). Every rollup holds every order with whether it is public: everyone reads the public rows,
// an editor (who sees all) every row; the other non-public orders the caller may see are counted from
// `orders` under the same rule as every other read (visibleOrdersSql). A date range that cuts a month in
// two is answered from the rollup for its whole months and from `orders` for the days at its edges, so
// the counts are exact to the day.
import type { Caller } from '../auth/caller.ts';
import { visibleNonPublicOrdersSql, visibleOrdersSql } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import { issuedRangeConditions, orderFactConditions } from './orderDataFilters.ts';
import type { DataFilterValues, StatisticsGroup, StatisticsResult } from '../schemas/statistics.ts';

export interface StatisticsRequest {
  group: readonly StatisticsGroup[];
  filters: DataFilterValues;
}

/** The columns every counted fact row has, from a rollup or from `orders` (sets distinct, as in the rollup). */
export const FACTS = [
  'authority_id',
  'outlet_id',
  'status',
  'issued_month',
  'has_response',
  'legal_basis',
  'demanded_actions',
  'legal_acts',
  'outcomes',
] as const;
export type Fact = (typeof FACTS)[number];
const FACT_COLUMNS = FACTS.join(', ');
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
 * a fact of several values needs, and how the key is shown once the groups are made: YYYY-MM, or the
 * slug of the table an id is of (`slugOf`).
 */
const GROUP_SQL: Record<
  StatisticsGroup,
  { key: string; join?: string; shown?: (key: string) => string; slugOf?: string }
> = {
  authority: {
    key: 'f.authority_id',
    slugOf: 'authorities',
  },
  country: { key: 'a.country::text' },
  outlet: { key: 'f.outlet_id', slugOf: 'outlets' },
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

/** The fact each group counts by, and each filter reads (a date range reads the month of issue). */
const FACT_OF_GROUP: Record<StatisticsGroup, Fact> = {
  authority: 'authority_id',
  country: 'authority_id',
  outlet: 'outlet_id',
  status: 'status',
  has_response: 'has_response',
  month: 'issued_month',
  year: 'issued_month',
  demanded_action: 'demanded_actions',
  legal_act: 'legal_acts',
  outcome: 'outcomes',
};
const FACT_OF_FILTER: Record<keyof DataFilterValues, Fact> = {
  authority: 'authority_id',
  country: 'authority_id',
  outlet: 'outlet_id',
  status: 'status',
  demanded_action: 'demanded_actions',
  legal_basis: 'legal_basis',
  has_response: 'has_response',
  issued_from: 'issued_month',
  issued_to: 'issued_month',
};

/** What stands for a fact a rollup does not hold, in the place of FACT_COLUMNS (it is never read). */
const ABSENT: Record<Fact, string> = {
  authority_id: 'NULL::bigint',
  outlet_id: 'NULL::bigint',
  status: 'NULL::text',
  issued_month: 'NULL::date',
  has_response: 'NULL::boolean',
  legal_basis: `'{}'::text[]`,
  demanded_actions: `'{}'::text[]`,
  legal_acts: `'{}'::text[]`,
  outcomes: `'{}'::text[]`,
};

/**
 * The rollups (migrations 016, 019, 021), each with the facts it counts orders by, smallest first (rows at
 * 1,000,000 synthetic orders): a request reads the first that holds every fact its groups and filters need.
 * Every one holds `public` and `orders`. (Exported for the test that recounts each, and the bench.)
 */
export const ROLLUPS: readonly { table: string; facts: readonly Fact[] }[] = [
  { table: 'order_statistics_by_action', facts: ['authority_id', 'demanded_actions'] }, // 900
  { table: 'order_statistics_by_outcome', facts: ['authority_id', 'status', 'has_response', 'outcomes'] }, // 906
  { table: 'order_statistics_by_outlet', facts: ['authority_id', 'outlet_id'] }, // 2,506
  { table: 'order_statistics_by_month_action', facts: ['issued_month', 'demanded_actions'] }, // 5,464
  {
    table: 'order_statistics_by_fact',
    facts: ['status', 'has_response', 'outcomes', 'demanded_actions', 'legal_basis', 'legal_acts'],
  }, // 5,544
  {
    table: 'order_statistics_by_month_outcome',
    facts: ['issued_month', 'status', 'has_response', 'outcomes'],
  }, // 5,735
  { table: 'order_statistics_by_month', facts: ['authority_id', 'issued_month'] }, // 7,750
  { table: 'order_statistics_by_law', facts: ['authority_id', 'status', 'legal_basis', 'legal_acts'] }, // 8,301
  { table: 'order_statistics_by_month_law', facts: ['issued_month', 'legal_basis', 'legal_acts'] }, // 8,763
  { table: 'order_statistics_by_outlet_month', facts: ['outlet_id', 'issued_month'] }, // 15,630
  { table: 'order_statistics', facts: FACTS }, // 301,672: every fact
];

/** The smallest rollup holding every fact a request's groups and filters need. */
export function rollupFor(group: readonly StatisticsGroup[], filters: DataFilterValues) {
  const needed = new Set<Fact>(group.map((name) => FACT_OF_GROUP[name]));
  for (const [name, value] of Object.entries(filters))
    if (value !== undefined && !(Array.isArray(value) && value.length === 0))
      needed.add(FACT_OF_FILTER[name as keyof DataFilterValues]);
  const rollup = ROLLUPS.find(({ facts }) => [...needed].every((fact) => facts.includes(fact)))!;
  const columns = FACTS.map((fact) => (rollup.facts.includes(fact) ? `s.${fact}` : ABSENT[fact]));
  return { table: rollup.table, columns: columns.join(', ') };
}

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
  const rollup = rollupFor(group, filters);

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
    `SELECT ${rollup.columns}, s.orders FROM ${rollup.table} s WHERE ${rollupWhere.join(' AND ')}`,
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
  // Ids are shown as slugs by one join per group (thousands of groups by authority and month).
  const shown = group.map((name, index) => {
    const { shown, slugOf } = GROUP_SQL[name];
    const value = slugOf ? `n${index}.slug` : (shown?.(`k${index}`) ?? `k${index}`);
    return `${value} AS g${index}`;
  });
  const slugJoins = group.flatMap((name, index) => {
    const table = GROUP_SQL[name].slugOf;
    return table ? [`LEFT JOIN ${table} n${index} ON n${index}.id = counted.k${index}`] : [];
  });
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
      FROM counted ${slugJoins.join(' ')}
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
