// Search benchmark (a script, not a test):
//   node --import tsx bench/search/searchBench.ts [--orders 100000] [--max-pages 3] [--words-per-page 150]
//        [--rounds 30] [--warmup 3] [--keep]
// Starts embedded PostgreSQL and Meilisearch in a temporary DATA_DIR, loads synthetic orders (and their
// pages) into PostgreSQL, builds the search indexes with the same code as `npm run reindex`, starts the
// archive (server/main.ts, its own process, joined to those servers), then times GET /api/search over
// HTTP against the very requests the API sent to Meilisearch for each query, replayed directly over one
// keep-alive connection, interleaved in the same run. The archive runs with its rate limits and security
// headers on (limits raised so the bench is never refused), so the ratio includes what they cost.
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch } from 'meilisearch';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateDatabase } from '../../server/database/migrateDatabase.ts';
import { createPool } from '../../server/database/pool.ts';
import { seedAuthorities } from '../../server/database/seedAuthorities.ts';
import { createLogger } from '../../server/logger.ts';
import { JobQueue } from '../../server/queue/jobQueue.ts';
import { startBackingServices } from '../../server/runtime/backingServices.ts';
import { createMeiliClient } from '../../server/indexing/meiliClient.ts';
import { rebuildSearchIndexes } from '../../server/indexing/searchIndexRebuilder.ts';
import { BlobStore } from '../../server/storage/blobStore.ts';
import { startArchiveServer } from '../support/archiveServer.ts';
import { loadSyntheticArchive } from './syntheticArchive.ts';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '100000' },
    'max-pages': { type: 'string', default: '3' },
    'words-per-page': { type: 'string', default: '150' },
    rounds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const ORDERS = Number(args.orders);
const ROUNDS = Number(args.rounds);
const WARMUP = Number(args.warmup);

const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface MeiliRequest {
  method: string;
  path: string;
  body: string | undefined;
}

/** A client that records every request the API makes, then sends it like the production client. */
function recordingClient(host: string, apiKey: string, log: MeiliRequest[]): Meilisearch {
  return new Meilisearch({
    host,
    apiKey,
    requestInit: { headers: { 'Accept-Encoding': 'identity' } },
    httpClient: async (input, init) => {
      const url = new URL(String(input));
      log.push({
        method: init?.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        body: init?.body as string,
      });
      const response = await fetch(input, init);
      const text = await response.text();
      return text ? JSON.parse(text) : undefined;
    },
  });
}

