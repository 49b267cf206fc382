// Invitations: an editor or an outlet's admin invites someone by e-mail to a role (editor, researcher, or
// admin or member of an outlet); the one-time link makes them a user with a password, or adds the role to
// the user they already are. Who may invite whom is decided by canInvite (auth/orderAccess.ts).
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { canInvite } from '../auth/orderAccess.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { withTransaction, type Queryable } from '../database/transaction.ts';
import { type ArchiveError, conflict, forbidden, invalidInput, notFound } from '../errors.ts';
import { resolveOutletId } from '../records/referenceLookup.ts';
import type { InvitationInput } from '../schemas/people.ts';
import { claimLink, issueLink, markLinkUsed, type ClaimedLink, type IssuedLink } from './accountLinks.ts';
import { accountLocked, countWrongPassword, type LockRules } from './accountLock.ts';
import { recordAudit } from './auditTrail.ts';
import {
  checkPassword,
  createInvitedUser,
  normalizeEmail,
  personActing,
  setMembership,
  updateUser,
} from './userAccounts.ts';

const OUTLET_ROLES = new Set(['admin', 'member']);

/** The grant's shape: an outlet for an outlet's role and for nothing else; an end only for a researcher. */
function checkGrant(input: InvitationInput): void {
  if (OUTLET_ROLES.has(input.role) && input.outlet === undefined)
    throw invalidInput(`an invitation as ${input.role} needs the outlet`, 'outlet');
  if (!OUTLET_ROLES.has(input.role) && input.outlet !== undefined)
    throw invalidInput(
      `an invitation as ${input.role} is to the whole archive: leave out the outlet`,
      'outlet',
    );
  if (input.role !== 'researcher' && input.researcher_until !== undefined)
    throw invalidInput('researcher_until is only for an invitation as researcher', 'researcher_until');
}

export async function createInvitation(
  pool: pg.Pool,
  { caller, invitation: input }: { caller: Caller; invitation: InvitationInput },
): Promise<IssuedLink> {
  checkGrant(input);
  return withTransaction(pool, async (client) => {
    const outletId = input.outlet === undefined ? null : await resolveOutletId(client, input.outlet);
    if (!canInvite(caller, input.role, outletId)) {
      throw forbidden(
        OUTLET_ROLES.has(input.role)
          ? "Only an editor or this outlet's admin may invite to it"
          : `Only an editor may invite someone as ${input.role}`,
      );
    }
    const email = normalizeEmail(input.email);
    const researcherUntil = input.role === 'researcher' ? (input.researcher_until ?? 'infinity') : undefined;
    const link = await issueLink(client, {
      purpose: 'invitation',
      email,
      outletId,
      role: input.role,
      researcherUntil,
      createdByUserId: caller.kind === 'anonymous' ? null : caller.userId,
      expiresInHours: input.expires_in_hours,
    });
    await recordAudit(client, caller, {
      action: 'invitation.create',
      recordType: 'account_link',
      recordId: link.id,
      after: {
        email,
        role: input.role,
        outlet_id: outletId,
        researcher_until: researcherUntil ?? null,
        expires_at: link.expiresAt,
      },
    });
    return link;
  });
}

/**
 * Revokes a pending invitation. One the caller may not see (another outlet's) is not found; one already
 * accepted is a conflict (remove the membership instead); one already revoked stays so.
 */
export async function revokeInvitation(
  pool: pg.Pool,
  { caller, invitationId }: { caller: Caller; invitationId: number },
): Promise<void> {
  await withTransaction(pool, async (client) => {
    const { rows } = await client.query<{
      role: 'admin' | 'member' | 'editor' | 'researcher';
      outlet_id: number | null;
      used: boolean;
      revoked: boolean;
    }>(
      `SELECT role, outlet_id, used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked
         FROM account_links WHERE id = $1 AND purpose = 'invitation' FOR UPDATE`,
      [invitationId],
    );
    const invitation = rows[0];
    if (!invitation || !canInvite(caller, invitation.role, invitation.outlet_id))
      throw notFound(`There is no invitation ${invitationId}`);
    if (invitation.used)
      throw conflict('This invitation was accepted: remove the membership or change the user instead');
    if (invitation.revoked) return;
    await client.query('UPDATE account_links SET revoked_at = now() WHERE id = $1', [invitationId]);
    await recordAudit(client, caller, {
      action: 'invitation.revoke',
      recordType: 'account_link',
      recordId: invitationId,
      before: { state: 'pending' },
      after: { state: 'revoked' },
    });
  });
}

