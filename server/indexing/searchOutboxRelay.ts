// Keeps Meilisearch in step with PostgreSQL: drains pending search_outbox rows in batches
// (searchOutboxDrain.ts: larger while the outbox is long, several in flight), rebuilding those orders'
// documents from PostgreSQL, and marks rows processed only once Meilisearch has applied their batch (a
// failed task is an error). A newer row for the same order stays pending, so a concurrent edit is never
// lost. Meilisearch down: the archive keeps taking writes, the relay retries with backoff and catches up
// when it returns.
import type { Meilisearch } from 'meilisearch';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { drainSearchOutbox, type OutboxDrainOptions, type OutboxDrainResult } from './searchOutboxDrain.ts';
import {
  authoritySignature,
  ensureSearchIndexes,
  readAuthoritySynonyms,
  searchIndexNames,
  type SearchIndexNames,
} from './searchIndexes.ts';
import { listenForOutboxWrites } from './outboxNotices.ts';

export interface SearchOutboxRelayDependencies {
  db: pg.Pool;
  meili: Meilisearch;
  config: Pick<Config, 'MEILI_INDEX_PREFIX'>;
  logger: Logger;
}

export interface SearchOutboxRelayOptions {
  /** Most outbox rows per batch; a drain starts at 100 and doubles while batches come back full. */
  batchSize?: number;
  /** Most bytes of documents per batch and per addDocuments request. */
  batchBytes?: number;
  /** Batches sent to Meilisearch and not yet applied before the relay waits for the oldest. */
  batchesInFlight?: number;
  /** Longest pause after the outbox ran empty: the relay polls this often when no notice comes. */
  idleMs?: number;
  /** After a write is noticed, how long writes must pause before the next batch (a burst goes out together). */
  quietMs?: number;
  /** First retry delay after a failure; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long to wait for Meilisearch to apply a batch once it is the oldest in flight. */
  taskTimeoutMs?: number;
}

export interface SearchOutboxRelay {
  stop(): Promise<void>;
}

const SYNONYM_CHECK_INTERVAL_MS = 5_000;
const CLEANUP_INTERVAL_MS = 10 * 60_000;

/**
 * Runs one drain of the outbox (see searchOutboxDrain.ts) under the relay's lock; returns what it did, or
 * nothing done when another relay of this archive holds the lock. One relay at a time per archive, so two
 * never race on an order.
 */
export async function drainOutboxLocked(
  deps: Pick<SearchOutboxRelayDependencies, 'db' | 'meili'>,
  names: SearchIndexNames,
  options: OutboxDrainOptions = {},
): Promise<OutboxDrainResult> {
  const client = await deps.db.connect();
  let broken = false;
  try {
    const lockName = `search-outbox-relay:${names.orders}`;
    const locked = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1::text)) AS ok',
      [lockName],
    );
    if (!locked.rows[0]?.ok) return { rows: 0, batches: 0, drained: true };
    try {
      return await drainSearchOutbox(client, deps, names, options);
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

/**
 * Relays one batch of at most batchSize outbox rows and waits until Meilisearch has applied it; returns
 * how many rows it marked processed (0: nothing pending, or another relay holds the lock).
 */
export async function relayOutboxBatch(
  deps: Pick<SearchOutboxRelayDependencies, 'db' | 'meili'>,
  names: SearchIndexNames,
  batchSize = 100,
  taskTimeoutMs = 120_000,
): Promise<number> {
  const result = await drainOutboxLocked(deps, names, {
    firstRows: batchSize,
    maxRows: batchSize,
    maxBatches: 1,
    taskTimeoutMs,
  });
  return result.rows;
}

export function startSearchOutboxRelay(
  deps: SearchOutboxRelayDependencies,
  options: SearchOutboxRelayOptions = {},
): SearchOutboxRelay {
  const {
    batchSize = 5000,
    batchBytes = 4 * 2 ** 20,
    batchesInFlight = 3,
    idleMs = 500,
    quietMs = 150,
    minBackoffMs = 500,
    maxBackoffMs = 30_000,
    taskTimeoutMs = 600_000,
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
      let drained = true;
      const started = Date.now();
      try {
        const result = await drainOutboxLocked(deps, names, {
          maxRows: batchSize,
          maxBytes: batchBytes,
          maxBatchesInFlight: batchesInFlight,
          taskTimeoutMs,
          beforeBatch: keepIndexesReady,
          shouldStop: () => stopped,
        });
        drained = result.drained;
        if (failures) log.info({ failures }, 'search outbox relay recovered');
        failures = 0;
        if (!result.rows) await cleanUp();
      } catch (error) {
        if (stopped) break;
        failures++;
        signature = undefined;
        const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(failures - 1, 16));
        log.warn({ err: error, attempt: failures, retryInMs: delay }, 'search outbox relay failed; retrying');
        await sleep(delay);
        continue;
      }
      if (drained && !stopped) await waitForWrites(started);
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
