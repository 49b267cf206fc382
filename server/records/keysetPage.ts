// What the list routes share: conditions whose values go as query parameters (never pasted into the
// text), and a page cut from one row more than asked for, so the cursor says whether more follow.

export class SqlConditions {
  readonly params: unknown[] = [];
  private readonly clauses: string[] = [];

  /** A condition made by a rule that appends its own parameters (e.g. visibleOrdersSql). */
  require(build: (params: unknown[]) => string): this {
    this.clauses.push(build(this.params));
    return this;
  }

  /** A condition on one value, written around its placeholder: `(p) => \`o.status = ${p}\``. */
  add(clause: (placeholder: string) => string, value: unknown): this {
    this.params.push(value);
    this.clauses.push(clause(`$${this.params.length}`));
    return this;
  }

  /** The WHERE text, then ORDER BY and a LIMIT of one row more than the page (its placeholder last). */
  listSql(select: string, orderBy: string, limit: number): { text: string; values: unknown[] } {
    const values = [...this.params, limit + 1];
    return {
      text: `${select} WHERE ${this.clauses.join(' AND ')} ORDER BY ${orderBy} LIMIT $${values.length}`,
      values,
    };
  }
}

/** The page of `rows` (fetched with one more than `limit`), and the cursor of the next page, if any. */
export function keysetPage<Row, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  cursorOf: (row: Row) => string | number,
): { items: Item[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  return {
    items: page.map(present),
    next_cursor: rows.length > limit ? String(cursorOf(page[page.length - 1]!)) : null,
  };
}
