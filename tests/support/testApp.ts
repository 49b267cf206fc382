// Gives a test file its own database (cloned from the migrated template) and its own Meilisearch
// index prefix on the run's real servers, and the archive app built on them.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Meilisearch } from 'meilisearch';
import type { DestinationStream } from 'pino';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { createPool } from '../../server/database/pool.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startExtractionWorker } from '../../server/jobs/extractionWorker.ts';
import { startRenditionWorker } from '../../server/jobs/renditionWorker.ts';
import { JobQueue } from '../../server/queue/jobQueue.ts';
import { createMeiliClient } from '../../server/indexing/meiliClient.ts';
import {
  startSearchOutboxRelay,
  type SearchOutboxRelayOptions,
} from '../../server/indexing/searchOutboxRelay.ts';
import { BlobStore } from '../../server/storage/blobStore.ts';

export const TEMPLATE_DATABASE = 'archive_template';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const pool = createPool(url, 20);
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestAppOptions {
  /** Run an extraction worker (and the rendition worker) in-process, as npm start does. */
  worker?: boolean;
  /** Run the search outbox relay in-process, as npm start does (options: e.g. a short idle pause). */
  searchRelay?: boolean | SearchOutboxRelayOptions;
  /** Where the app's log lines go (JSON), at the LOG_LEVEL the overrides give (else none are written). */
  logStream?: DestinationStream;
}

export async function createTestApp(overrides: Record<string, string> = {}, options: TestAppOptions = {}) {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-app-'));
  const config: Config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MEILI_INDEX_PREFIX: `t${randomBytes(4).toString('hex')}_`,
    // Rate limits are on, but out of reach of tests that are not about them (each such test sets its own).
    RATE_LIMIT_ANONYMOUS_READS_PER_MINUTE: '1000000',
    RATE_LIMIT_ANONYMOUS_READS_PER_HOUR: '1000000',
    RATE_LIMIT_ANONYMOUS_SEARCHES_PER_MINUTE: '1000000',
    RATE_LIMIT_TOKEN_READS_PER_MINUTE: '1000000',
    RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
    RATE_LIMIT_UPLOADS_PER_MINUTE: '1000000',
    RATE_LIMIT_FAILED_TOKENS_PER_HOUR: '1000000',
    RATE_LIMIT_SIGN_INS_PER_MINUTE: '1000000',
    ...overrides,
  });
  const meili = createMeiliClient(inject('meiliUrl'), inject('meiliKey'));
  const logger = createLogger(config, options.logStream);
  const blobs = new BlobStore(path.join(dataDir, 'blobs'));
  const jobs = await JobQueue.start(database.url, logger, {
    longestExtractionMs: config.EXTRACT_MAX_TIMEOUT_MS,
  });
  const worker = options.worker
    ? await startExtractionWorker({ db: database.pool, blobs, jobs, config, logger }, 0.5)
    : undefined;
  if (options.worker) await startRenditionWorker({ db: database.pool, blobs, jobs, config, logger }, 0.5);
  const app = await buildApp({ config, logger, db: database.pool, meili, blobs, jobs });
  await app.ready();
  const relay = options.searchRelay
    ? startSearchOutboxRelay(
        { db: database.pool, meili, config, logger },
        {
          idleMs: 100,
          minBackoffMs: 200,
          maxBackoffMs: 2000,
          ...(options.searchRelay === true ? {} : options.searchRelay),
        },
      )
    : undefined;
  return {
    app,
    config,
    databaseUrl: database.url,
    db: database.pool,
    meili,
    blobs,
    jobs,
    close: async () => {
      await relay?.stop();
      await app.close();
      await jobs.stop();
      await worker?.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
      await dropSearchIndexes(meili, config.MEILI_INDEX_PREFIX);
    },
  };
}

/** Deletes the indexes of this test app's prefix from the shared Meilisearch: its own, and only those. */
async function dropSearchIndexes(meili: Meilisearch, prefix: string): Promise<void> {
  const { results } = await meili.getRawIndexes({ limit: 1000 });
  await Promise.all(
    results.filter((index) => index.uid.startsWith(prefix)).map((index) => meili.deleteIndex(index.uid)),
  );
}
