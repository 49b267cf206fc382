// A person changes their own password, proving the current one. Their other sessions end (someone who
// knew the old password may be signed in elsewhere); the session that made the change stays. A wrong
// current password counts towards the account's lock, as a wrong password at sign-in does.
import type pg from 'pg';
import type { SignedInCaller } from '../auth/caller.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { endSessionsOf } from '../auth/sessions.ts';
import { withTransaction } from '../database/transaction.ts';
import { forbidden, invalidInput } from '../errors.ts';
import {
  accountLocked,
  countWrongPassword,
  originOf,
  type AttemptOrigin,
  type LockRules,
} from './accountLock.ts';
import { recordAudit } from './auditTrail.ts';
import { checkPassword } from './userAccounts.ts';

export interface PasswordChange extends AttemptOrigin {
  caller: SignedInCaller;
  currentPassword: string;
  newPassword: string;
  rules: LockRules;
}

/** Changes the caller's password; returns how many of their other sessions ended. */
export async function changePassword(db: pg.Pool, input: PasswordChange): Promise<{ sessionsEnded: number }> {
  const { caller } = input;
  const userId = caller.userId;
  if (userId === null) throw forbidden('Only a person has a password: this token is not a person’s');
  checkPassword(input.newPassword, 'new_password');
  const { rows } = await db.query<{ password_hash: string | null; locked_until: Date | null }>(
    `SELECT password_hash, CASE WHEN locked_until > now() THEN locked_until END AS locked_until
       FROM users WHERE id = $1`,
    [userId],
  );
  const user = rows[0]!;
  if (user.locked_until) throw accountLocked(user.locked_until);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    const lockedUntil = await withTransaction(db, (client) =>
      countWrongPassword(client, {
        caller,
        userId,
        action: 'user.password_change_failed',
        rules: input.rules,
        origin: input,
      }),
    );
    if (lockedUntil) throw accountLocked(lockedUntil);
    throw invalidInput('this is not your current password', 'current_password');
  }
  const passwordHash = await hashPassword(input.newPassword);
  return withTransaction(db, async (client) => {
    await client.query(
      `UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now(),
                        failed_sign_ins = 0, locked_until = NULL
        WHERE id = $1`,
      [userId, passwordHash],
    );
    const sessionsEnded = await endSessionsOf(client, {
      userId,
      reason: 'password_changed',
      except: caller.sessionId,
    });
    await recordAudit(client, caller, {
      action: 'user.password_change',
      recordType: 'user',
      recordId: userId,
      after: { sessions_ended: sessionsEnded, kept_session_id: caller.sessionId, ...originOf(input) },
    });
    return { sessionsEnded };
  });
}
