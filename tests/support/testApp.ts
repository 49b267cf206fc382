// Gives a test file its own database (cloned from the migrated template) and its own Meilisearch
// index prefix on the run's real servers, and the archive app built on them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createMeiliClient } from '../../server/search/meiliClient.ts';

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
  const pool = new pg.Pool({ connectionString: url, max: 20 });
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

export async function createTestApp(overrides: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const config: Config = loadConfig({
    DATA_DIR: '.tmp/test-data',
    LOG_LEVEL: 'silent',
    MEILI_INDEX_PREFIX: `t${randomBytes(4).toString('hex')}_`,
    ...overrides,
  });
  const meili = createMeiliClient(inject('meiliUrl'), inject('meiliKey'));
  const app = await buildApp({ config, logger: createLogger(config), db: database.pool, meili });
  await app.ready();
  return {
    app,
    config,
    db: database.pool,
    meili,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
