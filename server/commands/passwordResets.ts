// Password resets through a one-time link: made by an editor for a user (how a person who lost their
// password, or the first editor made by the CLI, gets one), or asked for by anyone with an e-mail address;
// completed by setting a new password, which lifts a lock and ends every session of the user.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { hashPassword } from '../auth/passwords.ts';
import { hashSecret } from '../auth/secrets.ts';
import { endSessionsOf } from '../auth/sessions.ts';
import { withTransaction, type Queryable } from '../database/transaction.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { claimLink, issueLink, markLinkUsed, newLinkSecret, type IssuedLink } from './accountLinks.ts';
import { recordAudit } from './auditTrail.ts';
import { checkPassword, normalizeEmail, personActing } from './userAccounts.ts';

/** A reset link for the user, made by an editor (or the CLI). A disabled user gets none. */
export async function createPasswordReset(
  db: Queryable,
  caller: Caller,
  input: { userId: number; expiresInHours: number },
): Promise<IssuedLink> {
  const { rows } = await db.query<{ email: string; disabled: boolean }>(
    'SELECT email, disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1',
    [input.userId],
  );
  const user = rows[0];
  if (!user) throw notFound(`There is no user ${input.userId}`);
  if (user.disabled) throw conflict('This user is disabled: enable them first (PATCH disabled: false)');
  const link = await issueLink(db, {
    purpose: 'password_reset',
    email: user.email,
    userId: input.userId,
    createdByUserId: caller.kind === 'anonymous' ? null : caller.userId,
    expiresInHours: input.expiresInHours,
  });
  await recordAudit(db, caller, {
    action: 'password_reset.create',
    recordType: 'account_link',
    recordId: link.id,
    after: { user_id: input.userId, expires_at: link.expiresAt },
  });
  return link;
}

/** A link made for an address that has an account: its secret goes to that address by mail, if anywhere. */
export interface LinkForAddress {
  token: string;
  email: string;
  expiresAt: Date;
}

/**
 * Anyone asks for a link by e-mail (a password reset, or a sign-in link). Known or not, the same work is
 * done (a secret made and hashed, one INSERT … SELECT that adds a link only for a known, enabled user, one
 * audit record), so neither the answer nor its time tells whether the address has an account. The link
 * reaches its person by mail where SMTP is configured (sent after the answer); otherwise nobody, and an
 * editor makes one to hand over instead.
 */
export async function requestLinkByMail(
  db: Queryable,
  input: { purpose: 'password_reset' | 'sign_in'; email: string; expiresInMinutes: number },
): Promise<LinkForAddress | undefined> {
  const secret = newLinkSecret();
  const { rows } = await db.query<{ id: number; user_id: number; email: string; expires_at: Date }>(
    `INSERT INTO account_links (purpose, secret_hash, email, user_id, expires_at)
     SELECT $4, $2, u.email, u.id, now() + make_interval(mins => $3)
       FROM users u WHERE u.email = $1 AND u.disabled_at IS NULL
     RETURNING id, user_id, email, expires_at`,
    [normalizeEmail(input.email), hashSecret(secret), input.expiresInMinutes, input.purpose],
  );
  const link = rows[0];
  await recordAudit(
    db,
    { kind: 'anonymous' },
    {
      action: `${input.purpose}.request`,
      recordType: 'account_link',
      recordId: link ? link.id : 'none',
      after: { known: link !== undefined, user_id: link ? Number(link.user_id) : null },
    },
  );
  return link && { token: secret, email: link.email, expiresAt: link.expires_at };
}

/** A password reset asked for by e-mail: see requestLinkByMail. */
export const requestPasswordReset = (db: Queryable, input: { email: string; expiresInHours: number }) =>
  requestLinkByMail(db, {
    purpose: 'password_reset',
    email: input.email,
    expiresInMinutes: input.expiresInHours * 60,
  });

/**
 * Sets the password of the link's user, clears their lock, ends all their sessions and every other
 * pending reset link of theirs, and uses the link: one transaction, audited as the user.
 */
export async function completePasswordReset(
  pool: pg.Pool,
  input: { token: string; password: string },
): Promise<void> {
  checkPassword(input.password);
  // Hashed before the link is locked: argon2 takes tens of milliseconds, no row need wait for it.
  const passwordHash = await hashPassword(input.password);
  await withTransaction(pool, async (client) => {
    const link = await claimLink(client, 'password_reset', input.token);
    const { rows } = await client.query<{
      display_name: string;
      disabled: boolean;
      was_locked: boolean;
    }>(
      `SELECT display_name, disabled_at IS NOT NULL AS disabled,
              (locked_until > now() OR failed_sign_ins > 0) AS was_locked
         FROM users WHERE id = $1 FOR UPDATE`,
      [link.user_id],
    );
    const user = rows[0]!;
    if (user.disabled) throw forbidden('This account is disabled: an editor may enable it');
    const userId = link.user_id!;
    await client.query(
      `UPDATE users SET password_hash = $2, password_changed_at = now(), failed_sign_ins = 0,
                        locked_until = NULL, updated_at = now()
        WHERE id = $1`,
      [userId, passwordHash],
    );
    const sessionsEnded = await endSessionsOf(client, { userId, reason: 'password_changed' });
    await markLinkUsed(client, link.id, userId);
    await client.query(
      `UPDATE account_links SET revoked_at = now()
        WHERE purpose = 'password_reset' AND user_id = $1 AND id <> $2 AND used_at IS NULL AND revoked_at IS NULL`,
      [userId, link.id],
    );
    await recordAudit(client, personActing(userId, user.display_name), {
      action: 'user.password_reset',
      recordType: 'user',
      recordId: userId,
      after: { link_id: link.id, sessions_ended: sessionsEnded, lock_cleared: user.was_locked },
    });
  });
}
