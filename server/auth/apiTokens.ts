// API tokens: random, shown once, stored only as their sha256.
import { createHash, randomBytes } from 'node:crypto';
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

/** The live token with this value, or undefined (unknown or revoked). */
export async function findApiToken(db: Queryable, token: string): Promise<StoredToken | undefined> {
  const { rows } = await db.query<{ id: string; name: string; role: TokenRole; outlet_id: string | null }>(
    `UPDATE api_tokens SET last_used_at = now()
      WHERE token_hash = $1 AND revoked_at IS NULL
      RETURNING id, name, role, outlet_id`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: Number(row.id),
    name: row.name,
    role: row.role,
    outletId: row.outlet_id === null ? null : Number(row.outlet_id),
  };
}
