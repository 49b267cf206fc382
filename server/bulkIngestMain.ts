// `npm run ingest -- PATH [--order TD-…] [--manifest FILE.csv] [--role ROLE] [--ocr-languages L]`:
// bulk import of a folder or a zip, with a progress bar; safe to interrupt and run again.
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { operatorCaller, type Caller } from './auth/caller.ts';
import { bulkIngest } from './bulk/bulkIngester.ts';
import { ManifestError, readImportManifest } from './bulk/importManifest.ts';
import { ConfigError, loadConfig } from './config.ts';
import { migrateDatabase } from './database/migrateDatabase.ts';
import { createPool } from './database/pool.ts';
import { createLogger } from './logger.ts';
import { JobQueue } from './queue/jobQueue.ts';
import { openArchiveDatabase } from './runtime/runningArchive.ts';
import { DOCUMENT_ROLES, type DocumentRole } from './schemas/documents.ts';
import { BlobStore } from './storage/blobStore.ts';

const USAGE = `Usage: npm run ingest -- PATH [--order TD-2026-00042 | --manifest FILE.csv] [--role order] [--ocr-languages kaz+rus+eng]
  PATH        a folder (read recursively) or a .zip
  --order     put every file into this order
  --manifest  CSV with columns path,order[,role,ocr_languages]: which file goes to which order
  (neither)   each new file becomes a private draft order of its own, as with POST /api/intake`;

class UsageError extends Error {}

async function run(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      order: { type: 'string' },
      manifest: { type: 'string' },
      role: { type: 'string', default: 'order' },
      'ocr-languages': { type: 'string' },
    },
  });
  const source = positionals[0];
  if (!source || positionals.length > 1) throw new UsageError('Give exactly one PATH');
  if (values.order && values.manifest) throw new UsageError('Give --order or --manifest, not both');
  if (!DOCUMENT_ROLES.includes(values.role as DocumentRole))
    throw new UsageError(`--role must be one of ${DOCUMENT_ROLES.join(', ')}`);
  const config = loadConfig();
  const logger = createLogger({ ...config, LOG_LEVEL: 'warn' });
  const manifest = values.manifest ? await readImportManifest(values.manifest) : undefined;

  const database = await openArchiveDatabase(config, logger);
  const databaseUrl = database.url;
  if (database.startedHere) {
    console.error(
      'The archive is not running: files are stored now and extracted when it starts (npm start).',
    );
  }
  await migrateDatabase(databaseUrl);
  const db = createPool(databaseUrl, 4);
  const jobs = await JobQueue.start(databaseUrl, logger, {
    longestExtractionMs: config.EXTRACT_MAX_TIMEOUT_MS,
  });
  const caller: Caller = operatorCaller('bulk-ingest');
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          format:
            '{bar} {value}/{total} files | {stored} stored, {skipped} skipped, {failed} failed | {current}',
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  try {
    const result = await bulkIngest(
      {
        db,
        jobs,
        blobs: new BlobStore(path.join(config.dataDir, 'blobs')),
        maxBytes: config.MAX_UPLOAD_BYTES,
      },
      caller,
      {
        source,
        ...(values.order ? { order: values.order } : {}),
        ...(manifest ? { manifest } : {}),
        role: values.role as DocumentRole,
        ocrLanguages: values['ocr-languages'] ?? config.OCR_LANGUAGES,
      },
      (progress) => {
        const payload = {
          stored: progress.stored,
          skipped: progress.skipped,
          failed: progress.failed.length,
          current: progress.current ?? '',
        };
        if (bar) {
          if (!started) bar.start(progress.total, 0, payload);
          started = true;
          bar.update(progress.processed, payload);
        } else if (progress.current) {
          console.error(`[${progress.processed + 1}/${progress.total}] ${progress.current}`);
        }
      },
    );
    bar?.stop();
    console.error(
      `${result.total} files: ${result.stored} stored and queued for extraction, ${result.skipped} skipped (already stored or not in the manifest), ${result.failed.length} failed.`,
    );
    for (const failure of result.failed) console.error(`  failed: ${failure.name}: ${failure.reason}`);
    if (result.stored) {
      console.error(
        'Their text is extracted by the worker now; GET /api/documents?status=failed lists the files it could not read, with the reason.',
      );
    }
    return result.failed.length ? 1 : 0;
  } finally {
    bar?.stop();
    await jobs.stop();
    await db.end();
    await database.stop();
  }
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof ManifestError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error((error as Error).message);
    process.exit(1);
  },
);
