// Reads the audit log: the whole log for editors, filtered, and one order's history as its reader may see
// it. Both are newest first, paged by a keyset on (at, id) that the log's indexes serve (audit_log_at_idx,
// audit_log_action_idx, audit_log_user_idx, audit_log_record_idx), so a page costs the same on a log of
// millions of rows. Every filter value goes as a query parameter.
import {
  historyActorName,
  PUBLICATION_FIELDS,
  visibleHistorySql,
  type HistoryDetail,
} from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import type { ActorKind, AuditEntry, AuditQuery, HistoryEntry, HistoryQuery } from '../schemas/history.ts';
import { keysetPage, SqlConditions } from './keysetPage.ts';

interface AuditRow {
  id: string;
  at: Date;
  /** `at` in microseconds since 1970, exactly (a JS Date keeps only milliseconds): for the cursor. */
  at_us: string;
  actor: string;
  user_id: string | null;
  token_id: string | null;
  session_id: string | null;
  action: string;
  record_type: string;
  record_id: string;
  before: unknown;
  after: unknown;
}

const AUDIT_SELECT_SQL = `
  SELECT a.id, a.at, (extract(epoch FROM a.at) * 1000000)::bigint::text AS at_us, a.actor, a.user_id,
         a.token_id, a.session_id, a.action, a.record_type, a.record_id, a.before, a.after
    FROM audit_log a`;

const NEWEST_FIRST = 'a.at DESC, a.id DESC';

const cursorOf = (row: AuditRow) => `${row.at_us}-${row.id}`;

/** Entries after the cursor's (newest first). `a.at <=` alone lets any index on `at` bound the scan. */
function afterCursor(where: SqlConditions, cursor: string | undefined): void {
  if (cursor === undefined) return;
  const [micros, id] = cursor.split('-');
  where.require((params) => {
    params.push(micros, id);
    const at = `(timestamptz 'epoch' + $${params.length - 1}::bigint * interval '1 microsecond')`;
    return `a.at <= ${at} AND (a.at, a.id) < (${at}, $${params.length}::bigint)`;
  });
}

/**
 * The actions that start with `prefix`, read from audit_log_action_idx by skipping from one action to
 * the next (a few dozen index probes, however long the log), so the filter is an exact list the same
 * index serves. starts_with, not a range: in a linguistic collation a prefix's actions need not be
 * neighbours.
 */
async function actionsStartingWith(db: Queryable, prefix: string): Promise<string[]> {
  const { rows } = await db.query<{ actions: string[] | null }>(
    `WITH RECURSIVE actions(action) AS (
       (SELECT action FROM audit_log ORDER BY action LIMIT 1)
       UNION ALL
       SELECT (SELECT l.action FROM audit_log l WHERE l.action > actions.action ORDER BY l.action LIMIT 1)
         FROM actions WHERE actions.action IS NOT NULL)
     SELECT array_agg(action) AS actions FROM actions WHERE starts_with(action, $1)`,
    [prefix],
  );
  return rows[0]?.actions ?? [];
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** The SQL of one page of the log under the filters (exported so a test can EXPLAIN it). */
export async function auditPageSql(db: Queryable, query: AuditQuery) {
  const where = new SqlConditions().require(() => 'TRUE');
  if (query.action !== undefined) {
    if (query.action.endsWith('*')) {
      const actions = await actionsStartingWith(db, query.action.slice(0, -1));
      where.add((p) => `a.action = ANY(${p}::text[])`, actions);
    } else {
      where.add((p) => `a.action = ${p}`, query.action);
    }
  }
  if (query.record_type !== undefined) where.add((p) => `a.record_type = ${p}`, query.record_type);
  if (query.record_id !== undefined) where.add((p) => `a.record_id = ${p}`, query.record_id);
  if (query.user !== undefined) where.add((p) => `a.user_id = ${p}`, query.user);
  if (query.actor !== undefined) where.add((p) => `a.actor ILIKE ${p}`, `%${escapeLike(query.actor)}%`);
  if (query.since !== undefined) where.add((p) => `a.at >= ${p}::timestamptz`, query.since);
  if (query.until !== undefined) where.add((p) => `a.at < ${p}::timestamptz`, query.until);
  afterCursor(where, query.cursor);
  return where.listSql(AUDIT_SELECT_SQL, NEWEST_FIRST, query.limit);
}

const toId = (value: string | null) => (value === null ? null : Number(value));

function presentAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: row.at.toISOString(),
    actor: row.actor,
    user_id: toId(row.user_id),
    token_id: toId(row.token_id),
    session_id: toId(row.session_id),
    action: row.action,
    record_type: row.record_type,
    record_id: row.record_id,
    before: row.before,
    after: row.after,
  };
}

