// The lock on an account after too many wrong passwords in a row: counted in the users row itself, in
// one UPDATE, so concurrent failures each count (the row lock queues them) and a lock set by one is seen
// by all. The lock lifts by itself when its time passes; the next right password resets the count.
import type { Caller } from '../auth/caller.ts';
import type { Config } from '../config.ts';
import type { Queryable } from '../database/transaction.ts';
import { TemporaryRefusal } from '../errors.ts';
import { recordAudit } from './auditTrail.ts';

/** The lock rules the configuration sets (SIGN_IN_MAX_FAILURES, SIGN_IN_LOCK_SECONDS). */
export const lockRulesOf = (
  config: Pick<Config, 'SIGN_IN_MAX_FAILURES' | 'SIGN_IN_LOCK_SECONDS'>,
): LockRules => ({
  maxFailures: config.SIGN_IN_MAX_FAILURES,
  lockSeconds: config.SIGN_IN_LOCK_SECONDS,
});

export interface LockRules {
  /** Wrong passwords in a row that lock the account. */
  maxFailures: number;
  /** How long the lock lasts. */
  lockSeconds: number;
}

/** Where an attempt came from, for the audit log (never the password). */
export interface AttemptOrigin {
  address?: string | undefined;
  device?: string | undefined;
}

export const originOf = (origin: AttemptOrigin) => ({
  address: origin.address ?? null,
  device: origin.device?.slice(0, 500) ?? null,
});

/** The refusal while an account is locked: when it unlocks, as a time and in minutes, and Retry-After. */
export function accountLocked(lockedUntil: Date): TemporaryRefusal {
  const seconds = Math.max(1, Math.ceil((lockedUntil.getTime() - Date.now()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new TemporaryRefusal(
    'account_locked',
    `This account is locked after too many wrong passwords. It unlocks by itself at ` +
      `${lockedUntil.toISOString()} (in ${minutes} minute${minutes === 1 ? '' : 's'}); until then no ` +
      `password is accepted, not even the right one.`,
    seconds,
  );
}

// After a lock has run out, the count starts again from this failure.
const COUNT_SQL = `CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1
                        ELSE failed_sign_ins + 1 END`;

/**
 * Counts a wrong password against the user, locking the account when it is the `maxFailures`-th in a
 * row, and audits the failure (and the lock) in the same transaction. Returns the lock's end when the
 * account is locked now (by this failure, or by a concurrent one).
 */
export async function countWrongPassword(
  db: Queryable,
  input: {
    caller: Caller;
    userId: number;
    action: string;
    rules: LockRules;
    origin: AttemptOrigin;
  },
): Promise<Date | null> {
  const { rows } = await db.query<{ failed_sign_ins: number; locked_until: Date | null; locked: boolean }>(
    `UPDATE users SET
       failed_sign_ins = ${COUNT_SQL},
       locked_until = CASE WHEN locked_until > now() THEN locked_until
                           WHEN ${COUNT_SQL} >= $2 THEN now() + make_interval(secs => $3)
                           ELSE NULL END
     WHERE id = $1
     RETURNING failed_sign_ins, locked_until, locked_until > now() AS locked`,
    [input.userId, input.rules.maxFailures, input.rules.lockSeconds],
  );
  const row = rows[0]!;
  await recordAudit(db, input.caller, {
    action: input.action,
    recordType: 'user',
    recordId: input.userId,
    after: { reason: 'wrong_password', failed_sign_ins: row.failed_sign_ins, ...originOf(input.origin) },
  });
  // Exactly one failure reaches the limit (the row lock orders them): that one locks, and says so.
  if (row.failed_sign_ins === input.rules.maxFailures && row.locked) {
    await recordAudit(db, input.caller, {
      action: 'user.lock',
      recordType: 'user',
      recordId: input.userId,
      after: {
        locked_until: row.locked_until!.toISOString(),
        failed_sign_ins: row.failed_sign_ins,
        ...originOf(input.origin),
      },
    });
  }
  return row.locked ? row.locked_until : null;
}
