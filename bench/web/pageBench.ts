// Page-render benchmark (a script, not a test):
//   node --import tsx bench/web/pageBench.ts [--orders 5000] [--rounds 60] [--warmup 5] [--keep]
// Starts embedded PostgreSQL and Meilisearch in a temporary DATA_DIR, loads synthetic orders (the search
// bench's generator), builds the search indexes, gives one public order 20 documents, and builds the
// archive in this process. Then, through app.inject (no network on either side, so the ratio is the page's
// own cost), it times (a) the search page for each query against GET /api/search for the same query,
// interleaved round by round, p50 of each and their ratio (issue #17's target: ≤ 1.5); (b) the public
// order page with 20 documents, p50 (target: ≤ 50 ms on 2 cores), beside the same order as JSON and its
// precedents as JSON (the page / JSON ratio is less sensitive to the shared machine's load), with how long
// its records, its precedents and rendering take, measured apart. It prints the load average too.
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../../server/app.ts';
import { appendMissingLeaves } from '../../server/commands/logAppender.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateDatabase } from '../../server/database/migrateDatabase.ts';
import { createPool } from '../../server/database/pool.ts';
import { seedAuthorities } from '../../server/database/seedAuthorities.ts';
import { createMeiliClient } from '../../server/indexing/meiliClient.ts';
import { rebuildSearchIndexes } from '../../server/indexing/searchIndexRebuilder.ts';
import { createLogger } from '../../server/logger.ts';
import { JobQueue } from '../../server/queue/jobQueue.ts';
import { startBackingServices } from '../../server/runtime/backingServices.ts';
import { BlobStore } from '../../server/storage/blobStore.ts';
import { listOrderDocumentPages } from '../../server/records/documentRecords.ts';
import { readLogPlaces } from '../../server/records/orderCitation.ts';
import { findOrderRow, readOrderStory } from '../../server/records/orderRecords.ts';
import { findPrecedents } from '../../server/search/precedentFinder.ts';
import { messagesFor } from '../../server/web/i18n/messages.ts';
import { renderOrderPage } from '../../server/web/pages/orderPage.tsx';
import { loadSyntheticArchive } from '../search/syntheticArchive.ts';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});
const ORDERS = Number(args.orders);
const ROUNDS = Number(args.rounds);
const WARMUP = Number(args.warmup);
const DOCUMENTS = 20;

const say = (line: string) => process.stdout.write(`${line}\n`);
const ms = (value: number) => `${value.toFixed(1)} ms`;
const loadAverage = () =>
  os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(', ');
