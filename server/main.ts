// `npm start`: starts (or connects to) PostgreSQL and Meilisearch, migrates, serves the archive,
// and on SIGINT/SIGTERM drains requests before stopping the servers it started.
import path from 'node:path';
import type pg from 'pg';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { migrateDatabase } from './database/migrateDatabase.ts';
import { createPool, databaseTimeoutsOf } from './database/pool.ts';
import { seedAuthorities } from './database/seedAuthorities.ts';
import { createLogger } from './logger.ts';
import { startBackingServices, type BackingServices } from './runtime/backingServices.ts';
import { checkDataDirPermissions } from './runtime/dataDirPermissions.ts';
import { MeilisearchUnavailableError } from './runtime/embeddedMeilisearch.ts';
import { startExtractionWorker, type ExtractionWorker } from './jobs/extractionWorker.ts';
import { startRenditionWorker } from './jobs/renditionWorker.ts';
import { JobQueue } from './queue/jobQueue.ts';
import { createMeiliClient } from './indexing/meiliClient.ts';
import { startSearchOutboxRelay, type SearchOutboxRelay } from './indexing/searchOutboxRelay.ts';
import { checkLogIntegrity } from './records/logIntegrityCheck.ts';
import { BlobStore } from './storage/blobStore.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  let services: BackingServices | undefined;
  let shuttingDown = false;
  const shutdown = async (reason: string, code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ reason }, 'shutting down');
    // Draining waits for open requests; a client stalled mid-body (or a request stuck on a frozen
    // PostgreSQL) would hold it, so whatever is still open after the grace is cut off.
    const grace = setTimeout(() => {
      logger.warn(
        { graceMs: config.SHUTDOWN_GRACE_MS },
        'closing the connections still open after the grace',
      );
      app?.server.closeAllConnections();
    }, config.SHUTDOWN_GRACE_MS);
    await app
      ?.close()
      .catch((error: unknown) => logger.error({ err: error }, 'closing the HTTP server failed'));
    clearTimeout(grace);
    await relay?.stop();
    // Lets a running extraction finish (up to 30 s); an unfinished job is offered again later.
    await jobs
      ?.stop()
      .catch((error: unknown) => logger.error({ err: error }, 'stopping the job queue failed'));
    await worker?.stop();
    await pool?.end().catch(() => undefined);
    await services?.stop();
    logger.info('stopped');
    logger.flush();
    process.exit(code);
  };
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let pool: pg.Pool | undefined;
  let jobs: JobQueue | undefined;
  let worker: ExtractionWorker | undefined;
  let relay: SearchOutboxRelay | undefined;
  // A crash must still stop the servers we started, or the next start finds their data locked.
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    void shutdown('uncaught exception', 1);
  });
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: error }, 'unhandled promise rejection');
    void shutdown('unhandled promise rejection', 1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (shuttingDown) {
        logger.warn(`second ${signal}: exiting without waiting`);
        process.exit(1);
      }
      void shutdown(signal, 0);
    });
  }

  try {
    services = await startBackingServices(config, logger);
    await checkDataDirPermissions(config.dataDir, logger);
    await migrateDatabase(services.databaseUrl, logger);
    pool = createPool(
      services.databaseUrl,
      10,
      (error) => logger.warn({ error: error.message }, 'idle PostgreSQL connection failed'),
      databaseTimeoutsOf(config),
    );
    await seedAuthorities(pool);
    jobs = await JobQueue.start(services.databaseUrl, logger, {
      longestExtractionMs: config.EXTRACT_MAX_TIMEOUT_MS,
    });
    const blobs = new BlobStore(path.join(config.dataDir, 'blobs'));
    if (config.RUN_WORKER) {
      worker = await startExtractionWorker({ db: pool, blobs, jobs, config, logger });
      await startRenditionWorker({ db: pool, blobs, jobs, config, logger });
    }
    const meili = createMeiliClient(services.meiliUrl, services.meiliKey);
    app = await buildApp({ config, logger, db: pool, meili, blobs, jobs });
    // The relay first checks (and applies) the search indexes' settings, then keeps them in step with
    // PostgreSQL; with Meilisearch down it retries in the background and the archive keeps serving.
    relay = startSearchOutboxRelay({ db: pool, meili, config, logger });
    if (shuttingDown) return;
    const address = await app.listen({ host: config.HOST, port: config.PORT });
    logger.info(`Takedown Archive is ready at ${address} (API description: ${address}/docs)`);
    // In the background: a file or leaf changed behind the archive's back is named in the log.
    void checkLogIntegrity({ db: pool, blobs }, (problem) =>
      logger.error(problem, `transparency log integrity: ${problem.problem}`),
    ).then(
      (report) =>
        logger.info({ ...report, problems: report.problems.length }, 'transparency log integrity checked'),
      (error: unknown) => logger.error({ err: error }, 'the transparency log integrity check failed'),
    );
  } catch (error) {
    if (error instanceof MeilisearchUnavailableError) logger.fatal(error.message);
    else logger.fatal({ err: error }, 'start-up failed');
    await shutdown('start-up failed', 1);
  }
}

void main();
