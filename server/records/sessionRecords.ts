// Reads about a person's browser sessions: who a session is signed in as (with their memberships), and
// the list of their sessions, live ones first, for "where am I signed in?".
import type { Queryable } from '../database/transaction.ts';
import type { SessionListQuery, SessionSummary, SignedInUser } from '../schemas/sessions.ts';
import { keysetPage, SqlConditions } from './keysetPage.ts';

export interface SessionView {
  user: SignedInUser;
  session: { id: number; expires_at: Date };
}

interface SessionViewRow {
  session_id: number;
  expires_at: Date;
  user_id: number;
  email: string;
  display_name: string;
  is_editor: boolean;
  researcher_until: Date | number | null;
  memberships: { outlet_id: number; outlet_slug: string; role: 'admin' | 'member' }[];
}

/** PostgreSQL's 'infinity' (pg reads it as the number Infinity) stays a word; a time becomes RFC 3339. */
function timeOrInfinity(value: Date | number | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : value > 0 ? 'infinity' : '-infinity';
}

/** The session and the person it is signed in as, or undefined when there is no such session. */
export async function readSessionView(db: Queryable, sessionId: number): Promise<SessionView | undefined> {
  const { rows } = await db.query<SessionViewRow>(
    `SELECT s.id AS session_id, s.expires_at, u.id AS user_id, u.email, u.display_name, u.is_editor,
            u.researcher_until,
            COALESCE((SELECT json_agg(json_build_object('outlet_id', m.outlet_id, 'outlet_slug', o.slug,
                                                       'role', m.role) ORDER BY o.slug)
                        FROM memberships m JOIN outlets o ON o.id = m.outlet_id
                       WHERE m.user_id = u.id), '[]'::json) AS memberships
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1`,
    [sessionId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    user: {
      id: Number(row.user_id),
      email: row.email,
      display_name: row.display_name,
      is_editor: row.is_editor,
      memberships: row.memberships.map((m) => ({ ...m, outlet_id: Number(m.outlet_id) })),
      researcher_until: timeOrInfinity(row.researcher_until),
    },
    session: { id: Number(row.session_id), expires_at: row.expires_at },
  };
}

interface SessionRow {
  id: number;
  user_agent: string | null;
  address: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: SessionSummary['end_reason'];
  live: boolean;
}

const LIVE_SQL = '(s.ended_at IS NULL AND s.expires_at > now())';

/**
 * The person's sessions, live ones first, each group newest first. The cursor names the group and the id
 * (`live-42`, `ended-17`), so the next page goes on where this one stopped.
 */
export async function listSessionsOf(
  db: Queryable,
  input: { userId: number; currentSessionId: number | null; query: SessionListQuery },
): Promise<{ items: SessionSummary[]; next_cursor: string | null }> {
  const where = new SqlConditions().add((p) => `s.user_id = ${p}`, input.userId);
  const cursor = /^(live|ended)-([0-9]+)$/.exec(input.query.cursor ?? '');
  if (cursor?.[1] === 'live') {
    where.add((p) => `((${LIVE_SQL} AND s.id < ${p}::bigint) OR NOT ${LIVE_SQL})`, cursor[2]);
  } else if (cursor?.[1] === 'ended') {
    where.add((p) => `(NOT ${LIVE_SQL} AND s.id < ${p}::bigint)`, cursor[2]);
  }
  const { text, values } = where.listSql(
    `SELECT s.id, s.user_agent, s.address, s.created_at, s.last_used_at, s.expires_at, s.ended_at,
            s.end_reason, ${LIVE_SQL} AS live
       FROM sessions s`,
    `${LIVE_SQL} DESC, s.id DESC`,
    input.query.limit,
  );
  const { rows } = await db.query<SessionRow>(text, values);
  return keysetPage(
    rows,
    input.query.limit,
    (row) => ({
      id: Number(row.id),
      device: row.user_agent,
      address: row.address,
      created_at: row.created_at.toISOString(),
      last_used_at: row.last_used_at.toISOString(),
      expires_at: row.expires_at.toISOString(),
      ended_at: row.ended_at?.toISOString() ?? null,
      end_reason: row.end_reason,
      live: row.live,
      current: Number(row.id) === input.currentSessionId,
    }),
    (row) => `${row.live ? 'live' : 'ended'}-${row.id}`,
  );
}
