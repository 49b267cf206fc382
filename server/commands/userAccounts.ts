// People: creating and changing a user, and their memberships of outlets. Each change is audited in the
// same transaction (record_type 'user'); a password is stored only as its argon2id hash, and never
// appears in an audit record.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { canManageOutlet, mayLeaveOutletWithoutAdmin } from '../auth/orderAccess.ts';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.ts';
import { endSessionsOf } from '../auth/sessions.ts';
import { withTransaction, type Queryable } from '../database/transaction.ts';
import { conflict, forbidden, invalidInput, isUniqueViolation, notFound } from '../errors.ts';
import { recordAudit } from './auditTrail.ts';

export type MembershipRole = 'admin' | 'member';

export interface NewUser {
  email: string;
  displayName: string;
  /** Absent: the person sets one through a link. */
  password?: string | undefined;
  isEditor?: boolean | undefined;
  /** Researcher access until this time ('infinity' for no end). */
  researcherUntil?: Date | string | undefined;
}

/** The rule for a new password, with the field it is about. */
export function checkPassword(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN_LENGTH)
    throw invalidInput(`a password needs at least ${PASSWORD_MIN_LENGTH} characters`, field);
  if (password.length > PASSWORD_MAX_LENGTH)
    throw invalidInput(`a password may have at most ${PASSWORD_MAX_LENGTH} characters`, field);
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * PostgreSQL's check_violation on a table's e-mail rule (users_email_check, account_links_email_check):
 * its lower() and JavaScript's may differ on rare letters, and such an address is refused, not a 500.
 */
export function isEmailRuleViolation(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '23514' && constraint?.endsWith('_email_check') === true;
}

/** Creates the user; returns its id. A taken e-mail is a conflict. */
export async function createUser(db: Queryable, caller: Caller, user: NewUser): Promise<number> {
  const id = await insertUser(db, user);
  await recordUserCreation(db, caller, id, user);
  return id;
}

/**
 * Creates the user who accepts an invitation, audited as that person (the link's holder, not the
 * inviter); returns the id and the person as a caller, for the audit records that follow.
 */
export async function createInvitedUser(
  db: Queryable,
  user: NewUser,
): Promise<{ id: number; person: Caller }> {
  const id = await insertUser(db, user);
  const person = personActing(id, user.displayName);
  await recordUserCreation(db, person, id, user);
  return { id, person };
}

/** A person acting through a one-time link (accepting an invitation, resetting a password). */
export function personActing(userId: number, displayName: string): Caller {
  return {
    kind: 'account',
    name: displayName,
    userId,
    tokenId: null,
    sessionId: null,
    readOnly: false,
    outletIds: [],
    adminOf: [],
    researcher: false,
  };
}

