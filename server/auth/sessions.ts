// Browser sessions, kept in PostgreSQL: the cookie holds a random secret, the table only its sha256, so a
// session can be listed (device, last use), revoked, and ended everywhere at once. A session's CSRF
// secret is derived from the cookie's secret (HMAC), so it is stored nowhere and dies with the session.
import { createHmac } from 'node:crypto';
import type pg from 'pg';
import type { Queryable } from '../database/transaction.ts';
import type { Caller } from './caller.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { callerFromRights, USER_RIGHTS_SQL, type UserRightsRow } from './userRights.ts';

export const SESSION_COOKIE = 'ta_session';
const SESSION_PREFIX = 'tas_';

export type SessionEndReason =
  'sign_out' | 'revoked' | 'password_changed' | 'membership_removed' | 'disabled';

export interface StartedSession {
  id: number;
  /** The cookie's value: shown to the browser once, never stored. */
  secret: string;
  expiresAt: Date;
}

export async function startSession(
  db: Queryable,
  input: {
    userId: number;
    userAgent?: string | undefined;
    address?: string | undefined;
    lifetimeHours: number;
  },
): Promise<StartedSession> {
  const secret = newSecret(SESSION_PREFIX);
  const { rows } = await db.query<{ id: string; expires_at: Date }>(
    `INSERT INTO sessions (user_id, secret_hash, user_agent, address, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5)) RETURNING id, expires_at`,
    [
      input.userId,
      hashSecret(secret),
      input.userAgent?.slice(0, 500) ?? null,
      input.address?.slice(0, 100) ?? null,
      input.lifetimeHours,
    ],
  );
  return { id: Number(rows[0]!.id), secret, expiresAt: rows[0]!.expires_at };
}

/** The CSRF secret of the session whose cookie holds `secret`. */
export function csrfSecretOf(sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update('takedown-archive csrf').digest('base64url');
}

type Pool = Pick<pg.Pool, 'query'>;

interface SessionRow extends UserRightsRow {
  id: string;
  user_id: string;
  display_name: string;
  stale: boolean;
}

const touching = new Set<number>();

/** The caller a live session makes (its user not disabled), or undefined. */
export async function callerOfSession(db: Pool, secret: string): Promise<Caller | undefined> {
  const { rows } = await db.query<SessionRow>(
    `SELECT s.id, s.user_id, u.display_name, s.last_used_at < now() - interval '1 minute' AS stale,
            ${USER_RIGHTS_SQL('u')}
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.secret_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [hashSecret(secret)],
  );
  const row = rows[0];
  if (!row) return undefined;
  const id = Number(row.id);
  if (row.stale && !touching.has(id)) {
    touching.add(id);
    // Not awaited, like a token's last use: a lost stamp only makes "last used" a little older.
    db.query(`UPDATE sessions SET last_used_at = now() WHERE id = $1`, [id])
      .catch(() => undefined)
      .finally(() => touching.delete(id));
  }
  const credential = {
    name: row.display_name,
    userId: Number(row.user_id),
    tokenId: null,
    sessionId: id,
    readOnly: false,
  };
  return callerFromRights(row, credential, null);
}

/** Ends the user's live sessions (all, or all but `except`); returns how many ended. */
export async function endSessionsOf(
  db: Queryable,
  input: { userId: number; reason: SessionEndReason; except?: number | null },
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE sessions SET ended_at = now(), end_reason = $2
      WHERE user_id = $1 AND ended_at IS NULL AND ($3::bigint IS NULL OR id <> $3)`,
    [input.userId, input.reason, input.except ?? null],
  );
  return rowCount ?? 0;
}
