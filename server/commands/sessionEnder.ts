// Ending one browser session: signing out of the current one, or revoking one of one's own (a lost
// laptop). Each end is audited under the person (record_type 'user'); the cookie then makes nobody.
import type { SignedInCaller } from '../auth/caller.ts';
import type pg from 'pg';
import { withTransaction, type Queryable } from '../database/transaction.ts';
import { endSessionsOf } from '../auth/sessions.ts';
import { notFound } from '../errors.ts';
import { recordAudit } from './auditTrail.ts';

/** Ends the session the caller is signed in with. */
export async function signOut(db: Queryable, input: { caller: SignedInCaller }): Promise<void> {
  const { caller } = input;
  if (caller.sessionId === null || caller.userId === null)
    throw notFound('no session: this request used a token');
  const { rowCount } = await db.query(
    `UPDATE sessions SET ended_at = now(), end_reason = 'sign_out' WHERE id = $1 AND ended_at IS NULL`,
    [caller.sessionId],
  );
  // A sign-out racing another (two tabs) ends it once, and is recorded once.
  if (rowCount !== 1) return;
  await recordAudit(db, caller, {
    action: 'session.sign_out',
    recordType: 'user',
    recordId: caller.userId,
    after: { session_id: caller.sessionId },
  });
}

/**
 * Ends one of the caller's own sessions. Another person's session answers as one that does not exist;
 * one of the caller's that has already ended stays as it was.
 */
export async function revokeSession(
  db: Queryable,
  input: { caller: SignedInCaller; sessionId: number },
): Promise<void> {
  const { caller, sessionId } = input;
  const { rows } = await db.query<{ revoked: boolean }>(
    `WITH own AS (SELECT id FROM sessions WHERE id = $1 AND user_id = $2),
          revoked AS (UPDATE sessions SET ended_at = now(), end_reason = 'revoked'
                       WHERE id IN (SELECT id FROM own) AND ended_at IS NULL RETURNING id)
     SELECT EXISTS (SELECT 1 FROM revoked) AS revoked FROM own`,
    [sessionId, caller.userId],
  );
  if (!rows[0]) throw notFound(`You have no session ${sessionId}`);
  if (!rows[0].revoked) return;
  await recordAudit(db, caller, {
    action: 'session.revoke',
    recordType: 'user',
    recordId: caller.userId!,
    after: { session_id: sessionId },
  });
}

/**
 * "Sign out everywhere else": ends every live session of the caller's but the one they act with (all of
 * them, when they act with a token). Returns how many ended; audited when any did.
 */
export async function signOutElsewhere(pool: pg.Pool, input: { caller: SignedInCaller }): Promise<number> {
  const { caller } = input;
  const userId = caller.userId;
  if (userId === null) throw notFound('no person: this request used an outlet’s or the admin token');
  return withTransaction(pool, async (client) => {
    const ended = await endSessionsOf(client, { userId, reason: 'revoked', except: caller.sessionId });
    if (ended > 0) {
      await recordAudit(client, caller, {
        action: 'session.revoke_others',
        recordType: 'user',
        recordId: userId,
        after: { sessions_ended: ended, kept_session_id: caller.sessionId },
      });
    }
    return ended;
  });
}