const p50 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-page-bench-'));
  await chmod(dataDir, 0o755);
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    MEILI_INDEX_PREFIX: 'bench_',
    RUN_WORKER: 'false',
    RATE_LIMIT_ANONYMOUS_READS_PER_MINUTE: '100000000',
    RATE_LIMIT_ANONYMOUS_READS_PER_HOUR: '100000000',
    RATE_LIMIT_ANONYMOUS_SEARCHES_PER_MINUTE: '100000000',
  });
  const logger = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  say(
    `page benchmark: ${ORDERS.toLocaleString('en-US')} orders, ${os.cpus().length} CPUs, data in ${dataDir}`,
  );
  say(`load average (1, 5, 15 min) at the start: ${loadAverage()}`);
  const services = await startBackingServices(
    { ...config, DATABASE_URL: undefined, MEILI_URL: undefined },
    logger,
  );
  const db = createPool(services.databaseUrl, 8);
  let jobs: JobQueue | undefined;
  try {
    await migrateDatabase(services.databaseUrl);
    await seedAuthorities(db);
    await loadSyntheticArchive(db, { orders: ORDERS, maxPages: 3, wordsPerPage: 150 });
    const orderId = await giveDocuments(db, DOCUMENTS);
    const meili = createMeiliClient(services.meiliUrl, services.meiliKey);
    await rebuildSearchIndexes({ db, meili, config });
    // The synthetic documents were written without transparency-log leaves; the app's first tick (an
    // onReady hook, 10 s at most) would append them all, which a loaded machine does not finish in time.
    await appendMissingLeaves(db);
    jobs = await JobQueue.start(services.databaseUrl, logger, { longestExtractionMs: 60_000 });
    const app = await buildApp({
      config,
      logger,
      db,
      meili,
      blobs: new BlobStore(path.join(dataDir, 'blobs')),
      jobs,
    });

    const timed = async (url: string) => {
      const started = process.hrtime.bigint();
      const response = await app.inject({ method: 'GET', url });
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (response.statusCode !== 200)
        throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
      return elapsed;
    };

    const queries: Record<string, string>[] = [
      { q: 'информация' },
      { q: 'Роскомнадзр' },
      { q: 'удалить', country: 'RU', status: 'refused' },
      { country: 'KZ', demanded_action: 'block' },
      {},
    ];
    say('\n(a) search page / JSON search, same query, same process (p50):');
    const ratios: number[] = [];
    for (const query of queries) {
      const search = new URLSearchParams(query).toString();
      const page = `/?${search}`;
      const json = `/api/search?${search}`;
      const pageTimes: number[] = [];
      const jsonTimes: number[] = [];
      for (let round = 0; round < WARMUP + ROUNDS; round++) {
        const pageMs = await timed(page);
        const jsonMs = await timed(json);
        if (round < WARMUP) continue;
        pageTimes.push(pageMs);
        jsonTimes.push(jsonMs);
      }
      const ratio = p50(pageTimes) / p50(jsonTimes);
      ratios.push(ratio);
      say(
        `  ${(search || '(browse newest)').padEnd(44)} page ${ms(p50(pageTimes))}, JSON ${ms(p50(jsonTimes))}, ratio ${ratio.toFixed(2)}`,
      );
    }
    say(`  worst ratio ${Math.max(...ratios).toFixed(2)} (target ≤ 1.5)`);

    say(`\n(b) a public order page with ${DOCUMENTS} documents (p50):`);
    const orderPage = `/orders/${orderId}`;
    const orderJson = `/api/orders/${orderId}`;
    const precedentsJson = `/api/orders/${orderId}/precedents`;
    const pageTimes: number[] = [];
    const storyTimes: number[] = [];
    const precedentTimes: number[] = [];
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const pageMs = await timed(orderPage);
      const storyMs = await timed(orderJson);
      const precedentsMs = await timed(precedentsJson);
      if (round < WARMUP) continue;
      pageTimes.push(pageMs);
      storyTimes.push(storyMs);
      precedentTimes.push(precedentsMs);
    }
    const bytes = (await app.inject({ method: 'GET', url: orderPage })).body.length;
    say(`  page ${ms(p50(pageTimes))} (target ≤ 50 ms), ${(bytes / 1024).toFixed(0)} KiB of HTML`);
    say(`  the same order as JSON (GET /api/orders/:id) ${ms(p50(storyTimes))}`);
    say(
      `  page / JSON order ${(p50(pageTimes) / p50(storyTimes)).toFixed(2)} (less sensitive to load than either)`,
    );
    say(`  its precedents as JSON (GET /api/orders/:id/precedents) ${ms(p50(precedentTimes))}`);
    say('  where the time goes (p50 of each part, alone):');
    const anonymous = { kind: 'anonymous' } as const;
    const row = (await findOrderRow(db, orderId))!;
    const story = await readOrderStory(db, row);
    const pages = await listOrderDocumentPages(db, row.internal_id, { redacted: true });
    const precedents = (await findPrecedents({ db, meili, config }, anonymous, orderId, 10)) ?? null;
    const documentIds = story.documents.map((document) => document.id);
    const log = await readLogPlaces(db, documentIds);
    const parts: Record<string, () => Promise<unknown> | unknown> = {
      'the order row': () => findOrderRow(db, orderId),
      'its story': () => readOrderStory(db, row),
      "its documents' pages": () => listOrderDocumentPages(db, row.internal_id, { redacted: true }),
      'its places in the transparency log': () => readLogPlaces(db, documentIds),
      'precedents (Meilisearch, two requests)': () =>
        findPrecedents({ db, meili, config }, anonymous, orderId, 10),
      'rendering the HTML': () =>
        renderOrderPage(
          {
            locale: 'en',
            messages: messagesFor('en'),
            caller: anonymous,
            signedInName: null,
            csrfToken: null,
            path: orderPage,
          },
          {
            story,
            pages,
            downloads: new Map(),
            precedents,
            permalink: `http://localhost${orderPage}`,
            today: '2026-01-01',
            archiveName: 'Takedown Archive',
            log,
          },
        ),
    };
    // Round by round, each part once, so a burst of load on the shared machine falls on all parts alike.
    const times = new Map(Object.keys(parts).map((name) => [name, [] as number[]]));
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (const [name, part] of Object.entries(parts)) {
        const started = process.hrtime.bigint();
        await part();
        if (round >= WARMUP) times.get(name)!.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    for (const [name, samples] of times) say(`    ${name.padEnd(36)} ${ms(p50(samples))}`);
    say(`\nload average (1, 5, 15 min) at the end: ${loadAverage()}`);
    await app.close();
  } finally {
    await jobs?.stop();
    await db.end();
    await services.stop();
    if (!args.keep) await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Gives the first public order `count` documents in all (copies of its first one, each with its own
 * sha256 and pages), as an outlet that filed an order with its response and evidence would have. Returns
 * the order's public id.
 */
async function giveDocuments(db: ReturnType<typeof createPool>, count: number): Promise<string> {
  const { rows } = await db.query<{ id: string; public_id: string; document_id: string }>(
    `SELECT o.id, o.public_id, min(d.id) AS document_id FROM orders o JOIN documents d ON d.order_id = o.id
      WHERE o.visibility = 'public' GROUP BY o.id ORDER BY o.id LIMIT 1`,
  );
  const order = rows[0]!;
  for (let i = 1; i < count; i++) {
    const sha = createHash('sha256').update(`page-bench-${order.id}-${i}`).digest('hex');
    await db.query('INSERT INTO blobs (sha256, size) VALUES ($1, 1000) ON CONFLICT DO NOTHING', [sha]);
    const { rows: copied } = await db.query<{ id: string }>(
      `INSERT INTO documents (order_id, sha256, size, mime, original_filename, role, status, ocr_languages,
                              page_count, language, extracted_at)
       SELECT order_id, $2, size, mime, $3, role, status, ocr_languages, page_count, language, extracted_at
         FROM documents WHERE id = $1 RETURNING id`,
      [order.document_id, sha, `attachment-${i}.pdf`],
    );
    await db.query(
      `INSERT INTO document_pages (document_id, number, text, method)
       SELECT $2, number, text, method FROM document_pages WHERE document_id = $1`,
      [order.document_id, copied[0]!.id],
    );
  }
  return order.public_id;
}

await main();
