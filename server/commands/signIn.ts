// Signing in with an e-mail and a password, which starts a browser session. An unknown e-mail, a wrong
// password and a disabled user get the same answer after the same work (one argon2id verification, a
// decoy's when there is no hash), so neither the words nor the time tell whether an e-mail has an account.
// Wrong passwords in a row lock the account (accountLock.ts). Every attempt is audited, never the password.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { startSession, type StartedSession } from '../auth/sessions.ts';
import { callerFromRights, USER_RIGHTS_SQL, type UserRightsRow } from '../auth/userRights.ts';
import { withTransaction } from '../database/transaction.ts';
import { ArchiveError } from '../errors.ts';
import {
  accountLocked,
  countWrongPassword,
  originOf,
  type AttemptOrigin,
  type LockRules,
} from './accountLock.ts';
import { claimLink, markLinkUsed } from './accountLinks.ts';
import { recordAudit } from './auditTrail.ts';
import { normalizeEmail } from './userAccounts.ts';

export const WRONG_CREDENTIALS = 'wrong e-mail or password';

const ANONYMOUS: Caller = { kind: 'anonymous' };

export interface SignInInput extends AttemptOrigin {
  email: string;
  password: string;
  rules: LockRules & { sessionLifetimeHours: number };
}

export interface SignedIn {
  session: StartedSession;
  /** The caller the new session makes. */
  caller: Caller;
}

interface UserRow extends UserRightsRow {
  id: number;
  display_name: string;
  password_hash: string | null;
  disabled: boolean;
  /** Set while a lock holds. */
  locked_until: Date | null;
}

const wrongCredentials = () => new ArchiveError('unauthorized', WRONG_CREDENTIALS);

export async function signIn(db: pg.Pool, input: SignInInput): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  const { rows } = await db.query<UserRow>(
    `SELECT u.id, u.display_name, u.password_hash, u.disabled_at IS NOT NULL AS disabled,
            CASE WHEN u.locked_until > now() THEN u.locked_until END AS locked_until, ${USER_RIGHTS_SQL('u')}
       FROM users u WHERE u.email = $1`,
    [email],
  );
  const user = rows[0];
  const origin = originOf(input);
  // A lock is already public (the account said so when it locked): no verification is spent on it.
  if (user?.locked_until) {
    await recordFailure(db, user.id, 'locked', origin);
    throw accountLocked(user.locked_until);
  }
  const matches = await verifyPassword(user?.password_hash, input.password);
  if (!user) {
    await recordAudit(db, ANONYMOUS, {
      action: 'session.sign_in_failed',
      recordType: 'sign_in',
      recordId: email,
      after: { reason: 'unknown_email', ...origin },
    });
    throw wrongCredentials();
  }
  if (user.disabled) {
    await recordFailure(db, user.id, 'disabled', origin);
    throw wrongCredentials();
  }
  if (!matches) {
    const lockedUntil = await withTransaction(db, (client) =>
      countWrongPassword(client, {
        caller: ANONYMOUS,
        userId: user.id,
        action: 'session.sign_in_failed',
        rules: input.rules,
        origin: input,
      }),
    );
    if (lockedUntil) throw accountLocked(lockedUntil);
    throw wrongCredentials();
  }
  const started = await withTransaction(db, async (client) => {
    // The right password resets the count, unless a lock was set meanwhile (by concurrent failures):
    // then even the right password waits, as it would have a moment later.
    const reset = await client.query(
      `UPDATE users SET failed_sign_ins = 0, locked_until = NULL
        WHERE id = $1 AND disabled_at IS NULL AND (locked_until IS NULL OR locked_until <= now())`,
      [user.id],
    );
    if (reset.rowCount !== 1) return undefined;
    const session = await startSession(client, {
      userId: user.id,
      userAgent: input.device,
      address: input.address,
      lifetimeHours: input.rules.sessionLifetimeHours,
    });
    const credential = {
      name: user.display_name,
      userId: user.id,
      tokenId: null,
      sessionId: session.id,
      readOnly: false,
    };
    const caller = callerFromRights(user, credential, null);
    await recordAudit(client, caller, {
      action: 'session.sign_in',
      recordType: 'user',
      recordId: user.id,
      after: { session_id: session.id, expires_at: session.expiresAt.toISOString(), ...origin },
    });
    return { session, caller };
  });
  if (started) return started;
  const { rows: now } = await db.query<{ locked_until: Date | null }>(
    `SELECT CASE WHEN locked_until > now() THEN locked_until END AS locked_until FROM users WHERE id = $1`,
    [user.id],
  );
  if (now[0]?.locked_until) throw accountLocked(now[0].locked_until);
  throw wrongCredentials();
}

async function recordFailure(
  db: pg.Pool,
  userId: number,
  reason: 'locked' | 'disabled',
  origin: ReturnType<typeof originOf>,
) {
  await recordAudit(db, ANONYMOUS, {
    action: 'session.sign_in_failed',
    recordType: 'user',
    recordId: userId,
    after: { reason, ...origin },
  });
}

/**
 * Signs in with a one-time link that was mailed to the account's address (POST /api/session/link): proof
 * of the mailbox instead of the password. The link is claimed under a row lock and used in the same
 * transaction that starts the session, so it works once; a disabled user gets the link's own refusal.
 */
export async function signInWithLink(
  db: pg.Pool,
  input: AttemptOrigin & { token: string; sessionLifetimeHours: number },
): Promise<SignedIn> {
  return withTransaction(db, async (client) => {
    const link = await claimLink(client, 'sign_in', input.token);
    const { rows } = await client.query<UserRow>(
      `SELECT u.id, u.display_name, u.password_hash, u.disabled_at IS NOT NULL AS disabled, NULL AS locked_until,
              ${USER_RIGHTS_SQL('u')}
         FROM users u WHERE u.id = $1 AND u.email = $2`,
      [link.user_id, link.email],
    );
    const user = rows[0];
    if (!user || user.disabled) {
      throw new ArchiveError('link_used_or_expired', 'This sign-in link no longer works: ask for a new one');
    }
    const session = await startSession(client, {
      userId: user.id,
      userAgent: input.device,
      address: input.address,
      lifetimeHours: input.sessionLifetimeHours,
    });
    await markLinkUsed(client, link.id, Number(user.id));
    const caller = callerFromRights(
      user,
      {
        name: user.display_name,
        userId: Number(user.id),
        tokenId: null,
        sessionId: session.id,
        readOnly: false,
      },
      null,
    );
    await recordAudit(client, caller, {
      action: 'session.sign_in',
      recordType: 'user',
      recordId: user.id,
      after: {
        session_id: session.id,
        expires_at: session.expiresAt.toISOString(),
        method: 'mailed_link',
        link_id: link.id,
        ...originOf(input),
      },
    });
    return { session, caller };
  });
}