async function insertUser(db: Queryable, user: NewUser): Promise<number> {
  if (user.password !== undefined) checkPassword(user.password);
  const passwordHash = user.password === undefined ? null : await hashPassword(user.password);
  const email = normalizeEmail(user.email);
  try {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO users (email, display_name, password_hash, is_editor, researcher_until, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END) RETURNING id`,
      [email, user.displayName, passwordHash, user.isEditor ?? false, user.researcherUntil ?? null],
    );
    return Number(rows[0]!.id);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`there is already a user with the e-mail ${email}`);
    if (isEmailRuleViolation(error))
      throw invalidInput('this is not an e-mail address the archive can keep', 'email');
    throw error;
  }
}

async function recordUserCreation(db: Queryable, caller: Caller, id: number, user: NewUser) {
  await recordAudit(db, caller, {
    action: 'user.create',
    recordType: 'user',
    recordId: id,
    after: {
      email: normalizeEmail(user.email),
      display_name: user.displayName,
      is_editor: user.isEditor ?? false,
      researcher_until: user.researcherUntil ?? null,
      password_set: user.password !== undefined,
    },
  });
}

/** Makes the user a member (or admin) of the outlet, or changes their role there. */
export async function setMembership(
  db: Queryable,
  caller: Caller,
  input: { userId: number; outletId: number; role: MembershipRole },
): Promise<void> {
  const { rows } = await db.query<{ before: string | null }>(
    `WITH previous AS (SELECT role FROM memberships WHERE user_id = $1 AND outlet_id = $2)
     INSERT INTO memberships (user_id, outlet_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, outlet_id) DO UPDATE SET role = EXCLUDED.role
     RETURNING (SELECT role FROM previous) AS before`,
    [input.userId, input.outletId, input.role],
  );
  const before = rows[0]?.before ?? null;
  if (before === input.role) return;
  await recordAudit(db, caller, {
    action: before === null ? 'membership.add' : 'membership.change',
    recordType: 'user',
    recordId: input.userId,
    before: before === null ? undefined : { outlet_id: input.outletId, role: before },
    after: { outlet_id: input.outletId, role: input.role },
  });
}

/** What an editor may change about a user (PATCH /api/users/:id). */
export interface UserChanges {
  display_name?: string | undefined;
  is_editor?: boolean | undefined;
  /** A date-time or 'infinity' grants researcher access until then; null removes it. */
  researcher_until?: string | null | undefined;
  disabled?: boolean | undefined;
}

interface UserState {
  display_name: string;
  is_editor: boolean;
  researcher_until: string | null;
  disabled: boolean;
}

const USER_STATE_SQL = `display_name, is_editor, to_json(researcher_until) #>> '{}' AS researcher_until,
  disabled_at IS NOT NULL AS disabled`;

/** PATCH /api/users/:id: updateUser in a transaction of its own. */
export async function changeUser(
  pool: pg.Pool,
  input: { caller: Caller; userId: number; changes: UserChanges },
): Promise<void> {
  await withTransaction(pool, (client) => updateUser(client, input.caller, input));
}

/**
 * Changes a user. Disabling ends all their sessions at once (their tokens are refused from then on, by
 * the check that finds a token's user); an editor cannot disable themself. Audited with the fields that
 * changed, before and after.
 */
export async function updateUser(
  db: Queryable,
  caller: Caller,
  input: { userId: number; changes: UserChanges },
): Promise<void> {
  const { userId, changes } = input;
  const { rows } = await db.query<UserState>(`SELECT ${USER_STATE_SQL} FROM users WHERE id = $1 FOR UPDATE`, [
    userId,
  ]);
  const before = rows[0];
  if (!before) throw notFound(`There is no user ${userId}`);
  if (changes.disabled === true && caller.kind !== 'anonymous' && caller.userId === userId)
    throw conflict('You cannot disable yourself: ask another editor');
  const values: unknown[] = [userId];
  const set = (clause: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    return clause(`$${values.length}`);
  };
  const assignments = ['updated_at = now()'];
  if (changes.display_name !== undefined)
    assignments.push(set((p) => `display_name = ${p}`, changes.display_name));
  if (changes.is_editor !== undefined) assignments.push(set((p) => `is_editor = ${p}`, changes.is_editor));
  if (changes.researcher_until !== undefined)
    assignments.push(set((p) => `researcher_until = ${p}::timestamptz`, changes.researcher_until));
  if (changes.disabled !== undefined)
    assignments.push(
      set(
        (p) => `disabled_at = CASE WHEN ${p}::boolean THEN COALESCE(disabled_at, now()) END`,
        changes.disabled,
      ),
    );
  const updated = await db.query<UserState>(
    `UPDATE users SET ${assignments.join(', ')} WHERE id = $1 RETURNING ${USER_STATE_SQL}`,
    values,
  );
  const after = updated.rows[0]!;
  const changed = (Object.keys(after) as (keyof UserState)[]).filter((key) => after[key] !== before[key]);
  if (changed.length === 0) return;
  const sessionsEnded =
    after.disabled && !before.disabled ? await endSessionsOf(db, { userId, reason: 'disabled' }) : undefined;
  await recordAudit(db, caller, {
    action: 'user.update',
    recordType: 'user',
    recordId: userId,
    before: Object.fromEntries(changed.map((key) => [key, before[key]])),
    after: {
      ...Object.fromEntries(changed.map((key) => [key, after[key]])),
      ...(sessionsEnded === undefined ? {} : { sessions_ended: sessionsEnded }),
    },
  });
}

/** The outlet's enabled admins, their memberships locked: two admins removing each other cannot both succeed. */
async function lockedAdminsOf(db: Queryable, outletId: number): Promise<number[]> {
  const { rows } = await db.query<{ user_id: number; enabled: boolean }>(
    `SELECT m.user_id, u.disabled_at IS NULL AS enabled
       FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.outlet_id = $1 AND m.role = 'admin' ORDER BY m.user_id FOR UPDATE OF m`,
    [outletId],
  );
  return rows.filter((row) => row.enabled).map((row) => Number(row.user_id));
}

/** Refuses, for a caller who may not, to leave the outlet without an enabled admin once `userId` is not one. */
function keepAnAdmin(caller: Caller, admins: number[], userId: number): void {
  if (admins.some((admin) => admin !== userId) || mayLeaveOutletWithoutAdmin(caller)) return;
  throw conflict("This is the outlet's last admin: make another member admin first, or ask an editor");
}

async function membershipRole(db: Queryable, outletId: number, userId: number): Promise<MembershipRole> {
  const { rows } = await db.query<{ role: MembershipRole }>(
    'SELECT role FROM memberships WHERE outlet_id = $1 AND user_id = $2 FOR UPDATE',
    [outletId, userId],
  );
  if (!rows[0]) throw notFound(`User ${userId} is not a member of this outlet`);
  return rows[0].role;
}

/** Changes a member's role at an outlet (its admin or an editor); an admin may not demote the last admin. */
export async function changeMembershipRole(
  pool: pg.Pool,
  input: { caller: Caller; outletId: number; userId: number; role: MembershipRole },
): Promise<void> {
  const { caller, outletId, userId, role } = input;
  if (!canManageOutlet(caller, outletId)) throw forbidden("Only an editor or the outlet's admin may do this");
  await withTransaction(pool, async (client) => {
    const admins = await lockedAdminsOf(client, outletId);
    const current = await membershipRole(client, outletId, userId);
    if (current === 'admin' && role !== 'admin') keepAnAdmin(caller, admins, userId);
    await setMembership(client, caller, { userId, outletId, role });
  });
}

/**
 * Removes a member from an outlet, and with it, at once and in the same transaction, every session of
 * theirs and each of their tokens that could act for this outlet (those made for it, and those that
 * carry all their rights). An admin may not remove the outlet's last admin.
 */
export async function removeMembership(
  pool: pg.Pool,
  input: { caller: Caller; outletId: number; userId: number },
): Promise<void> {
  const { caller, outletId, userId } = input;
  if (!canManageOutlet(caller, outletId)) throw forbidden("Only an editor or the outlet's admin may do this");
  await withTransaction(pool, async (client) => {
    const admins = await lockedAdminsOf(client, outletId);
    const role = await membershipRole(client, outletId, userId);
    if (role === 'admin') keepAnAdmin(caller, admins, userId);
    await client.query('DELETE FROM memberships WHERE outlet_id = $1 AND user_id = $2', [outletId, userId]);
    const sessionsEnded = await endSessionsOf(client, { userId, reason: 'membership_removed' });
    const revoked = await client.query<{ id: number }>(
      `UPDATE api_tokens SET revoked_at = now(), revoke_reason = 'membership_removed'
        WHERE user_id = $1 AND role = 'user' AND revoked_at IS NULL AND (outlet_id = $2 OR outlet_id IS NULL)
        RETURNING id`,
      [userId, outletId],
    );
    await recordAudit(client, caller, {
      action: 'membership.remove',
      recordType: 'user',
      recordId: userId,
      before: { outlet_id: outletId, role },
      after: {
        sessions_ended: sessionsEnded,
        tokens_revoked: revoked.rows.map((row) => Number(row.id)).sort((a, b) => a - b),
      },
    });
  });
}