export async function listAudit(
  db: Queryable,
  query: AuditQuery,
): Promise<{ items: AuditEntry[]; next_cursor: string | null }> {
  const { text, values } = await auditPageSql(db, query);
  // Sent as a config object, so unnamed (see database/preparedStatements.ts): planned for these values each
  // time. A prepared statement's generic plan would walk audit_log_at_idx for any action, which for a rare
  // one means reading the whole log.
  const { rows } = await db.query<AuditRow>({ text, values });
  return keysetPage(rows, query.limit, presentAuditEntry, cursorOf);
}

/** The kind of actor an audit entry names (`editor:…`, `user:…`, `outlet:…`; anything else is the archive). */
function actorOf(actor: string): { kind: ActorKind; name: string } {
  const colon = actor.indexOf(':');
  const prefix = colon < 0 ? '' : actor.slice(0, colon);
  const name = colon < 0 ? actor : actor.slice(colon + 1);
  if (prefix === 'editor' || prefix === 'user' || prefix === 'outlet') return { kind: prefix, name };
  return { kind: 'system', name: actor };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Bookkeeping, not a change anyone made. */
const UNCHANGED_FIELDS = new Set(['version']);

/** Old → new for each field the entry wrote; an entry that made something has only `to`. */
function changesOf(row: AuditRow, detail: HistoryDetail): HistoryEntry['changes'] {
  const after = isRecord(row.after) ? row.after : {};
  const before = isRecord(row.before) ? row.before : undefined;
  const shown = (field: string) =>
    !UNCHANGED_FIELDS.has(field) && (detail === 'full' || PUBLICATION_FIELDS.includes(field));
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after)])].filter(shown);
  return fields.map((field) =>
    before === undefined
      ? { field, to: after[field] ?? null }
      : { field, from: before[field] ?? null, to: after[field] ?? null },
  );
}

/**
 * One page of an order's history: its own entries and those of its documents, as a reader at `detail`
 * may see them (see ORDER_HISTORY_RULE in orderAccess.ts).
 */
export async function listOrderHistory(
  db: Queryable,
  { orderId, detail, query }: { orderId: number; detail: HistoryDetail; query: HistoryQuery },
): Promise<{ items: HistoryEntry[]; next_cursor: string | null }> {
  const where = new SqlConditions()
    .require((params) => {
      params.push(String(orderId), orderId);
      return `((a.record_type = 'order' AND a.record_id = $${params.length - 1})
        OR (a.record_type = 'document' AND a.record_id = ANY(ARRAY(
              SELECT d.id::text FROM documents d WHERE d.order_id = $${params.length}))))`;
    })
    .require((params) => visibleHistorySql(detail, 'a', params));
  afterCursor(where, query.cursor);
  const { text, values } = where.listSql(AUDIT_SELECT_SQL, NEWEST_FIRST, query.limit);
  const { rows } = await db.query<AuditRow>(text, values);
  return keysetPage(
    rows,
    query.limit,
    (row) => {
      const actor = actorOf(row.actor);
      return {
        at: row.at.toISOString(),
        actor: {
          kind: detail === 'full' || actor.kind !== 'user' ? actor.kind : 'outlet',
          name: historyActorName(detail, actor.kind, actor.name),
        },
        action: row.action,
        changes: changesOf(row, detail),
      };
    },
    cursorOf,
  );
}
