// Keeps Meilisearch in step with PostgreSQL: takes batches of pending search_outbox rows, rebuilds those
// orders' documents from PostgreSQL, sends them, waits until Meilisearch has applied them (a failed task
// is an error), and only then marks the rows it read as processed. A newer row for the same order stays
// pending, so a concurrent edit is never lost. Meilisearch down: the archive keeps taking writes, the
// relay retries with backoff and catches up when it returns.
import type { Meilisearch } from 'meilisearch';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { buildSearchDocuments, type BuiltSearchDocuments } from './searchDocuments.ts';
import {
  authoritySignature,
  ensureSearchIndexes,
  readAuthoritySynonyms,
  searchIndexNames,
  type SearchIndexNames,
} from './searchIndexes.ts';
import { listenForOutboxWrites } from './outboxNotices.ts';
import { waitForSearchTasks } from './searchTasks.ts';

export interface SearchOutboxRelayDependencies {
  db: pg.Pool;
  meili: Meilisearch;
  config: Pick<Config, 'MEILI_INDEX_PREFIX'>;
  logger: Logger;
}

export interface SearchOutboxRelayOptions {
  /** Outbox rows per batch. */
  batchSize?: number;
  /** Longest pause after a batch that was not full: the relay polls this often when no notice comes. */
  idleMs?: number;
  /** After a write is noticed, how long writes must pause before the next batch (a burst goes out together). */
  quietMs?: number;
  /** First retry delay after a failure; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long to wait for Meilisearch to apply a batch. */
  taskTimeoutMs?: number;
}

export interface SearchOutboxRelay {
  stop(): Promise<void>;
}

const SYNONYM_CHECK_INTERVAL_MS = 5_000;
const CLEANUP_INTERVAL_MS = 10 * 60_000;

/**
 * Sends one order batch's documents and waits for Meilisearch to apply them all. New pages go first,
 * then the orders' pages from older writes are deleted, so a search never sees an order without pages.
 * The deletion is its own batch in Meilisearch (~20 ms of its CPU), and usually there is nothing to
 * delete (a new order, or an edit that left the pages as they were): it is sent only when a search,
 * run once the additions have been applied, finds such pages.
 */
export async function sendSearchDocuments(
  meili: Meilisearch,
  names: SearchIndexNames,
  built: BuiltSearchDocuments,
  orderIds: number[],
  indexRev: number,
  timeoutMs: number,
): Promise<void> {
  const orders = meili.index(names.orders);
  const pages = meili.index(names.pages);
  const tasks = [];
  if (built.orders.length) tasks.push(await orders.addDocuments(built.orders));
  if (built.missing.length) {
    const ids = built.missing.flatMap((id) => [String(id), `${id}-unredacted`]);
    tasks.push(await orders.deleteDocuments(ids));
  }
  if (built.pages.length) tasks.push(await pages.addDocuments(built.pages));
  await waitForSearchTasks(meili, tasks, timeoutMs);
  if (!orderIds.length) return;
  // Tasks run in the order they came, so every earlier write to these pages has been applied by now.
  const older = `order_id IN [${orderIds.map((id) => Math.trunc(id)).join(', ')}] AND index_rev != ${Math.trunc(indexRev)}`;
  // An order's unredacted copy is stale once its redactions are gone (or it is public-only again).
  const [stalePages, staleOrders] = await Promise.all(
    [pages, orders].map((index) =>
      index.search('', { filter: older, limit: 1, attributesToRetrieve: ['id'] }),
    ),
  );
  const deletions = [];
  if (stalePages!.hits.length) deletions.push(await pages.deleteDocuments({ filter: older }));
  if (staleOrders!.hits.length) deletions.push(await orders.deleteDocuments({ filter: older }));
  if (deletions.length) await waitForSearchTasks(meili, deletions, timeoutMs);
}

/**
 * Relays one batch; returns how many outbox rows it marked processed (0: nothing pending, or another
 * relay of this archive holds the lock). One relay at a time per archive, so two never race on an order.
 */
