// Starts one real PostgreSQL and one real Meilisearch for the whole test run, in a temporary data
// directory, through the same code `npm start` uses; migrates a template database test files clone.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../server/config.ts';
import { migrateDatabase } from '../server/database/migrateDatabase.ts';
import { createPool } from '../server/database/pool.ts';
import { seedAuthorities } from '../server/database/seedAuthorities.ts';
import { createLogger } from '../server/logger.ts';
import { JobQueue } from '../server/queue/jobQueue.ts';
import { startBackingServices } from '../server/runtime/backingServices.ts';

export const TEMPLATE_DATABASE = 'archive_template';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    meiliUrl: string;
    meiliKey: string;
  }
}

/**
 * Vitest shows little of an error thrown here (a newcomer saw nothing but `RUN`), so the reason the
 * servers did not start is printed in full before the run stops.
 */
export default async function setup(project: TestProject) {
  try {
    return await startTestServices(project);
  } catch (error) {
    console.error(
      `\nThe test setup could not start PostgreSQL and Meilisearch (tests/globalSetup.ts):\n` +
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    throw error;
  }
}

async function startTestServices(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-test-'));
  // PostgreSQL runs as the unprivileged "postgres" user, which must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const logger = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const services = await startBackingServices(
    { ...config, DATABASE_URL: undefined, MEILI_URL: undefined },
    logger,
  );

  const adminDatabaseUrl = services.databaseUrl.replace(/\/[^/]+$/, '/postgres');
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const templateUrl = adminDatabaseUrl.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`);
  await migrateDatabase(templateUrl);
  const template = createPool(templateUrl, 1);
  await seedAuthorities(template);
  await template.end();
  // Install pg-boss's schema once; every test database cloned from the template then has it.
  const queue = await JobQueue.start(templateUrl, logger, { longestExtractionMs: 60_000 });
  await queue.stop();

  project.provide('adminDatabaseUrl', adminDatabaseUrl);
  project.provide('meiliUrl', services.meiliUrl);
  project.provide('meiliKey', services.meiliKey);

  return async () => {
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
