// Turns an id-or-slug from a request into the row id of an authority or outlet, or an error naming the field.
import { invalidInput } from '../errors.ts';
import type { Queryable } from '../database/transaction.ts';

async function lookUp(
  db: Queryable,
  table: 'authorities' | 'outlets',
  value: string,
  field: string,
): Promise<number> {
  const byId = /^[0-9]+$/.test(value);
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM ${table} WHERE ${byId ? 'id = $1::bigint' : 'slug = $1'}`,
    [value],
  );
  if (!rows[0])
    throw invalidInput(`there is no ${table === 'authorities' ? 'authority' : 'outlet'} '${value}'`, field);
  return rows[0].id;
}

export const resolveAuthorityId = (db: Queryable, value: string, field = 'authority') =>
  lookUp(db, 'authorities', value, field);
export const resolveOutletId = (db: Queryable, value: string, field = 'outlet') =>
  lookUp(db, 'outlets', value, field);
