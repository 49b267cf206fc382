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
import { startSearchOutboxRelay } from '../../server/indexing/searchOutboxRelay.ts';
import { waitForSearchTasks } from '../../server/indexing/searchTasks.ts';
import { createLogger } from '../../server/logger.ts';
import { startBackingServices } from '../../server/runtime/backingServices.ts';
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
    const relay = startSearchOutboxRelay(
      { db, meili, config, logger },
      {
        idleMs: 100,
        ...(values['relay-batch'] ? { batchSize: Number(values['relay-batch']) } : {}),
        ...(values['relay-in-flight'] ? { batchesInFlight: Number(values['relay-in-flight']) } : {}),
      },
    );
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
        `(${(rssBefore / 2 ** 20).toFixed(0)} MB before the import)`,
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