/** One HTTP request on a keep-alive agent; resolves when the whole body is read and parsed. */
function timedRequest(
  agent: http.Agent,
  base: URL,
  request: MeiliRequest,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.path,
        headers: { ...headers, ...(request.body ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          if ((res.statusCode ?? 500) >= 300)
            return reject(new Error(`${res.statusCode} ${request.path}: ${body}`));
          JSON.parse(body);
          resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-search-bench-'));
  await chmod(dataDir, 0o755);
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    MEILI_INDEX_PREFIX: 'bench_',
    RUN_WORKER: 'false',
    // To compare Meilisearch's indexing memory settings on the same load.
    MEILI_INDEXING_MEMORY_MB: process.env.MEILI_INDEXING_MEMORY_MB,
  });
  const logger = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  say(
    `search benchmark: ${ORDERS.toLocaleString('en-US')} orders, ${os.cpus().length} CPUs, data in ${dataDir}`,
  );
  const services = await startBackingServices(
    { ...config, DATABASE_URL: undefined, MEILI_URL: undefined },
    logger,
  );
  const db = createPool(services.databaseUrl, 8);
  let jobs: JobQueue | undefined;
  let server: ChildProcess | undefined;
  try {
    await migrateDatabase(services.databaseUrl);
    await seedAuthorities(db);

    const loadStarted = Date.now();
    const loaded = await loadSyntheticArchive(db, {
      orders: ORDERS,
      maxPages: Number(args['max-pages']),
      wordsPerPage: Number(args['words-per-page']),
      onProgress: (count) => {
        if (count % 10_000 === 0 || count === ORDERS) say(`  loaded ${count.toLocaleString('en-US')} orders`);
      },
    });
    const loadMs = Date.now() - loadStarted;
    say(`loading into PostgreSQL: ${seconds(loadMs)} (${loaded.pages.toLocaleString('en-US')} pages)`);

    const meili = createMeiliClient(services.meiliUrl, services.meiliKey);
    let lastLine = 0;
    const rebuilt = await rebuildSearchIndexes(
      { db, meili, config },
      {
        onProgress: (progress) => {
          if (Date.now() - lastLine < 15_000 && progress.stage === 'indexing') return;
          lastLine = Date.now();
          say(
            `  ${progress.stage}: ${progress.orders}/${progress.totalOrders} orders, ${seconds(progress.elapsedMs)}`,
          );
        },
      },
    );
    say(
      `indexing (reindex: settings, ${rebuilt.orders} orders + ${rebuilt.pages} pages sent, Meilisearch done, ` +
        `swap): ${seconds(rebuilt.elapsedMs)}`,
    );

    // The archive as `npm start` runs it, in a process of its own, joined to the benchmark's servers.
    const archive = await startArchiveServer({
      dataDir,
      services,
      env: {
        MEILI_INDEX_PREFIX: config.MEILI_INDEX_PREFIX,
        // Rate limits stay on (each search is counted in PostgreSQL, as in production), set high enough
        // that the bench's own searches from one address are never refused.
        RATE_LIMIT_ANONYMOUS_SEARCHES_PER_MINUTE: '1000000',
        RATE_LIMIT_ANONYMOUS_READS_PER_MINUTE: '1000000',
        RATE_LIMIT_ANONYMOUS_READS_PER_HOUR: '1000000',
      },
    });
    server = archive.process;
    const apiBase = archive.base;
    jobs = await JobQueue.start(services.databaseUrl, logger, { longestExtractionMs: 60_000 });
    const blobs = new BlobStore(path.join(dataDir, 'blobs'));
    const meiliBase = new URL(services.meiliUrl);

    const [rare, rare2] = loaded.rareWords;
    const queries: { name: string; query: Record<string, string> }[] = [
      { name: 'common word', query: { q: 'информация' } },
      { name: 'two common words', query: { q: 'ограничение доступа' } },
      { name: 'rare word', query: { q: rare! } },
      { name: 'authority typo', query: { q: 'Роскомнадзр' } },
      { name: 'authority alias', query: { q: 'РКН' } },
      { name: 'Kazakh typed as Russian', query: { q: 'Казакстан' } },
      { name: 'words + filters', query: { q: 'удалить', country: 'RU', status: 'refused' } },
      { name: 'filters only', query: { country: 'KZ', demanded_action: 'block' } },
      { name: 'legal basis, by date', query: { legal_basis: 'RU/149-FZ/15.3', sort: 'issued' } },
      { name: 'pasted URL', query: { q: loaded.sampleUrls[0]! } },
      { name: 'whole site', query: { q: 'site7.kz' } },
      { name: 'browse newest', query: {} },
      { name: 'any of words', query: { q: `${rare2} информация`, match: 'any' } },
    ];

    // What the API sends to Meilisearch for each query, captured through an identical app.
    const captured: MeiliRequest[] = [];
    const captureApp = await buildApp({
      config,
      logger,
      db,
      meili: recordingClient(services.meiliUrl, services.meiliKey, captured),
      blobs,
      jobs,
    });
    const plans = [];
    for (const { name, query } of queries) {
      captured.length = 0;
      const url = `/api/search?${new URLSearchParams(query)}`;
      const response = await captureApp.inject({ method: 'GET', url });
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      plans.push({ name, url, meiliRequests: [...captured], total: response.json().total as number });
    }
    await captureApp.close();

    const apiAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const meiliAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const meiliHeaders = { authorization: `Bearer ${services.meiliKey}` };
    const samples = new Map<string, { api: number[]; direct: number[] }>(
      plans.map((p) => [p.name, { api: [], direct: [] }]),
    );
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (const plan of plans) {
        const api = () =>
          timedRequest(apiAgent, apiBase, { method: 'GET', path: plan.url, body: undefined }, {});
        const direct = async () => {
          let total = 0;
          for (const request of plan.meiliRequests)
            total += await timedRequest(meiliAgent, meiliBase, request, meiliHeaders);
          return total;
        };
        // Alternate which goes first, so neither always meets a warmer cache.
        const [apiMs, directMs] =
          round % 2 ? [await api(), await direct()] : await direct().then(async (d) => [await api(), d]);
        if (round >= WARMUP) {
          samples.get(plan.name)!.api.push(apiMs!);
          samples.get(plan.name)!.direct.push(directMs!);
        }
      }
    }
    apiAgent.destroy();
    meiliAgent.destroy();

    say('');
    say(`per query (${ROUNDS} rounds; direct = the same Meilisearch requests the API made, sequentially):`);
    say('query                     hits    Meili reqs  API p50   direct p50  ratio');
    for (const plan of plans) {
      const { api, direct } = samples.get(plan.name)!;
      const a = percentile(
        [...api].sort((x, y) => x - y),
        50,
      );
      const d = percentile(
        [...direct].sort((x, y) => x - y),
        50,
      );
      say(
        `${plan.name.padEnd(25)} ${String(plan.total).padStart(7)} ${String(plan.meiliRequests.length).padStart(6)}` +
          `      ${a.toFixed(2).padStart(7)} ms ${d.toFixed(2).padStart(7)} ms  ${(a / d).toFixed(2)}`,
      );
    }
    const all = { api: [] as number[], direct: [] as number[] };
    for (const { api, direct } of samples.values()) {
      all.api.push(...api);
      all.direct.push(...direct);
    }
    all.api.sort((x, y) => x - y);
    all.direct.sort((x, y) => x - y);
    say('');
    say(`all queries (${all.api.length} samples each):`);
    for (const p of [50, 95, 99]) {
      const a = percentile(all.api, p);
      const d = percentile(all.direct, p);
      say(`  p${p}: API ${a.toFixed(2)} ms, direct ${d.toFixed(2)} ms, ratio ${(a / d).toFixed(2)}`);
    }
    say(`loading: ${seconds(loadMs)}; indexing: ${seconds(rebuilt.elapsedMs)}`);
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await jobs?.stop();
    await db.end();
    await services.stop();
    if (!args.keep) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
