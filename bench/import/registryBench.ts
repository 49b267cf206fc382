// Registry import benchmark: a synthetic blocking-registry dump of N rows (bench/import/syntheticRegistry.ts,
// in the sample's shapes) imported end to end — `importRegistryDump` and the search outbox relay until
// Meilisearch holds every order — against, in the same run, the bare tools on the same data: PostgreSQL
// `COPY` of the same rows into a plain table, plus Meilisearch `addDocuments` of the same search documents.
// Prints rows/s of each, the ratio (target ≥ 0.5) and this process's peak RSS (target < 512 MB).
// Usage: npm run bench:import -- [--rows 50000] [--batch 2000 (rows per import transaction)]
//   [--relay-batch 5000 (most outbox rows per relay batch)] [--relay-in-flight 3 (batches sent, not yet applied)]
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { once } from 'node:events';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { operatorCaller } from '../../server/auth/caller.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateDatabase } from '../../server/database/migrateDatabase.ts';
import { createPool } from '../../server/database/pool.ts';
import { seedAuthorities } from '../../server/database/seedAuthorities.ts';
import { importRegistryDump } from '../../server/imports/registry/registryImporter.ts';
import { createMeiliClient } from '../../server/indexing/meiliClient.ts';
import { buildSearchDocuments } from '../../server/indexing/searchDocuments.ts';
import {
  ensureSearchIndexes,
  readAuthoritySynonyms,
  searchIndexNames,
} from '../../server/indexing/searchIndexes.ts';
import { waitForSearchTasks } from '../../server/indexing/searchTasks.ts';
import { createLogger } from '../../server/logger.ts';
import { startBackingServices } from '../../server/runtime/backingServices.ts';
import type { RelayProcessSettings } from './relayProcess.ts';
import { writeSyntheticRegistry } from './syntheticRegistry.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '50000' },
    batch: { type: 'string', default: '2000' },
    // The relay's limits; unset, the relay's defaults, as npm start runs it.
    'relay-batch': { type: 'string' },
    'relay-in-flight': { type: 'string' },
  },
});
const ROWS = Number(values.rows);
const SAMPLE = path.resolve(import.meta.dirname, '../../../shared/corpus/blocking-registry/zi-sample.csv');

