// Reads people in the shapes the API shows: users, an outlet's members, invitations (never a secret or a
// password hash), and "who am I" for the caller.
import type { Caller } from '../auth/caller.ts';
import { invitationOutletsOf } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import type { Invitation, InvitationListQuery, Me, Member, User } from '../schemas/people.ts';
import { keysetPage, SqlConditions } from './keysetPage.ts';

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** A timestamptz as RFC 3339 text, 'infinity' as it is: node-pg would make 'infinity' a number. */
const timeText = (column: string) => `to_json(${column}) #>> '{}'`;

const USER_SELECT_SQL = `
  SELECT u.id, u.email, u.display_name, u.is_editor,
         (u.researcher_until IS NOT NULL AND u.researcher_until > now()) AS researcher,
         ${timeText('u.researcher_until')} AS researcher_until,
         u.disabled_at IS NOT NULL AS disabled, u.disabled_at, u.password_hash IS NOT NULL AS password_set,
         CASE WHEN u.locked_until > now() THEN u.locked_until END AS locked_until,
         COALESCE((SELECT json_agg(json_build_object('outlet_id', m.outlet_id, 'outlet_slug', mo.slug,
                                                     'role', m.role) ORDER BY m.outlet_id)
                     FROM memberships m JOIN outlets mo ON mo.id = m.outlet_id
                    WHERE m.user_id = u.id), '[]'::json) AS memberships,
         u.created_at
    FROM users u`;

export async function readUser(db: Queryable, id: number): Promise<User | undefined> {
  const { rows } = await db.query<User>(`${USER_SELECT_SQL} WHERE u.id = $1`, [id]);
  return rows[0];
}

