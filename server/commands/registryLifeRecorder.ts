// The registry's life between dumps: which dump is being imported and how far it got (so a killed run
// resumes), and once a dump is read whole, which targets it no longer lists ('unblocked' events) and
// which decisions have lost all their targets ('lifted').
import type { Caller } from '../auth/caller.ts';
import type { Queryable } from '../database/transaction.ts';
import { actorName } from '../auth/caller.ts';
import { conflict, forbidden } from '../errors.ts';
import { REGISTRY_SOURCE_URL } from './registryBatchImporter.ts';

export interface RegistryDumpProgress {
  linesDone: number;
  rowsDone: number;
  /** The dump was imported whole before: nothing is left to do but to confirm nothing changes. */
  finished: boolean;
}

/**
 * Starts (or resumes) the import of the dump dated `asOf`. Dumps go in date order: an older dump than
 * one already imported whole would record the registry's life backwards, so it is refused.
 */
export async function beginRegistryDump(
  db: Queryable,
  caller: Caller,
  { asOf, fileKey }: { asOf: string; fileKey: string },
): Promise<RegistryDumpProgress> {
  if (caller.kind !== 'editor') throw forbidden('only an editor may import a registry');
  const latest = await db.query<{ as_of: string }>(
    `SELECT to_char(max(as_of), 'YYYY-MM-DD') AS as_of FROM registry_dumps
      WHERE source = 'registry' AND finished_at IS NOT NULL`,
  );
  const newest = latest.rows[0]?.as_of;
  if (newest && newest > asOf) {
    throw conflict(
      `the archive already holds the registry as of ${newest}: import dumps in date order (this one is of ${asOf})`,
    );
  }
  const { rows } = await db.query<{ lines_done: string; rows_done: string; finished: boolean }>(
    `INSERT INTO registry_dumps (source, as_of, file_key) VALUES ('registry', $1, $2)
     ON CONFLICT (source, as_of, file_key) DO UPDATE SET source = EXCLUDED.source
     RETURNING lines_done, rows_done, finished_at IS NOT NULL AS finished`,
    [asOf, fileKey],
  );
  const row = rows[0]!;
  return { linesDone: Number(row.lines_done), rowsDone: Number(row.rows_done), finished: row.finished };
}

/** Records how far the dump's import got, in the transaction of the batch that got it there. */
export async function recordRegistryDumpProgress(
  db: Queryable,
  {
    asOf,
    fileKey,
    linesDone,
    rowsDone,
  }: { asOf: string; fileKey: string; linesDone: number; rowsDone: number },
): Promise<void> {
  await db.query(
    `UPDATE registry_dumps SET lines_done = $3, rows_done = $4
      WHERE source = 'registry' AND as_of = $1 AND file_key = $2`,
    [asOf, fileKey, linesDone, rowsDone],
  );
}

export interface RegistryDelistings {
  /** Targets the dump no longer lists: one 'unblocked' event each. */
  unlisted: number;
  /** Decisions none of whose targets are listed any more: one 'lifted' event each. */
  lifted: number;
}

/**
 * Once the dump dated `asOf` has been read whole: every target still listed that it did not list has
 * left the registry. Run inside a transaction; marks the dump finished.
 */
export async function recordRegistryDelistings(
  db: Queryable,
  caller: Caller,
  { asOf, fileKey }: { asOf: string; fileKey: string },
): Promise<RegistryDelistings> {
  if (caller.kind !== 'editor') throw forbidden('only an editor may import a registry');
  await db.query('CREATE TEMP TABLE registry_left (order_id bigint, article_id bigint) ON COMMIT DROP');
  const unlisted = await db.query(
    `WITH gone AS (
       UPDATE order_targets SET registry_listed = false, delisted_on = $1::date
        WHERE registry_listed AND last_listed_on < $1::date
       RETURNING order_id, article_id
     )
     INSERT INTO registry_left SELECT order_id, article_id FROM gone`,
    [asOf],
  );
  await db.query(
    `INSERT INTO events (order_id, article_id, kind, occurred_at, country, source_url, description)
     SELECT l.order_id, l.article_id, 'unblocked', $1::date, 'RU', $2,
            'No longer listed in the unified blocking registry (dump of ' || $1 || '): ' || a.url
       FROM registry_left l JOIN articles a ON a.id = l.article_id`,
    [asOf, REGISTRY_SOURCE_URL],
  );
  const lifted = await db.query(
    `INSERT INTO events (order_id, kind, occurred_at, country, source_url, description)
     SELECT o.order_id, 'lifted', $1::date, 'RU', $2,
            'None of the decision''s targets is listed in the unified blocking registry any more (dump of ' || $1 || ')'
       FROM (SELECT DISTINCT order_id FROM registry_left) o
      WHERE NOT EXISTS (SELECT 1 FROM order_targets t WHERE t.order_id = o.order_id AND t.registry_listed)`,
    [asOf, REGISTRY_SOURCE_URL],
  );
  const [actor, tokenId, userId, sessionId] = [
    actorName(caller),
    caller.tokenId,
    caller.userId,
    caller.sessionId,
  ];
  await db.query(
    `INSERT INTO audit_log (actor, token_id, user_id, session_id, action, record_type, record_id, after)
     SELECT $1, $2, $3, $4, 'order.registry_delisting', 'order', l.order_id::text,
            jsonb_build_object('as_of', $5::text, 'targets_unlisted', count(*))
       FROM registry_left l GROUP BY l.order_id`,
    [actor, tokenId, userId, sessionId, asOf],
  );
  await db.query('INSERT INTO search_outbox (order_id) SELECT DISTINCT order_id FROM registry_left');
  await db.query(
    `UPDATE registry_dumps SET finished_at = now()
      WHERE source = 'registry' AND as_of = $1 AND file_key = $2 AND finished_at IS NULL`,
    [asOf, fileKey],
  );
  return { unlisted: unlisted.rowCount ?? 0, lifted: lifted.rowCount ?? 0 };
}