export interface Acceptance {
  token: string;
  displayName?: string | undefined;
  password: string;
  /** Where it came from, for the audit of a wrong password. */
  address?: string | undefined;
  device?: string | undefined;
}

/**
 * Accepts an invitation: a new user with the invitation's e-mail and this password, or, when a user with
 * that e-mail exists, that user (who proves it with their password); then the grant, and the link is
 * used. All in one transaction, audited as the person accepting. A wrong password for an existing
 * account counts as a failed sign-in (sign-in's lock rules: an invitation to someone else's e-mail is no
 * way around the lock to guess their password), committed with the link left unused, before the refusal.
 * Returns the user's id.
 */
export async function acceptInvitation(
  pool: pg.Pool,
  acceptance: Acceptance,
  rules: LockRules,
): Promise<number> {
  const outcome = await withTransaction(pool, async (client) => {
    const link = await claimLink(client, 'invitation', acceptance.token);
    const found = await invitedPerson(client, link, acceptance);
    if ('wrongPassword' in found) {
      await countWrongPassword(client, {
        caller: { kind: 'anonymous' },
        userId: found.userId,
        action: 'invitation.accept_refused',
        rules,
        origin: { address: acceptance.address, device: acceptance.device },
      });
      return found;
    }
    const { userId, person } = found;
    await grant(client, person, userId, link);
    await markLinkUsed(client, link.id, userId);
    await recordAudit(client, person, {
      action: 'invitation.accept',
      recordType: 'account_link',
      recordId: link.id,
      after: { user_id: userId, role: link.role, outlet_id: link.outlet_id },
    });
    return { userId };
  });
  if ('wrongPassword' in outcome) throw outcome.wrongPassword;
  return outcome.userId;
}

type InvitedPerson = { userId: number; person: Caller } | { userId: number; wrongPassword: ArchiveError };

async function invitedPerson(
  db: Queryable,
  link: ClaimedLink,
  acceptance: Acceptance,
): Promise<InvitedPerson> {
  const { rows } = await db.query<{
    id: number;
    display_name: string;
    password_hash: string | null;
    disabled: boolean;
    locked_until: Date | null;
    failed_sign_ins: number;
  }>(
    `SELECT id, display_name, password_hash, disabled_at IS NOT NULL AS disabled,
            CASE WHEN locked_until > now() THEN locked_until END AS locked_until, failed_sign_ins
       FROM users WHERE email = $1 FOR UPDATE`,
    [link.email],
  );
  const existing = rows[0];
  if (!existing) {
    checkPassword(acceptance.password);
    if (acceptance.displayName === undefined)
      throw invalidInput('a new account needs a display name', 'display_name');
    const created = await createInvitedUser(db, {
      email: link.email,
      displayName: acceptance.displayName,
      password: acceptance.password,
    });
    return { userId: created.id, person: created.person };
  }
  const userId = Number(existing.id);
  if (existing.disabled) throw forbidden('This account is disabled: an editor may enable it');
  if (existing.locked_until) throw accountLocked(existing.locked_until);
  if (!(await verifyPassword(existing.password_hash, acceptance.password))) {
    const wrongPassword = forbidden(
      `There is already an account for ${link.email}: accept with its password` +
        (existing.password_hash === null
          ? ' (it has none yet: ask an editor for a password reset link)'
          : ''),
      'password',
    );
    return { userId, wrongPassword };
  }
  if (existing.failed_sign_ins > 0)
    await db.query('UPDATE users SET failed_sign_ins = 0 WHERE id = $1', [userId]);
  return { userId, person: personActing(userId, existing.display_name) };
}

/** Gives the user the invitation's role; never takes a higher one away (an admin invited as member stays admin). */
async function grant(db: Queryable, person: Caller, userId: number, link: ClaimedLink): Promise<void> {
  if (link.role === 'admin' || link.role === 'member') {
    const { rows } = await db.query<{ role: string }>(
      'SELECT role FROM memberships WHERE user_id = $1 AND outlet_id = $2',
      [userId, link.outlet_id],
    );
    if (rows[0]?.role === 'admin') return;
    await setMembership(db, person, { userId, outletId: link.outlet_id!, role: link.role });
    return;
  }
  if (link.role === 'editor') {
    await updateUser(db, person, { userId, changes: { is_editor: true } });
    return;
  }
  const { rows } = await db.query<{ extends: boolean }>(
    `SELECT $2::timestamptz > COALESCE(researcher_until, '-infinity') AS extends FROM users WHERE id = $1`,
    [userId, link.researcher_until],
  );
  if (rows[0]?.extends)
    await updateUser(db, person, { userId, changes: { researcher_until: link.researcher_until } });
}
