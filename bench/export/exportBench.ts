// The export benchmark: GET /api/export.jsonl (and .csv) of N orders over HTTP from the app listening in
// this process, read by a client that throws the bytes away: time to the first byte, orders/s, and the
// process's peak RSS while it streams (flat memory means the peak does not grow with N). The baseline, in
// the same run: a bare server-side cursor over the same orders as `row_to_json` text, fetched 5,000 rows
// at a time (what PostgreSQL alone costs to hand the rows over). Beside each: the CPU this process and
// the bench's PostgreSQL spent, PostgreSQL's peak memory (PSS of its processes) and the load average,
// since the machine is shared.
// Then the first byte of a few filtered exports, rare filters among them (a keyset scan in id order must
// not walk the whole table to fill its first batch).
//   node --import tsx bench/export/exportBench.ts [--orders 1000000] [--formats jsonl,csv] [--filters '?a=b,…']
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateDatabase } from '../../server/database/migrateDatabase.ts';
import { createPool } from '../../server/database/pool.ts';
import { seedAuthorities } from '../../server/database/seedAuthorities.ts';
import { createMeiliClient } from '../../server/indexing/meiliClient.ts';
import { createLogger } from '../../server/logger.ts';
import { JobQueue } from '../../server/queue/jobQueue.ts';
import { startBackingServices } from '../../server/runtime/backingServices.ts';
import { BlobStore } from '../../server/storage/blobStore.ts';
import { loadSyntheticOrders } from '../stats/syntheticOrders.ts';
import { postgresCpuSeconds, postgresPssBytes } from '../support/postgresProcesses.ts';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000000' },
    formats: { type: 'string', default: 'jsonl,csv' },
    /** Filtered exports whose first byte to time (the answer is dropped after it). */
    filters: {
      type: 'string',
      default:
        '?outlet=bench-outlet-7,?status=withdrawn,?has_response=true,?issued_from=2015-03-01&issued_to=2015-03-31,' +
        '?legal_basis=KG/FALSE-INFORMATION-2021,?country=KG',
    },
  },
});
const ORDERS = Number(args.orders);
const FORMATS = args.formats.split(',').filter((format) => format === 'jsonl' || format === 'csv');
const say = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const loadAverage = () => `load average ${os.loadavg()[0]!.toFixed(1)}`;

interface Measured<T> {
  result: T;
  /** This process's peak RSS (sampled every 50 ms). */
  peak: number;
  /** PostgreSQL's peak PSS, all its processes (sampled every 250 ms). */
  postgresPeak: number;
  /** CPU seconds this process and PostgreSQL spent on `work`. */
  cpu: { node: number; postgres: number };
}

/** Runs `work`, sampling memory while it runs and reading the CPU both sides spent. */
async function measured<T>(pgDataDir: string, work: () => Promise<T>): Promise<Measured<T>> {
  let peak = process.memoryUsage().rss;
  let postgresPeak = postgresPssBytes(pgDataDir);
  const rssTimer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const pssTimer = setInterval(
    () => (postgresPeak = Math.max(postgresPeak, postgresPssBytes(pgDataDir))),
    250,
  );
  const nodeBefore = process.cpuUsage();
  const postgresBefore = postgresCpuSeconds(pgDataDir);
  try {
    const result = await work();
    const node = process.cpuUsage(nodeBefore);
    return {
      result,
      peak,
      postgresPeak,
      cpu: {
        node: (node.user + node.system) / 1e6,
        postgres: postgresCpuSeconds(pgDataDir) - postgresBefore,
      },
    };
  } finally {
    clearInterval(rssTimer);
    clearInterval(pssTimer);
  }
}

const resources = (run: Measured<unknown>) =>
  `peak RSS ${mb(run.peak)}, PostgreSQL peak PSS ${mb(run.postgresPeak)}; ` +
  `CPU: this process ${run.cpu.node.toFixed(1)} s, PostgreSQL ${run.cpu.postgres.toFixed(1)} s; ${loadAverage()}`;

/**
 * Reads the export and throws it away. `rssByTenth`: this process's largest RSS seen in each tenth of the
 * expected lines (read at each chunk), so memory that grows with the export shows as a rising row.
 */
