// Rebuilds both search indexes from PostgreSQL into fresh indexes and swaps them in atomically, so
// searches see the old index until the instant they see the complete new one. Changes committed while
// it ran (invisible to its snapshot) are queued again for the relay once the new indexes are live.
import type { EnqueuedTask, Meilisearch } from 'meilisearch';
import type pg from 'pg';
import type { Config } from '../config.ts';
import { buildSearchDocuments } from './searchDocuments.ts';
import {
  applyIndexSettings,
  ordersIndexSettings,
  pagesIndexSettings,
  readAuthoritySynonyms,
  searchIndexNames,
} from './searchIndexes.ts';
import { meiliErrorCode, waitForSearchTasks } from './searchTasks.ts';

export interface RebuildProgress {
  stage: 'prepared' | 'indexing' | 'sent' | 'swapped' | 'requeued';
  orders: number;
  pages: number;
  totalOrders: number;
  elapsedMs: number;
}

export interface RebuildOptions {
  /** Orders read from PostgreSQL and sent per request. */
  batchSize?: number;
  /** Meilisearch tasks allowed in flight before waiting for the oldest. */
  maxTasksInFlight?: number;
  onProgress?: (progress: RebuildProgress) => void | Promise<void>;
}

export interface RebuildResult {
  orders: number;
  pages: number;
  /** Orders changed while the rebuild ran, queued again for the relay. */
  requeued: number;
  elapsedMs: number;
}

export class RebuildAlreadyRunningError extends Error {
  override readonly name = 'RebuildAlreadyRunningError';
}

async function indexExists(meili: Meilisearch, uid: string): Promise<boolean> {
  try {
    await meili.getRawIndex(uid);
    return true;
  } catch (error) {
    if (meiliErrorCode(error) === 'index_not_found') return false;
    throw error;
  }
}

/** Leftovers of a rebuild that died before swapping (only this archive's, by prefix). */
async function dropLeftoverBuilds(meili: Meilisearch, prefix: string): Promise<void> {
  const { results } = await meili.getRawIndexes({ limit: 1000 });
  const leftovers = results
    .map((index) => index.uid)
    .filter((uid) => uid.startsWith(`${prefix}orders_rebuild_`) || uid.startsWith(`${prefix}pages_rebuild_`));
  await waitForSearchTasks(meili, await Promise.all(leftovers.map((uid) => meili.deleteIndex(uid))));
}

export async function rebuildSearchIndexes(
  deps: { db: pg.Pool; meili: Meilisearch; config: Pick<Config, 'MEILI_INDEX_PREFIX'> },
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const { batchSize = 500, maxTasksInFlight = 4, onProgress } = options;
  const started = Date.now();
  const prefix = deps.config.MEILI_INDEX_PREFIX;
  const live = searchIndexNames(prefix);
  const stamp = `${Date.now().toString(36)}`;
  const build = { orders: `${live.orders}_rebuild_${stamp}`, pages: `${live.pages}_rebuild_${stamp}` };

  const lockClient = await deps.db.connect();
  let snapshotClient: pg.PoolClient | undefined;
  try {
    const locked = await lockClient.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1::text)) AS ok',
      [`search-rebuild:${live.orders}`],
    );
    if (!locked.rows[0]?.ok)
      throw new RebuildAlreadyRunningError('Another reindex of this archive is running');

    await dropLeftoverBuilds(deps.meili, prefix);
    const { synonyms } = await readAuthoritySynonyms(deps.db);
    // Settings before any document: changing them afterwards would index everything twice.
    await applyIndexSettings(deps.meili, build.orders, ordersIndexSettings(synonyms));
    await applyIndexSettings(deps.meili, build.pages, pagesIndexSettings(synonyms));

    snapshotClient = await deps.db.connect();
    await snapshotClient.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: snapshotRows } = await snapshotClient.query<{ snapshot: string; total: number }>(
      'SELECT pg_current_snapshot()::text AS snapshot, (SELECT count(*)::int FROM orders) AS total',
    );
    const { snapshot, total } = snapshotRows[0]!;
    const progress = { orders: 0, pages: 0, totalOrders: total };
    const report = async (stage: RebuildProgress['stage']) =>
      onProgress?.({ stage, ...progress, elapsedMs: Date.now() - started });
    await report('prepared');

    const inFlight: EnqueuedTask[] = [];
    let lastId = 0;
    for (;;) {
      const { rows } = await snapshotClient.query<{ id: number }>(
        'SELECT id FROM orders WHERE id > $1 ORDER BY id LIMIT $2',
        [lastId, batchSize],
      );
      if (!rows.length) break;
      lastId = Number(rows.at(-1)!.id);
      const built = await buildSearchDocuments(
        snapshotClient,
        rows.map((row) => Number(row.id)),
        0,
      );
      inFlight.push(await deps.meili.index(build.orders).addDocuments(built.orders));
      if (built.pages.length) inFlight.push(await deps.meili.index(build.pages).addDocuments(built.pages));
      progress.orders += built.orders.length;
      progress.pages += built.pages.length;
      while (inFlight.length > maxTasksInFlight)
        await waitForSearchTasks(deps.meili, [inFlight.shift()!], 30 * 60_000);
      await report('indexing');
    }
    await snapshotClient.query('COMMIT');
    snapshotClient.release();
    snapshotClient = undefined;
    await waitForSearchTasks(deps.meili, inFlight, 60 * 60_000);
    await report('sent');

    const swaps = await Promise.all(
      (['orders', 'pages'] as const).map(async (kind) =>
        (await indexExists(deps.meili, live[kind]))
          ? { indexes: [live[kind], build[kind]] as [string, string], rename: false }
          : // No live index yet (first build): the new one is renamed to the live name.
            { indexes: [build[kind], live[kind]] as [string, string], rename: true },
      ),
    );
    await waitForSearchTasks(deps.meili, [await deps.meili.swapIndexes(swaps)]);
    await report('swapped');
    // After a swap the build name holds the old index.
    await waitForSearchTasks(
      deps.meili,
      await Promise.all(
        swaps.filter((swap) => !swap.rename).map((swap) => deps.meili.deleteIndex(swap.indexes[1])),
      ),
    );

    // Edits committed after the snapshot went (through the relay) to the old index only: do them again.
    const requeued = await deps.db.query(
      `INSERT INTO search_outbox (order_id)
       SELECT DISTINCT order_id FROM search_outbox WHERE NOT pg_visible_in_snapshot(xact_id, $1::pg_snapshot)`,
      [snapshot],
    );
    await report('requeued');
    return {
      orders: progress.orders,
      pages: progress.pages,
      requeued: requeued.rowCount ?? 0,
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    if (snapshotClient) {
      await snapshotClient.query('ROLLBACK').catch(() => undefined);
      snapshotClient.release();
    }
    if (!(error instanceof RebuildAlreadyRunningError)) {
      await Promise.all([deps.meili.deleteIndex(build.orders), deps.meili.deleteIndex(build.pages)]).catch(
        () => undefined,
      );
    }
    throw error;
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    lockClient.release();
  }
}