export async function relayOutboxBatch(
  deps: Pick<SearchOutboxRelayDependencies, 'db' | 'meili'>,
  names: SearchIndexNames,
  batchSize = 100,
  taskTimeoutMs = 120_000,
): Promise<number> {
  const client = await deps.db.connect();
  let broken = false;
  try {
    const lockName = `search-outbox-relay:${names.orders}`;
    const locked = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1::text)) AS ok',
      [lockName],
    );
    if (!locked.rows[0]?.ok) return 0;
    try {
      const { rows } = await client.query<{ id: number; order_id: number }>(
        'SELECT id, order_id FROM search_outbox WHERE processed_at IS NULL ORDER BY id LIMIT $1',
        [batchSize],
      );
      if (!rows.length) return 0;
      const orderIds = [...new Set(rows.map((row) => Number(row.order_id)))];
      const indexRev = Math.max(...rows.map((row) => Number(row.id)));
      const built = await buildSearchDocuments(deps.db, orderIds, indexRev);
      await sendSearchDocuments(deps.meili, names, built, orderIds, indexRev, taskTimeoutMs);
      // Only the rows read above: a row written since (a newer edit) stays pending for the next batch.
      await client.query('UPDATE search_outbox SET processed_at = now() WHERE id = ANY($1::bigint[])', [
        rows.map((row) => row.id),
      ]);
      return rows.length;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1::text))', [lockName]).catch(() => {
        broken = true;
      });
    }
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    // A connection that failed mid-batch is discarded, which also frees its advisory lock.
    client.release(broken);
  }
}

export function startSearchOutboxRelay(
  deps: SearchOutboxRelayDependencies,
  options: SearchOutboxRelayOptions = {},
): SearchOutboxRelay {
  const {
    batchSize = 100,
    idleMs = 500,
    quietMs = 150,
    minBackoffMs = 500,
    maxBackoffMs = 30_000,
    taskTimeoutMs = 120_000,
  } = options;
  const names = searchIndexNames(deps.config.MEILI_INDEX_PREFIX);
  const log = deps.logger.child({ component: 'search-outbox-relay' });
  let stopped = false;
  let wake: (() => void) | undefined;
  // Undefined until the indexes' settings have been checked since the last (re)connection.
  let signature: string | undefined;
  let lastSynonymCheck = 0;
  let lastCleanup = Date.now();
  let failures = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  // PostgreSQL tells the relay when a write has queued orders. The relay goes once writes have paused for
  // quietMs (idleMs at the latest): a lone edit is searchable at once, and a burst of uploads still goes
  // out in large batches, each of which costs Meilisearch a fixed ~20 ms per index.
  let lastWrite = 0;
  let writeNoticed: (() => void) | undefined;
  const notices = listenForOutboxWrites(
    deps.db,
    () => {
      lastWrite = Date.now();
      writeNoticed?.();
    },
    log,
  );
  const waitForWrites = (since: number) =>
    new Promise<void>((resolve) => {
      let quiet: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(longest);
        clearTimeout(quiet);
        writeNoticed = wake = undefined;
        resolve();
      };
      const longest = setTimeout(done, idleMs);
      // Quiet means quietMs since the last write, which may have come while the last batch ran.
      writeNoticed = () => {
        clearTimeout(quiet);
        quiet = setTimeout(done, Math.max(0, lastWrite + quietMs - Date.now()));
      };
      wake = done;
      // Writes noticed while the last batch ran count too.
      if (lastWrite >= since) writeNoticed();
    });

  const keepIndexesReady = async () => {
    if (signature !== undefined && Date.now() - lastSynonymCheck < SYNONYM_CHECK_INTERVAL_MS) return;
    lastSynonymCheck = Date.now();
    if (signature !== undefined && (await authoritySignature(deps.db)) === signature) return;
    // First run, after a failure, or an authority's names changed: check every setting (synonyms too).
    const authorities = await readAuthoritySynonyms(deps.db);
    const checks = await ensureSearchIndexes(deps.meili, names, authorities.synonyms);
    for (const check of checks) {
      if (check.created || check.updated.length) log.info(check, 'search index settings applied');
    }
    signature = authorities.signature;
  };

  const cleanUp = async () => {
    if (Date.now() - lastCleanup < CLEANUP_INTERVAL_MS) return;
    lastCleanup = Date.now();
    await deps.db.query(`DELETE FROM search_outbox WHERE processed_at < now() - interval '7 days'`);
  };

  const loop = async () => {
    while (!stopped) {
      let relayed = 0;
      const started = Date.now();
      try {
        await keepIndexesReady();
        relayed = await relayOutboxBatch(deps, names, batchSize, taskTimeoutMs);
        if (failures) log.info({ failures }, 'search outbox relay recovered');
        failures = 0;
        if (!relayed) await cleanUp();
      } catch (error) {
        if (stopped) break;
        failures++;
        signature = undefined;
        const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(failures - 1, 16));
        log.warn({ err: error, attempt: failures, retryInMs: delay }, 'search outbox relay failed; retrying');
        await sleep(delay);
        continue;
      }
      if (relayed < batchSize && !stopped) await waitForWrites(started);
    }
  };
  const running = loop();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await notices.stop();
      await running;
    },
  };
}
