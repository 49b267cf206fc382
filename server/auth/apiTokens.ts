// API tokens: random, shown once, stored only as their sha256. A token is an editor's or an outlet's
// (made with the CLI, or by an outlet's admin for its automation), or a user's: then it carries that
// user's rights, or fewer (read-only, one outlet), and dies with the user's access.
import type pg from 'pg';
import type { Queryable } from '../database/transaction.ts';
import type { TokenRole } from '../schemas/enums.ts';
import type { Caller } from './caller.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { callerFromRights, USER_RIGHTS_SQL, type UserRightsRow } from './userRights.ts';

const TOKEN_PREFIX = 'ta_';

export const hashToken = hashSecret;

export interface CreatedToken {
  id: number;
  token: string;
}

export interface TokenInput {
  name: string;
  role: TokenRole;
  outletId?: number | undefined;
  /** The user whose rights a 'user' token carries. */
  userId?: number | undefined;
  /** The user who made it (an outlet admin making an outlet's token). */
  createdByUserId?: number | undefined;
  readOnly?: boolean | undefined;
  expiresAt?: Date | string | undefined;
}

export async function createApiToken(db: Queryable, input: TokenInput): Promise<CreatedToken> {
  if (input.role === 'outlet' && input.outletId === undefined) {
    throw new Error('An outlet token needs --outlet ID');
  }
  if (input.role === 'editor' && input.outletId !== undefined) {
    throw new Error('An editor token sees every outlet: do not give --outlet');
  }
  if (input.role === 'user' && input.userId === undefined) throw new Error('A user token needs its user');
  const token = newSecret(TOKEN_PREFIX);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO api_tokens (name, role, outlet_id, token_hash, user_id, created_by_user_id, read_only, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      input.name,
      input.role,
      input.outletId ?? null,
      hashToken(token),
      input.userId ?? null,
      input.createdByUserId ?? input.userId ?? null,
      input.readOnly ?? false,
      input.expiresAt ?? null,
    ],
  );
  return { id: Number(rows[0]!.id), token };
}

/** last_used_at is written at most this often per token, so checking a token costs no write. */
const LAST_USE_GRANULARITY = "interval '1 minute'";

/** The pool, not a transaction's client: the stamp is written after the caller has moved on. */
type Pool = Pick<pg.Pool, 'query'>;

/** Tokens whose last_used_at is being written now: a burst of requests sends one UPDATE, not one each. */
const touching = new Set<number>();

interface TokenRow extends UserRightsRow {
  id: string;
  name: string;
  role: TokenRole;
  outlet_id: string | null;
  user_id: string | null;
  display_name: string | null;
  read_only: boolean;
  stale: boolean;
}

/**
 * The caller a live token makes, or undefined (unknown, revoked, expired, or its user disabled). A read:
 * when last_used_at is more than a minute old it is brought up to date in the background, so neither a
 * flood nor a slow or blocked write path (a locked row, a stalled disk) holds the request.
 */
export async function callerOfToken(db: Pool, token: string): Promise<Caller | undefined> {
  const { rows } = await db.query<TokenRow>(
    `SELECT t.id, t.name, t.role, t.outlet_id, t.user_id, t.read_only, u.display_name,
            t.last_used_at IS NULL OR t.last_used_at < now() - ${LAST_USE_GRANULARITY} AS stale,
            ${USER_RIGHTS_SQL('u')}
       FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
        AND (t.user_id IS NULL OR (u.disabled_at IS NULL))`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return undefined;
  const id = Number(row.id);
  if (row.stale) touchLastUse(db, id);
  const outletId = row.outlet_id === null ? null : Number(row.outlet_id);
  const credential = {
    name: row.display_name ?? row.name,
    userId: row.user_id === null ? null : Number(row.user_id),
    tokenId: id,
    sessionId: null,
    readOnly: row.read_only,
  };
  if (row.role === 'user') return callerFromRights(row, credential, outletId);
  if (row.role === 'editor') return { kind: 'editor', ...credential };
  return {
    kind: 'account',
    ...credential,
    outletIds: [outletId!],
    adminOf: [],
    researcher: false,
  };
}

function touchLastUse(db: Pool, id: number): void {
  if (touching.has(id)) return;
  touching.add(id);
  // Not awaited: a lost stamp only makes "last used" a little older, never wrong about access.
  db.query(
    `UPDATE api_tokens SET last_used_at = now()
      WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - ${LAST_USE_GRANULARITY})`,
    [id],
  )
    .catch(() => undefined)
    .finally(() => touching.delete(id));
}