function download(
  url: string,
  expectedLines: number,
): Promise<{ firstByteMs: number; totalMs: number; bytes: number; lines: number; rssByTenth: number[] }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let firstByteMs = -1;
        let bytes = 0;
        let lines = 0;
        const rssByTenth: number[] = [];
        response.on('data', (chunk: Buffer) => {
          if (firstByteMs < 0) firstByteMs = performance.now() - started;
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
          const tenth = Math.min(9, Math.floor((lines * 10) / Math.max(1, expectedLines)));
          rssByTenth[tenth] = Math.max(rssByTenth[tenth] ?? 0, process.memoryUsage.rss());
        });
        response.on('end', () =>
          resolve({ firstByteMs, totalMs: performance.now() - started, bytes, lines, rssByTenth }),
        );
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Milliseconds to the first byte of an answer, which is then dropped. */
function firstByteOf(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      response.once('data', () => {
        resolve({ status: response.statusCode ?? 0, ms: performance.now() - started });
        request.destroy();
      });
      response.on('error', () => undefined);
    });
    request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
  });
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-export-bench-'));
  await chmod(dataDir, 0o755);
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RUN_WORKER: 'false',
    MEILI_INDEX_PREFIX: 'bench_',
  });
  const logger = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  say(
    `export benchmark: ${ORDERS.toLocaleString('en-US')} orders, ${os.cpus().length} CPUs, ${loadAverage()}`,
  );
  const services = await startBackingServices(
    { ...config, DATABASE_URL: undefined, MEILI_URL: undefined },
    logger,
  );
  const db = createPool(services.databaseUrl, 8);
  const pgDataDir = path.join(dataDir, 'postgres');
  let jobs: JobQueue | undefined;
  try {
    await migrateDatabase(services.databaseUrl);
    await seedAuthorities(db);
    const loadStarted = Date.now();
    await loadSyntheticOrders(db, {
      orders: ORDERS,
      onProgress: (loaded) => {
        if (loaded % 200_000 === 0 || loaded === ORDERS) say(`  loaded ${loaded.toLocaleString('en-US')}`);
      },
    });
    say(`loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s, ${loadAverage()}`);
    const { rows } = await db.query<{ public: number }>(
      `SELECT count(*)::int AS public FROM orders WHERE visibility = 'public'`,
    );
    const publicOrders = rows[0]!.public;

    // Baseline: a bare cursor over the same rows, as JSON text, thrown away.
    const baseline = await measured(pgDataDir, async () => {
      const client = await db.connect();
      const started = performance.now();
      let firstMs = -1;
      let count = 0;
      try {
        await client.query('BEGIN');
        await client.query(
          `DECLARE bare NO SCROLL CURSOR FOR SELECT row_to_json(o)::text AS line FROM orders o
            WHERE visibility = 'public' ORDER BY id`,
        );
        for (;;) {
          const { rows: batch } = await client.query<{ line: string }>('FETCH 5000 FROM bare');
          if (firstMs < 0) firstMs = performance.now() - started;
          if (!batch.length) break;
          count += batch.length;
        }
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      return { firstMs, totalMs: performance.now() - started, count };
    });
    say(
      `bare cursor:  ${baseline.result.count.toLocaleString('en-US')} rows, first rows ${baseline.result.firstMs.toFixed(0)} ms, ` +
        `${(baseline.result.totalMs / 1000).toFixed(1)} s, ${Math.round(baseline.result.count / (baseline.result.totalMs / 1000)).toLocaleString('en-US')} rows/s, ${resources(baseline)}`,
    );

    jobs = await JobQueue.start(services.databaseUrl, logger, {
      longestExtractionMs: config.EXTRACT_MAX_TIMEOUT_MS,
    });
    const app = await buildApp({
      config,
      logger,
      db,
      meili: createMeiliClient(services.meiliUrl, services.meiliKey),
      blobs: new BlobStore(path.join(dataDir, 'blobs')),
      jobs,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address() as { port: number };
    try {
      for (const format of FORMATS) {
        const rssBefore = process.memoryUsage().rss;
        const run = await measured(pgDataDir, () =>
          download(`http://127.0.0.1:${address.port}/api/export.${format}`, publicOrders),
        );
        const { firstByteMs, totalMs, bytes, lines } = run.result;
        const rate = publicOrders / (totalMs / 1000);
        const baseRate = baseline.result.count / (baseline.result.totalMs / 1000);
        say(
          `export.${format.padEnd(5)} ${publicOrders.toLocaleString('en-US')} orders (${lines.toLocaleString('en-US')} lines, ${mb(bytes)}), ` +
            `first byte ${firstByteMs.toFixed(0)} ms, ${(totalMs / 1000).toFixed(1)} s, ${Math.round(rate).toLocaleString('en-US')} orders/s ` +
            `(ratio to the bare cursor ${(rate / baseRate).toFixed(2)}), RSS ${mb(rssBefore)} before; ${resources(run)}`,
        );
        say(
          `  RSS by tenth of the export: ${run.result.rssByTenth.map((bytes) => Math.round(bytes / 2 ** 20)).join(' ')} MB`,
        );
      }
      for (const filter of args.filters.split(',').filter(Boolean)) {
        const { status, ms } = await firstByteOf(
          `http://127.0.0.1:${address.port}/api/export.jsonl${filter}`,
        );
        say(`export.jsonl${filter}: ${status}, first byte ${ms.toFixed(0)} ms, ${loadAverage()}`);
      }
    } finally {
      await app.close();
    }
  } finally {
    await jobs?.stop();
    await db.end();
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
