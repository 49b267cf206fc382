// Ingest benchmark: the archive end to end (HTTP upload → extracted, through the queue, the sandbox and
// PostgreSQL) against the bare tools on the same files in the same run:
//   PDFs with a text layer: our documents/s vs bare pdf-parse in its own process, warm (target ratio ≥ 0.8),
//     on generated 5-page notices and on copies of the corpus's real court decision
//   scanned pages:     our OCR pages/min vs bare `tesseract` on the same pages (target ratio ≥ 0.9)
// Usage: node --import tsx bench/ingest/ingestBench.ts [--documents 60] [--pages 5] [--ocr-pages 4]
//          [--concurrency 1 (extraction jobs at once)] [--uploaders 4 (clients uploading at once)]
//          [--sets generated,corpus,ocr (which measurements to run)] [--rounds 3 (timed passes of each PDF set)]
//          [--profile DIR (writes this process's CPU profile of each timed PDF pass there, for Chrome DevTools)]
import { execFile, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateDatabase } from '../../server/database/migrateDatabase.ts';
import { createPool } from '../../server/database/pool.ts';
import { seedAuthorities } from '../../server/database/seedAuthorities.ts';
import { startExtractionWorker } from '../../server/jobs/extractionWorker.ts';
import { createLogger } from '../../server/logger.ts';
import { JobQueue } from '../../server/queue/jobQueue.ts';
import { startBackingServices } from '../../server/runtime/backingServices.ts';
import { createMeiliClient } from '../../server/indexing/meiliClient.ts';
import { startSearchOutboxRelay } from '../../server/indexing/searchOutboxRelay.ts';
import { BlobStore } from '../../server/storage/blobStore.ts';
import { bornDigitalPdf } from '../../tests/support/pdfFixtures.ts';
import { cpuPerDocument, cpuSecondsByKind, type CpuSeconds } from './processCpu.ts';
import {
  closeUploadConnections,
  multipartUpload,
  type UploadClientsMessage,
  type UploadJob,
} from './uploadClients.ts';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '60' },
    pages: { type: 'string', default: '5' },
    'ocr-pages': { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '1' },
    uploaders: { type: 'string', default: '4' },
    sets: { type: 'string', default: 'generated,corpus,ocr' },
    profile: { type: 'string' },
    rounds: { type: 'string', default: '3' },
  },
});
const DOCUMENTS = Number(values.documents);
const PAGES = Number(values.pages);
const OCR_PAGES = Number(values['ocr-pages']);
const CONCURRENCY = Number(values.concurrency);
/** Clients uploading at the same time (outlets upload independently of each other). */
const UPLOADERS = Number(values.uploaders);
const SETS = new Set(values.sets.split(','));
/** Timed passes of each PDF set; the median ratio is reported. */
const ROUNDS = Number(values.rounds);
const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus');
const OCR_CORPUS = path.join(CORPUS, 'ocr-cyrillic');
/** A real scanned court decision whose OCR text layer reads well: a PDF the archive reads without OCR. */
const TEXT_LAYER_PDF = path.join(
  CORPUS,
  'gov-takedowns/Russia/2020/2020-04-16-roskomnadzor/2020-04-16-roskomnadzor.pdf',
);
/** Profiles this process (the server, the worker's side of the sandboxes and the relay). */
async function startProfile(): Promise<(name: string) => Promise<void>> {
  if (!values.profile) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (name) => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const file = path.resolve(values.profile!, `${name}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    console.log(`  CPU profile of this process: ${file}`);
  };
}

const TOKEN = 'bench-admin-token-0123456789abcdefghijklmnop';

function noticeText(document: number, page: number): string {
  const lines = [`NOTICE ${document}-${page}: demand to restrict access to information`];
  for (let i = 0; i < 30; i++) {
    lines.push(
      `Item ${i + 1}. The resource https://example-${document}.kz/news/${page}/${i} must be removed within 24 hours.`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-bench-'));
  await chmod(dataDir, 0o755);
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN: TOKEN,
    EXTRACT_CONCURRENCY: String(CONCURRENCY),
  });
  const logger = createLogger(config);
  // Made before anything starts, so a profile that cannot be written fails the run at once.
  if (values.profile) await mkdir(values.profile, { recursive: true });
  const services = await startBackingServices(config, logger);
  // What the run started, stopped in reverse order however it ends: after a failure too, so the process
  // exits instead of retrying against a database that is gone.
  const running: (() => Promise<unknown>)[] = [];
  try {
    await migrateDatabase(services.databaseUrl);
    const db = createPool(services.databaseUrl);
    running.push(() => db.end());
    await seedAuthorities(db);
    const jobs = await JobQueue.start(services.databaseUrl, logger, {
      longestExtractionMs: config.EXTRACT_MAX_TIMEOUT_MS,
    });
    running.push(() => jobs.stop());
    const blobs = new BlobStore(path.join(dataDir, 'blobs'));
    const worker = await startExtractionWorker({ db, blobs, jobs, config, logger }, 0.5);
    running.push(() => worker.stop());
    // A running archive's sandbox processes have started and warmed up long before a burst of uploads.
    await worker.ready();
    const meili = createMeiliClient(services.meiliUrl, services.meiliKey);
    const app = await buildApp({ config, logger, db, meili, blobs, jobs });
    // As `npm start` runs it: keeps Meilisearch in step with PostgreSQL through the outbox.
    running.push(() => app.close());
    const relay = startSearchOutboxRelay({ db, meili, config, logger });
    running.push(() => relay.stop());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const newOrder = async () => {
      const response = await fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ authority: 'ru-roskomnadzor' }),
      });
      return ((await response.json()) as { id: string }).id;
    };
    const waitForAll = async (ids: number[]) => {
      for (;;) {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM documents WHERE id = ANY($1) AND status IN ('pending', 'processing')`,
          [ids],
        );
        if (rows[0]!.n === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    /** Until the relay has sent every order's documents and Meilisearch has applied them. */
    const waitUntilSearchable = async () => {
      for (;;) {
        const { rows } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM search_outbox WHERE processed_at IS NULL',
        );
        if (rows[0]!.n === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const searchHits = async (query: string) => {
      const response = await fetch(`${base}/api/search?q=${encodeURIComponent(query)}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      return ((await response.json()) as { total: number }).total;
    };

    /** Bare pdf-parse on the same files, in a process of its own: seconds for all of them. */
    const barePdfParse = async (files: string[]) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', path.join(import.meta.dirname, 'barePdfParse.ts'), ...files],
        { maxBuffer: 1024 * 1024 },
      );
      return (JSON.parse(stdout) as { seconds: number }).seconds;
    };
    /**
     * Starts UPLOADERS clients in a process of their own, each file to its own order (filed beforehand);
     * `go()` starts the uploads once the clients have read the files, and settles with the documents' ids;
     * `end()` ends the process (after the CPU readings, which miss a process that has exited).
     */
    const prepareUploads = async (files: string[], orders: string[]) => {
      const child = fork(path.join(import.meta.dirname, 'uploadClients.ts'), ['--upload-clients'], {
        execArgv: ['--import', 'tsx'],
      });
      running.push(async () => child.kill());
      const next = () =>
        new Promise<UploadClientsMessage>((resolve, reject) => {
          child.once('message', (message: UploadClientsMessage) => resolve(message));
          child.once('exit', (code) => reject(new Error(`the upload clients exited (${code})`)));
        });
      const job: UploadJob = {
        token: TOKEN,
        clients: UPLOADERS,
        uploads: files.map((file, index) => ({
          url: `${base}/api/orders/${orders[index]}/documents`,
          file,
          field: 'order',
          filename: `notice-${index}.pdf`,
        })),
      };
      child.send(job);
      await next(); // ready
      return {
        go: async () => {
          child.send({ go: true });
          const answer = await next();
          if ('error' in answer) throw new Error(answer.error);
          if (!('ids' in answer)) throw new Error('the upload clients answered out of turn');
          return answer.ids;
        },
        end: () => child.kill(),
      };
    };
    /** Writes PDFs to files, for bare pdf-parse and the upload clients to read. */
    const writePdfs = async (pdfs: Uint8Array[]) => {
      const folder = await mkdtemp(path.join(dataDir, 'pdfs-'));
      return Promise.all(
        pdfs.map(async (pdf, index) => {
          const file = path.join(folder, `${index}.pdf`);
          await writeFile(file, pdf);
          return file;
        }),
      );
    };
    /** One timed pass of the archive over `pdfs` (each to its own order, filed beforehand, not timed). */
    const archivePass = async (files: string[]) => {
      const orders = await Promise.all(files.map(() => newOrder()));
      const uploads = await prepareUploads(files, orders);
      await waitUntilSearchable();
      const cpuBefore = cpuSecondsByKind();
      const started = performance.now();
      const ids = await uploads.go();
      const uploadSeconds = (performance.now() - started) / 1000;
      await waitForAll(ids);
      const extractedSeconds = (performance.now() - started) / 1000;
      await waitUntilSearchable();
      const searchableSeconds = (performance.now() - started) / 1000;
      const cpuAfter = cpuSecondsByKind();
      uploads.end();
      const { rows: statuses } = await db.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM documents WHERE id = ANY($1) GROUP BY status`,
        [ids],
      );
      return { uploadSeconds, extractedSeconds, searchableSeconds, cpuBefore, cpuAfter, statuses };
    };
    // Of an even number of rounds, the lower of the middle two.
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
    /**
     * `makePdf(i)` makes distinct PDFs: ROUNDS sets of DOCUMENTS are timed, and one more set first warms the
     * archive up. Bare pdf-parse reads each round's files before and after the archive does; each round's
     * ratio is against the faster of those two passes (so a slow moment on the machine cannot flatter the
     * archive), and the median round is the result.
     */
    const pdfThroughput = async (
      name: string,
      label: string,
      makePdf: (index: number) => Promise<Uint8Array> | Uint8Array,
      probe?: string,
    ) => {
      console.log(
        `${label}: ${ROUNDS} rounds of ${DOCUMENTS} documents, extraction concurrency ${CONCURRENCY}`,
      );
      const batch = (set: number) =>
        Promise.all(Array.from({ length: DOCUMENTS }, (_, index) => makePdf(set * DOCUMENTS + index)));
      // A running archive has read many such files before: as bare pdf-parse reads every file once before
      // its timed pass, the archive first takes as many other copies (V8 compiles the paths they use).
      const warmUpFiles = await writePdfs(await batch(ROUNDS));
      const warmUp = await prepareUploads(warmUpFiles, await Promise.all(warmUpFiles.map(() => newOrder())));
      await waitForAll(await warmUp.go());
      warmUp.end();

      const rounds: { extracted: number; searchable: number }[] = [];
      const cpu: { before: CpuSeconds | undefined; after: CpuSeconds | undefined }[] = [];
      const stopProfile = await startProfile();
      for (let round = 0; round < ROUNDS; round++) {
        const pdfs = await batch(round);
        const files = await writePdfs(pdfs);
        const bareBefore = await barePdfParse(files);
        const pass = await archivePass(files);
        const bareAfter = await barePdfParse(files);
        cpu.push({ before: pass.cpuBefore, after: pass.cpuAfter });
        const bareRate = pdfs.length / Math.min(bareBefore, bareAfter);
        const rate = (seconds: number) => pdfs.length / seconds;
        rounds.push({
          extracted: rate(pass.extractedSeconds) / bareRate,
          searchable: rate(pass.searchableSeconds) / bareRate,
        });
        console.log(
          `  round ${round + 1}: bare pdf-parse ${bareRate.toFixed(1)} documents/s (best of ${rate(bareBefore).toFixed(1)} before and ${rate(bareAfter).toFixed(1)} after); ` +
            `archive → extracted ${rate(pass.extractedSeconds).toFixed(1)} (${rounds.at(-1)!.extracted.toFixed(2)}), ` +
            `→ searchable ${rate(pass.searchableSeconds).toFixed(1)} (${rounds.at(-1)!.searchable.toFixed(2)}), ` +
            `uploads alone ${rate(pass.uploadSeconds).toFixed(1)} (${UPLOADERS} clients)  ${JSON.stringify(pass.statuses)}`,
        );
        console.log(`    ${cpuPerDocument([cpu.at(-1)!], DOCUMENTS)}`);
      }
      await stopProfile(name);
      const ratios = (key: 'extracted' | 'searchable') =>
        rounds.map((round) => round[key].toFixed(2)).join(', ');
      console.log(
        `  archive / bare, upload → extracted:  median ${median(rounds.map((round) => round.extracted)).toFixed(2)} (rounds: ${ratios('extracted')}) (target ≥ 0.8)`,
      );
      console.log(
        `  archive / bare, upload → searchable: median ${median(rounds.map((round) => round.searchable)).toFixed(2)} (rounds: ${ratios('searchable')}) (target ≥ 0.8)`,
      );
      console.log(`  ${cpuPerDocument(cpu, DOCUMENTS)} (the upload clients run in a process of their own)`);
      if (probe) console.log(`  search for ${JSON.stringify(probe)}: ${await searchHits(probe)} hit(s)`);
    };

    if (SETS.has('generated'))
      await pdfThroughput(
        'generated',
        `Generated born-digital notices (${PAGES} pages of Helvetica text each)`,
        (d) => bornDigitalPdf(Array.from({ length: PAGES }, (_, p) => noticeText(d, p))),
        // A word only one generated notice contains (of the last round's).
        `example-${(ROUNDS - 1) * DOCUMENTS + DOCUMENTS - 1}.kz`,
      );
    if (!SETS.has('corpus')) {
      // not asked for
    } else if (!existsSync(TEXT_LAYER_PDF)) {
      console.log(`Corpus PDF: skipped, ${TEXT_LAYER_PDF} is absent`);
    } else {
      // The same real file many times over: a PDF comment after %%EOF gives each copy its own bytes
      // (so none is a duplicate), and changes nothing a reader sees.
      const original = await readFile(TEXT_LAYER_PDF);
      await pdfThroughput(
        'corpus',
        `The corpus's court decision with a text layer (${path.basename(TEXT_LAYER_PDF)}, 4 pages, 417 KB), distinct copies`,
        (copy) => Buffer.concat([original, Buffer.from(`\n%takedown-bench copy ${copy}\n`)]),
      );
    }

    if (!SETS.has('ocr')) {
      // not asked for
    } else if (!existsSync(OCR_CORPUS)) {
      console.log(`OCR: skipped, ${OCR_CORPUS} is absent`);
    } else {
      const pngs = (await readdir(OCR_CORPUS))
        .filter((name) => name.endsWith('.png'))
        .sort()
        .slice(0, OCR_PAGES);
      console.log(`Scanned pages: ${pngs.length} PNGs from the corpus, languages ${config.OCR_LANGUAGES}`);
      let started = performance.now();
      for (const png of pngs) {
        await promisify(execFile)(
          'tesseract',
          [path.join(OCR_CORPUS, png), '-', '-l', config.OCR_LANGUAGES],
          {
            env: { ...process.env, OMP_THREAD_LIMIT: '1' },
            maxBuffer: 16 * 1024 * 1024,
          },
        );
      }
      const bareOcr = pngs.length / ((performance.now() - started) / 60_000);
      const ocrOrder = await newOrder();
      started = performance.now();
      const ocrIds: number[] = [];
      for (const png of pngs) {
        ocrIds.push(
          await multipartUpload(
            `${base}/api/orders/${ocrOrder}/documents`,
            TOKEN,
            'evidence',
            png,
            await readFile(path.join(OCR_CORPUS, png)),
          ),
        );
      }
      await waitForAll(ocrIds);
      const oursOcr = pngs.length / ((performance.now() - started) / 60_000);
      console.log(`  bare tesseract (sequential):          ${bareOcr.toFixed(1)} pages/min`);
      console.log(`  archive, upload → extracted (HTTP):   ${oursOcr.toFixed(1)} pages/min`);
      console.log(`  ratio archive / bare: ${(oursOcr / bareOcr).toFixed(2)} (target ≥ 0.9)`);
    }
  } catch (error) {
    console.error('benchmark failed:', error);
    process.exitCode = 1;
  } finally {
    closeUploadConnections();
    for (const stop of running.reverse()) await stop().catch(() => undefined);
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
