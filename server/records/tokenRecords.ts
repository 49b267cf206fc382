// Reads API tokens as their owners see them: who owns each, what it is narrowed to, its state and last
// use. Never the hash, let alone the secret.
import type { Caller } from '../auth/caller.ts';
import { visibleTokensSql } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import type { ApiToken, TokenListQuery } from '../schemas/tokens.ts';
import { keysetPage, SqlConditions } from './keysetPage.ts';

interface TokenRow {
  id: string;
  name: string;
  role: ApiToken['role'];
  user_id: string | null;
  outlet_id: string | null;
  owner_name: string | null;
  outlet_slug: string | null;
  outlet_name: string | null;
  created_by_user_id: string | null;
  created_by_name: string | null;
  read_only: boolean;
  state: ApiToken['state'];
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
}

const TOKEN_SELECT_SQL = `
  SELECT t.id, t.name, t.role, t.user_id, t.outlet_id, u.display_name AS owner_name, ou.slug AS outlet_slug,
         ou.name AS outlet_name, t.created_by_user_id, cb.display_name AS created_by_name, t.read_only,
         CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked'
              WHEN t.expires_at IS NOT NULL AND t.expires_at <= now() THEN 'expired'
              ELSE 'live' END AS state,
         t.created_at, t.last_used_at, t.expires_at, t.revoked_at, t.revoke_reason
    FROM api_tokens t
    LEFT JOIN users u ON u.id = t.user_id
    LEFT JOIN users cb ON cb.id = t.created_by_user_id
    LEFT JOIN outlets ou ON ou.id = t.outlet_id`;

const STATE_SQL: Record<NonNullable<TokenListQuery['state']>, string> = {
  live: 't.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())',
  revoked: 't.revoked_at IS NOT NULL',
  expired: 't.revoked_at IS NULL AND t.expires_at <= now()',
};

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

function presentToken(row: TokenRow): ApiToken {
  const owner =
    row.role === 'user'
      ? { kind: 'user' as const, id: Number(row.user_id), display_name: row.owner_name ?? '' }
      : row.role === 'outlet'
        ? { kind: 'outlet' as const, id: Number(row.outlet_id), slug: row.outlet_slug ?? '' }
        : null;
  return {
    id: Number(row.id),
    name: row.name,
    owner,
    role: row.role,
    outlet:
      row.outlet_id === null
        ? null
        : { id: Number(row.outlet_id), slug: row.outlet_slug ?? '', name: row.outlet_name ?? '' },
    read_only: row.read_only,
    state: row.state,
    created_by:
      row.created_by_user_id === null
        ? null
        : { id: Number(row.created_by_user_id), display_name: row.created_by_name ?? '' },
    created_at: row.created_at.toISOString(),
    last_used_at: iso(row.last_used_at),
    expires_at: iso(row.expires_at),
    revoked_at: iso(row.revoked_at),
    revoke_reason: row.revoke_reason,
  };
}

/** The token, whoever may see it (the caller of this decides). */
export async function findToken(db: Queryable, id: number): Promise<ApiToken | undefined> {
  const { rows } = await db.query<TokenRow>(`${TOKEN_SELECT_SQL} WHERE t.id = $1`, [id]);
  return rows[0] && presentToken(rows[0]);
}

/** The tokens the caller may see, newest first, filtered, with a keyset cursor on the id. */
export async function listTokens(
  db: Queryable,
  caller: Caller,
  query: TokenListQuery,
): Promise<{ items: ApiToken[]; next_cursor: string | null }> {
  const where = new SqlConditions().require((params) => visibleTokensSql(caller, 't', params));
  if (query.user !== undefined) where.add((p) => `t.user_id = ${p}`, query.user);
  if (query.outlet !== undefined) {
    const column = /^[0-9]+$/.test(query.outlet) ? 'ou.id' : 'ou.slug';
    where.add((p) => `${column} = ${p}`, query.outlet);
  }
  if (query.state !== undefined) where.require(() => STATE_SQL[query.state!]);
  if (query.cursor !== undefined) where.add((p) => `t.id < ${p}`, query.cursor);
  const { text, values } = where.listSql(TOKEN_SELECT_SQL, 't.id DESC', query.limit);
  const { rows } = await db.query<TokenRow>(text, values);
  return keysetPage(rows, query.limit, presentToken, (row) => row.id);
}