let peakRss = 0;
const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const seconds = (since: number) => (performance.now() - since) / 1000;

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-registry-bench-'));
  // The embedded PostgreSQL runs as its own user and reads the baseline's file itself (server-side COPY).
  await chmod(dataDir, 0o755);
  const dump = path.join(dataDir, 'dump.csv');
  let started = performance.now();
  await writeSyntheticRegistry(SAMPLE, dump, ROWS);
  console.log(`synthetic registry: ${ROWS} rows written in ${seconds(started).toFixed(1)} s (${dump})`);

  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const logger = createLogger(config);
  const services = await startBackingServices(config, logger);
  const running: (() => Promise<unknown>)[] = [];
  try {
    await migrateDatabase(services.databaseUrl);
    const db = createPool(services.databaseUrl, 4);
    running.push(() => db.end());
    await seedAuthorities(db);
    const meili = createMeiliClient(services.meiliUrl, services.meiliKey);
    const names = searchIndexNames(config.MEILI_INDEX_PREFIX);
    await ensureSearchIndexes(meili, names, (await readAuthoritySynonyms(db)).synonyms);

    // --- ours: the importer, then the relay until every order is in Meilisearch ---
    const settings: RelayProcessSettings = {
      databaseUrl: services.databaseUrl,
      meiliUrl: services.meiliUrl,
      meiliKey: services.meiliKey,
      dataDir,
      options: {
        idleMs: 100,
        ...(values['relay-batch'] ? { batchSize: Number(values['relay-batch']) } : {}),
        ...(values['relay-in-flight'] ? { batchesInFlight: Number(values['relay-in-flight']) } : {}),
      },
    };
    const relayProcess = fork(
      fileURLToPath(new URL('./relayProcess.ts', import.meta.url)),
      [JSON.stringify(settings)],
      {
        execArgv: ['--import', 'tsx'],
      },
    );
    // A relay that cannot start would leave the outbox full and the bench waiting: fail instead.
    relayProcess.once('exit', (code) => {
      if (code !== 0) {
        console.error(`the relay process ended with ${code}`);
        process.exit(1);
      }
    });
    await once(relayProcess, 'message');
    let relayPeakRss = 0;
    const relay = {
      stop: async () => {
        const stopped = once(relayProcess, 'message');
        relayProcess.send('stop');
        relayPeakRss = ((await stopped)[0] as { peakRss: number }).peakRss;
      },
    };
    running.push(() => relay.stop());
    const rssBefore = process.memoryUsage().rss;
    peakRss = rssBefore;
    started = performance.now();
    const report = await importRegistryDump(db, operatorCaller('registry-bench'), {
      source: dump,
      batchRows: Number(values.batch),
    });
    const importSeconds = seconds(started);
    while (
      Number(
        (await db.query<{ n: string }>('SELECT count(*) AS n FROM search_outbox WHERE processed_at IS NULL'))
          .rows[0]!.n,
      ) > 0
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const oursSeconds = seconds(started);
    // The bare side below builds its documents in this process too: the target is about ours.
    const oursPeakRss = peakRss;
    const oursLoad = os.loadavg()[0]!;
    await relay.stop();
    running.pop();
    console.log(
      `ours: ${report.rows} rows (${report.ordersCreated} orders, ${report.targetsAdded} targets, ` +
        `${report.rowsReported} rows reported) imported in ${importSeconds.toFixed(1)} s, searchable after ` +
        `${oursSeconds.toFixed(1)} s: ${Math.round(ROWS / oursSeconds)} rows/s; peak RSS ${(oursPeakRss / 2 ** 20).toFixed(0)} MB ` +
        `(${(rssBefore / 2 ** 20).toFixed(0)} MB before the import); the relay's process peaked at ` +
        `${(relayPeakRss / 2 ** 20).toFixed(0)} MB`,
    );

    // --- bare: COPY of the same rows into a plain table ---
    const bare = path.join(dataDir, 'bare.csv');
    const raw = await readFile(dump);
    await writeFile(bare, raw.subarray(raw.indexOf(0x0a) + 1));
    await chmod(bare, 0o644);
    await db.query(
      'CREATE TABLE bare_registry (ips text, domain text, urls text, body text, number text, decided_on date)',
    );
    started = performance.now();
    await db.query(`COPY bare_registry FROM '${bare}' WITH (FORMAT csv, DELIMITER ';', ENCODING 'WIN1251')`);
    const copySeconds = seconds(started);

    // --- bare: addDocuments of the same search documents into a fresh index of the same settings ---
    const bareNames = searchIndexNames(`${config.MEILI_INDEX_PREFIX}bare_`);
    await ensureSearchIndexes(meili, bareNames, (await readAuthoritySynonyms(db)).synonyms);
    const ids = (await db.query<{ id: string }>('SELECT id FROM orders ORDER BY id')).rows.map((row) =>
      Number(row.id),
    );
    let addSeconds = 0;
    for (let from = 0; from < ids.length; from += 5000) {
      const built = await buildSearchDocuments(db, ids.slice(from, from + 5000), 1);
      started = performance.now();
      const task = await meili.index(bareNames.orders).addDocuments(built.orders);
      await waitForSearchTasks(meili, [task], 600_000);
      addSeconds += seconds(started);
    }
    const bareSeconds = copySeconds + addSeconds;
    console.log(
      `bare: COPY ${ROWS} rows ${copySeconds.toFixed(1)} s + addDocuments of ${ids.length} order documents ` +
        `${addSeconds.toFixed(1)} s = ${bareSeconds.toFixed(1)} s: ${Math.round(ROWS / bareSeconds)} rows/s`,
    );
    console.log(
      `ratio (ours rows/s ÷ bare rows/s): ${(bareSeconds / oursSeconds).toFixed(2)} (target ≥ 0.5); ` +
        `peak RSS of ours ${(oursPeakRss / 2 ** 20).toFixed(0)} MB (target < 512 MB); load average ` +
        `${oursLoad.toFixed(1)} at the end of ours, ${os.loadavg()[0]!.toFixed(1)} at the end`,
    );
    // What Meilisearch spent on each side's documents: its batches merge the tasks queued behind the one
    // it runs, so fewer, larger batches are cheaper per document.
    for (const [side, index] of [
      ['ours', names.orders],
      ['bare', bareNames.orders],
    ]) {
      const spent = await meiliBatchTotals(services.meiliUrl, services.meiliKey, index!);
      console.log(
        `Meilisearch, ${side}: ${spent.documents} documents in ${spent.batches} batches, ${spent.seconds.toFixed(1)} s of indexing`,
      );
    }
    // The dump's text, for a glance at what was generated.
    console.log(
      `first rows: ${iconv.decode(raw.subarray(0, 400), 'win1251').split('\n').slice(1, 3).join(' / ')}`,
    );
  } finally {
    for (const stop of running.reverse()) await stop().catch(() => undefined);
    await services.stop();
    clearInterval(rssSampler);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Meilisearch's batches of one index: how many, the documents they carried, the seconds they took. */
async function meiliBatchTotals(url: string, key: string, index: string) {
  const totals = { batches: 0, documents: 0, seconds: 0 };
  let from: number | null = null;
  do {
    const page = `${url}/batches?indexUids=${index}&limit=1000${from === null ? '' : `&from=${from}`}`;
    const response = await fetch(page, { headers: { Authorization: `Bearer ${key}` } });
    const body = (await response.json()) as {
      results: { details?: { receivedDocuments?: number }; duration?: string | null }[];
      next: number | null;
    };
    for (const batch of body.results) {
      totals.batches++;
      totals.documents += batch.details?.receivedDocuments ?? 0;
      // ISO 8601 durations as Meilisearch writes them: PT1.234S, PT2M3.4S.
      const parts = /PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?/.exec(batch.duration ?? '');
      if (parts)
        totals.seconds += Number(parts[1] ?? 0) * 3600 + Number(parts[2] ?? 0) * 60 + Number(parts[3] ?? 0);
    }
    from = body.next;
  } while (from !== null);
  return totals;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
