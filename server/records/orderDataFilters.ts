// The filters of the statistics and the exports as SQL over a row that has the order's facts under their
// `orders` names (an `orders` row, or a row of the statistics rollup): any of the values given within one
// filter, every filter given. Values go as parameters through `bind`, never into the text.
import type { DataFilterValues } from '../schemas/statistics.ts';

export type Bind = (value: unknown) => string;

/** Conditions on the facts of row `alias` (dates excluded: the rollup has months, orders have days). */
export function orderFactConditions(filters: DataFilterValues, alias: string, bind: Bind): string[] {
  const where: string[] = [];
  const idsAndSlugs = (values: readonly string[]) => {
    const ids = values.filter((value) => /^[0-9]+$/.test(value)).map(Number);
    const slugs = values.filter((value) => !/^[0-9]+$/.test(value));
    return `(id = ANY(${bind(ids)}::bigint[]) OR slug = ANY(${bind(slugs)}::text[]))`;
  };
  if (filters.authority?.length)
    where.push(
      `${alias}.authority_id IN (SELECT id FROM authorities WHERE ${idsAndSlugs(filters.authority)})`,
    );
  if (filters.country?.length)
    where.push(
      `${alias}.authority_id IN (SELECT id FROM authorities WHERE country = ANY(${bind(filters.country)}::text[]))`,
    );
  if (filters.outlet?.length)
    where.push(`${alias}.outlet_id IN (SELECT id FROM outlets WHERE ${idsAndSlugs(filters.outlet)})`);
  if (filters.status?.length) where.push(`${alias}.status = ANY(${bind(filters.status)}::text[])`);
  if (filters.demanded_action?.length)
    where.push(`${alias}.demanded_actions && ${bind(filters.demanded_action)}::text[]`);
  if (filters.legal_basis?.length) {
    // An article (RU/149-FZ/15.3) matches itself; a bare act (RU/149-FZ) any of its articles.
    const codes = bind(filters.legal_basis);
    where.push(`EXISTS (SELECT 1 FROM unnest(${alias}.legal_basis) AS code
                 WHERE code = ANY(${codes}::text[])
                    OR split_part(code, '/', 1) || '/' || split_part(code, '/', 2) = ANY(${codes}::text[]))`);
  }
  if (filters.has_response !== undefined)
    where.push(`${alias}.has_response = ${bind(filters.has_response)}::boolean`);
  return where;
}

/** The date-of-issue range over an `orders` row, exact to the day. */
export function issuedRangeConditions(filters: DataFilterValues, alias: string, bind: Bind): string[] {
  return [
    ...(filters.issued_from ? [`${alias}.issued_on >= ${bind(filters.issued_from)}::date`] : []),
    ...(filters.issued_to ? [`${alias}.issued_on <= ${bind(filters.issued_to)}::date`] : []),
  ];
}