/** `text` as a LIKE pattern matching it anywhere, its own % and _ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

export async function listUsers(
  db: Queryable,
  query: {
    limit: number;
    cursor?: string | undefined;
    q?: string | undefined;
    outletId?: number | undefined;
    role?: 'editor' | 'researcher' | undefined;
  },
): Promise<Page<User>> {
  const where = new SqlConditions().require(() => 'TRUE');
  if (query.q) where.add((p) => `(u.email ILIKE ${p} OR u.display_name ILIKE ${p})`, containing(query.q));
  if (query.outletId !== undefined)
    where.add(
      (p) => `EXISTS (SELECT 1 FROM memberships f WHERE f.user_id = u.id AND f.outlet_id = ${p})`,
      query.outletId,
    );
  if (query.role === 'editor') where.require(() => 'u.is_editor');
  if (query.role === 'researcher') where.require(() => 'u.researcher_until > now()');
  if (query.cursor) where.add((p) => `u.id > ${p}::bigint`, query.cursor);
  const { text, values } = where.listSql(USER_SELECT_SQL, 'u.id', query.limit);
  const { rows } = await db.query<User>(text, values);
  return keysetPage(
    rows,
    query.limit,
    (row) => row,
    (row) => row.id,
  );
}

export async function findOutlet(
  db: Queryable,
  idOrSlug: string,
): Promise<{ id: number; slug: string } | undefined> {
  const byId = /^[0-9]+$/.test(idOrSlug);
  const { rows } = await db.query<{ id: number; slug: string }>(
    `SELECT id, slug FROM outlets WHERE ${byId ? 'id = $1::bigint' : 'slug = $1'}`,
    [idOrSlug],
  );
  return rows[0];
}

const MEMBER_SELECT_SQL = `
  SELECT m.user_id, u.email, u.display_name, m.role, m.created_at AS since,
         u.disabled_at IS NOT NULL AS disabled
    FROM memberships m JOIN users u ON u.id = m.user_id`;

export async function readMember(
  db: Queryable,
  outletId: number,
  userId: number,
): Promise<Member | undefined> {
  const { rows } = await db.query<Member>(`${MEMBER_SELECT_SQL} WHERE m.outlet_id = $1 AND m.user_id = $2`, [
    outletId,
    userId,
  ]);
  return rows[0];
}

export async function listMembers(
  db: Queryable,
  outletId: number,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<Member>> {
  const { rows } = await db.query<Member>(
    `${MEMBER_SELECT_SQL}
      WHERE m.outlet_id = $1 AND ($2::bigint IS NULL OR m.user_id > $2)
      ORDER BY m.user_id LIMIT $3`,
    [outletId, query.cursor ?? null, query.limit + 1],
  );
  return keysetPage(
    rows,
    query.limit,
    (row) => row,
    (row) => row.user_id,
  );
}

const INVITATION_STATE_SQL = `CASE WHEN l.revoked_at IS NOT NULL THEN 'revoked' WHEN l.used_at IS NOT NULL THEN 'used'
  WHEN l.expires_at <= now() THEN 'expired' ELSE 'pending' END`;

const INVITATION_SELECT_SQL = `
  SELECT l.id, l.email, l.role,
         CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'slug', o.slug) END AS outlet,
         ${timeText('l.researcher_until')} AS researcher_until, ${INVITATION_STATE_SQL} AS state,
         l.created_at, l.expires_at, l.used_at, l.revoked_at,
         CASE WHEN c.id IS NULL THEN NULL
              ELSE json_build_object('user_id', c.id, 'display_name', c.display_name) END AS invited_by,
         CASE WHEN l.used_at IS NOT NULL THEN l.user_id END AS accepted_by_user_id
    FROM account_links l
    LEFT JOIN outlets o ON o.id = l.outlet_id
    LEFT JOIN users c ON c.id = l.created_by_user_id`;

export async function readInvitation(db: Queryable, id: number): Promise<Invitation | undefined> {
  const { rows } = await db.query<Invitation>(
    `${INVITATION_SELECT_SQL} WHERE l.id = $1 AND l.purpose = 'invitation'`,
    [id],
  );
  return rows[0];
}

/** The invitations the caller may see (an editor all, an outlet's admin those of its outlets), newest first. */
export async function listInvitations(
  db: Queryable,
  caller: Caller,
  query: Omit<InvitationListQuery, 'outlet'> & { outletId?: number | undefined },
): Promise<Page<Invitation>> {
  const where = new SqlConditions().require(() => `l.purpose = 'invitation'`);
  const outlets = invitationOutletsOf(caller);
  if (outlets !== undefined) where.add((p) => `l.outlet_id = ANY(${p}::bigint[])`, outlets);
  if (query.outletId !== undefined) where.add((p) => `l.outlet_id = ${p}`, query.outletId);
  if (query.state) where.add((p) => `${INVITATION_STATE_SQL} = ${p}`, query.state);
  if (query.cursor) where.add((p) => `l.id < ${p}::bigint`, query.cursor);
  const { text, values } = where.listSql(INVITATION_SELECT_SQL, 'l.id DESC', query.limit);
  const { rows } = await db.query<Invitation>(text, values);
  return keysetPage(
    rows,
    query.limit,
    (row) => row,
    (row) => row.id,
  );
}

/** Who the caller is: their account (if a person), and the rights this very credential carries. */
export async function readMe(db: Queryable, caller: Exclude<Caller, { kind: 'anonymous' }>): Promise<Me> {
  const user = caller.userId === null ? null : ((await readUser(db, caller.userId)) ?? null);
  const outletIds = caller.kind === 'account' ? caller.outletIds : [];
  const { rows } = await db.query<{ id: number; slug: string }>(
    'SELECT id, slug FROM outlets WHERE id = ANY($1::bigint[]) ORDER BY id',
    [outletIds],
  );
  const adminOf = caller.kind === 'account' ? caller.adminOf : [];
  return {
    kind: caller.kind,
    user,
    memberships: rows.map((outlet) => ({
      outlet_id: outlet.id,
      outlet_slug: outlet.slug,
      role: adminOf.includes(outlet.id) ? 'admin' : 'member',
    })),
    is_editor: caller.kind === 'editor',
    researcher: caller.kind === 'account' ? caller.researcher : (user?.researcher ?? false),
    researcher_until: user?.researcher_until ?? null,
    credential: caller.sessionId !== null ? 'session' : 'token',
    read_only: caller.readOnly,
  };
}
