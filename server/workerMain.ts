// `npm run worker`: an extraction worker in its own process. Run any number, on any machine that
// reaches the archive's PostgreSQL (DATABASE_URL), sharing its DATA_DIR blob store (or volume).
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { createPool, databaseTimeoutsOf } from './database/pool.ts';
import { startExtractionWorker } from './jobs/extractionWorker.ts';
import { startRenditionWorker } from './jobs/renditionWorker.ts';
import { createLogger } from './logger.ts';
import { JobQueue } from './queue/jobQueue.ts';
import { checkDataDirPermissions } from './runtime/dataDirPermissions.ts';
import { reachableDatabaseUrl } from './runtime/runningArchive.ts';
import { BlobStore } from './storage/blobStore.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const logger = createLogger(config);
  const databaseUrl = await reachableDatabaseUrl(config);
  if (!databaseUrl) {
    logger.fatal(
      `No database to work for: DATABASE_URL is not set and no archive is running on DATA_DIR ${config.dataDir}. ` +
        'Start the archive first (npm start), or set DATABASE_URL (and DATA_DIR to the shared blob store).',
    );
    process.exit(1);
  }
  await checkDataDirPermissions(config.dataDir, logger);
  const pool = createPool(
    databaseUrl,
    4,
    (error) => logger.warn({ error: error.message }, 'idle PostgreSQL connection failed'),
    databaseTimeoutsOf(config),
  );
  const jobs = await JobQueue.start(databaseUrl, logger, {
    longestExtractionMs: config.EXTRACT_MAX_TIMEOUT_MS,
  });
  const blobs = new BlobStore(path.join(config.dataDir, 'blobs'));
  const worker = await startExtractionWorker({ db: pool, blobs, jobs, config, logger });
  await startRenditionWorker({ db: pool, blobs, jobs, config, logger });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      logger.info({ signal }, 'worker stopping after the current job');
      void jobs
        .stop()
        .then(() => worker.stop())
        .then(() => pool.end())
        .then(() => process.exit(0));
    });
  }
}

void main();
