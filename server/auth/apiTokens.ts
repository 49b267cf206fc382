// API tokens: random, shown once, stored only as their sha256.
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Queryable } from '../database/transaction.ts';
import type { TokenRole } from '../schemas/enums.ts';

const TOKEN_PREFIX = 'ta_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CreatedToken {
  id: number;
  token: string;
}

export async function createApiToken(
  db: Queryable,
  input: { name: string; role: TokenRole; outletId?: number | undefined },
): Promise<CreatedToken> {
  if (input.role === 'outlet' && input.outletId === undefined) {
    throw new Error('An outlet token needs --outlet ID');
  }
  if (input.role === 'editor' && input.outletId !== undefined) {
    throw new Error('An editor token sees every outlet: do not give --outlet');
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO api_tokens (name, role, outlet_id, token_hash) VALUES ($1, $2, $3, $4) RETURNING id',
    [input.name, input.role, input.outletId ?? null, hashToken(token)],
  );
  return { id: Number(rows[0]!.id), token };
}

export interface StoredToken {
  id: number;
  name: string;
  role: TokenRole;
  outletId: number | null;
}

/** last_used_at is written at most this often per token, so checking a token costs no write. */
const LAST_USE_GRANULARITY = "interval '1 minute'";

/** The pool, not a transaction's client: the stamp is written after the caller has moved on. */
type Pool = Pick<pg.Pool, 'query'>;

/** Tokens whose last_used_at is being written now: a burst of requests sends one UPDATE, not one each. */
const touching = new Set<number>();

/**
 * The live token with this value, or undefined (unknown or revoked). A read: when last_used_at is more
 * than a minute old it is brought up to date in the background, so neither a flood nor a slow or
 * blocked write path (a locked row, a stalled disk) holds the request.
 */
export async function findApiToken(db: Pool, token: string): Promise<StoredToken | undefined> {
  const { rows } = await db.query<{
    id: string;
    name: string;
    role: TokenRole;
    outlet_id: string | null;
    stale: boolean;
  }>(
    `SELECT id, name, role, outlet_id,
            last_used_at IS NULL OR last_used_at < now() - ${LAST_USE_GRANULARITY} AS stale
       FROM api_tokens
      WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return undefined;
  const id = Number(row.id);
  if (row.stale) touchLastUse(db, id);
  return {
    id,
    name: row.name,
    role: row.role,
    outletId: row.outlet_id === null ? null : Number(row.outlet_id),
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
