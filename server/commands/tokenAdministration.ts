// Tokens made and revoked by their owners through the API (and revoked at the server with the CLI): who may
// make which token is decided by orderAccess.ts (tokenGrantFor, canRevokeToken); this checks the input,
// writes the token and its audit record in one transaction. The secret is returned once and never audited.
import type pg from 'pg';
import { createApiToken } from '../auth/apiTokens.ts';
import type { Caller } from '../auth/caller.ts';
import { canRevokeToken, tokenGrantFor, type MintingCredential } from '../auth/orderAccess.ts';
import { withTransaction, type Queryable } from '../database/transaction.ts';
import { forbidden, invalidInput, notFound } from '../errors.ts';
import { resolveOutletId } from '../records/referenceLookup.ts';
import { findToken } from '../records/tokenRecords.ts';
import type { ApiToken, TokenCreateInput } from '../schemas/tokens.ts';
import { recordAudit } from './auditTrail.ts';

/** The longest a token made through the API may live. */
const MAX_LIFETIME_MS = 2 * 366 * 24 * 3600 * 1000;

/** Why a token is revoked, as api_tokens.revoke_reason records it. */
export const REVOKED_BY_HAND = 'revoked';

export async function createToken(
  pool: pg.Pool,
  { caller, input, now = new Date() }: { caller: Caller; input: TokenCreateInput; now?: Date },
): Promise<ApiToken & { token: string }> {
  const expiresAt = input.expires_at === undefined ? null : new Date(input.expires_at);
  if (expiresAt !== null && expiresAt <= now)
    throw invalidInput('expires_at must be in the future', 'expires_at');
  if (expiresAt !== null && expiresAt.getTime() - now.getTime() > MAX_LIFETIME_MS)
    throw invalidInput('a token may live at most two years: give an earlier expires_at', 'expires_at');
  if (input.owner === 'outlet' && input.outlet === undefined)
    throw invalidInput("an outlet's token needs its outlet", 'outlet');
  return withTransaction(pool, async (client) => {
    const outletId = input.outlet === undefined ? null : await resolveOutletId(client, input.outlet);
    const grant = tokenGrantFor(caller, await mintingCredentialOf(client, caller), {
      owner: input.owner,
      outletId,
      expiresAt,
      readOnly: input.read_only,
    });
    if (!grant.granted) throw forbidden(grant.reason, grant.field);
    const userId = caller.kind === 'anonymous' ? null : caller.userId;
    const created = await createApiToken(client, {
      name: input.name,
      role: input.owner === 'me' ? 'user' : 'outlet',
      outletId: grant.outletId ?? undefined,
      userId: input.owner === 'me' ? userId! : undefined,
      createdByUserId: userId ?? undefined,
      readOnly: grant.readOnly,
      expiresAt: grant.expiresAt ?? undefined,
    });
    const token = (await findToken(client, created.id))!;
    await recordAudit(client, caller, {
      action: 'token.create',
      recordType: 'token',
      recordId: created.id,
      after: {
        name: token.name,
        role: token.role,
        user_id: input.owner === 'me' ? userId : null,
        outlet_id: grant.outletId,
        read_only: token.read_only,
        expires_at: token.expires_at,
        created_by_user_id: userId,
      },
    });
    return { ...token, token: created.token };
  });
}

/** The narrowing of the token the caller uses (a session or ADMIN_TOKEN has none). */
async function mintingCredentialOf(db: Queryable, caller: Caller): Promise<MintingCredential> {
  if (caller.kind === 'anonymous' || caller.tokenId === null) return { outletId: null, expiresAt: null };
  const { rows } = await db.query<{ outlet_id: string | null; expires_at: Date | null }>(
    'SELECT outlet_id, expires_at FROM api_tokens WHERE id = $1',
    [caller.tokenId],
  );
  const row = rows[0];
  return {
    outletId: row?.outlet_id == null ? null : Number(row.outlet_id),
    expiresAt: row?.expires_at ?? null,
  };
}

/**
 * Revokes the token at once (the next request with it is refused). Revoking a revoked token changes
 * nothing and records nothing: the answer is false. A token the caller may not see is not found.
 */
export async function revokeToken(
  pool: pg.Pool,
  { caller, tokenId, reason = REVOKED_BY_HAND }: { caller: Caller; tokenId: number; reason?: string },
): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{
      id: string;
      name: string;
      role: string;
      user_id: string | null;
      outlet_id: string | null;
      revoked_at: Date | null;
    }>('SELECT id, name, role, user_id, outlet_id, revoked_at FROM api_tokens WHERE id = $1 FOR UPDATE', [
      tokenId,
    ]);
    const token = rows[0];
    if (!token || !canRevokeToken(caller, token)) throw notFound(`There is no token ${tokenId}`);
    if (token.revoked_at !== null) return false;
    const { rows: revoked } = await client.query<{ revoked_at: Date }>(
      'UPDATE api_tokens SET revoked_at = now(), revoke_reason = $2 WHERE id = $1 RETURNING revoked_at',
      [tokenId, reason],
    );
    await recordAudit(client, caller, {
      action: 'token.revoke',
      recordType: 'token',
      recordId: tokenId,
      before: { revoked_at: null },
      after: {
        name: token.name,
        role: token.role,
        user_id: token.user_id === null ? null : Number(token.user_id),
        outlet_id: token.outlet_id === null ? null : Number(token.outlet_id),
        revoked_at: revoked[0]!.revoked_at,
        revoke_reason: reason,
      },
    });
    return true;
  });
}
