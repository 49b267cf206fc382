// The statistics page's first table, orders per authority per month, made readable: the few authorities
// with the most orders each get a column and the rest share "other"; the latest months are the rows (the
// CSV has every authority and month). Pure: it reshapes the rows of a `group=authority,month` count.

/** An authority's column: its slug, or null for orders of no known authority; `other` for the rest. */
export type MatrixColumn =
  { kind: 'authority'; slug: string | null } | { kind: 'other'; authorities: number };

export interface AuthorityMonthMatrix {
  columns: MatrixColumn[];
  /** Month rows, latest last (YYYY-MM; null: orders of no known date, last of all). */
  months: (string | null)[];
  /** counts[row][column], and each row's total. */
  counts: number[][];
  totals: number[];
  /** Months with orders that are not shown (older than the rows kept). */
  monthsLeftOut: number;
}

export interface MatrixLimits {
  authorities: number;
  months: number;
}

export function authorityMonthMatrix(
  rows: readonly { authority?: unknown; month?: unknown; orders: number }[],
  limits: MatrixLimits = { authorities: 6, months: 24 },
): AuthorityMonthMatrix {
  const keyOf = (value: unknown) => (value === null || value === undefined ? null : String(value));
  const byAuthority = new Map<string | null, number>();
  for (const row of rows)
    byAuthority.set(keyOf(row.authority), (byAuthority.get(keyOf(row.authority)) ?? 0) + row.orders);
  const ranked = [...byAuthority].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  // "Other" stands for two or more authorities: one would rather be shown by its name.
  const kept = ranked.length > limits.authorities + 1 ? ranked.slice(0, limits.authorities) : ranked;
  const others = ranked.length - kept.length;
  const columns: MatrixColumn[] = [
    ...kept.map(([slug]) => ({ kind: 'authority' as const, slug })),
    ...(others ? [{ kind: 'other' as const, authorities: others }] : []),
  ];
  const columnOf = new Map(kept.map(([slug], index) => [slug, index]));

  const known = [...new Set(rows.map((row) => keyOf(row.month)).filter((month) => month !== null))].sort();
  const shown = known.slice(-limits.months);
  const months: (string | null)[] = rows.some((row) => keyOf(row.month) === null) ? [...shown, null] : shown;
  const rowOf = new Map(months.map((month, index) => [month, index]));

  const counts = months.map(() => columns.map(() => 0));
  for (const row of rows) {
    const at = rowOf.get(keyOf(row.month));
    if (at === undefined) continue;
    counts[at]![columnOf.get(keyOf(row.authority)) ?? columns.length - 1]! += row.orders;
  }
  return {
    columns,
    months,
    counts,
    totals: counts.map((cells) => cells.reduce((sum, cell) => sum + cell, 0)),
    monthsLeftOut: known.length - shown.length,
  };
}
