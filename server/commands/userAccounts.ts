// People: creating a user, and their memberships of outlets. Each change is audited in the same
// transaction (record_type 'user'); a password is stored only as its argon2id hash.
import type { Caller } from '../auth/caller.ts';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.ts';
import type { Queryable } from '../database/transaction.ts';
import { conflict, invalidInput, isUniqueViolation } from '../errors.ts';
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

/** Creates the user; returns its id. A taken e-mail is a conflict. */
export async function createUser(db: Queryable, caller: Caller, user: NewUser): Promise<number> {
  if (user.password !== undefined) checkPassword(user.password);
  const passwordHash = user.password === undefined ? null : await hashPassword(user.password);
  const email = normalizeEmail(user.email);
  let id: number;
  try {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO users (email, display_name, password_hash, is_editor, researcher_until, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END) RETURNING id`,
      [email, user.displayName, passwordHash, user.isEditor ?? false, user.researcherUntil ?? null],
    );
    id = Number(rows[0]!.id);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`there is already a user with the e-mail ${email}`);
    throw error;
  }
  await recordAudit(db, caller, {
    action: 'user.create',
    recordType: 'user',
    recordId: id,
    after: {
      email,
      display_name: user.displayName,
      is_editor: user.isEditor ?? false,
      researcher_until: user.researcherUntil ?? null,
      password_set: passwordHash !== null,
    },
  });
  return id;
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
