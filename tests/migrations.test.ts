import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../server/database/migrateDatabase.ts';
import { createTestDatabase, type TestDatabase } from './support/testApp.ts';

describe('migrations', () => {
  let empty: TestDatabase;
  beforeAll(async () => {
    empty = await createTestDatabase();
    // Start from nothing: drop what the template brought.
    await empty.pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  });
  afterAll(() => empty.drop());

  it('apply once even when two processes run them at the same moment, and are a no-op the second time', async () => {
    const [first, second] = await Promise.all([migrateDatabase(empty.url), migrateDatabase(empty.url)]);
    const appliedOnce = [...first, ...second].sort();
    const { rows } = await empty.pool.query<{ name: string }>(
      'SELECT name FROM schema_migrations ORDER BY id',
    );
    expect(appliedOnce).toEqual(rows.map((row) => row.name).sort());
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
    expect(await migrateDatabase(empty.url)).toEqual([]);
  });

  it('record nothing and keep nothing of a migration that fails, and say which one failed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'takedown-migrations-'));
    await writeFile(path.join(dir, '001_good.sql'), '-- Up Migration\nCREATE TABLE good_one (id int);\n');
    await writeFile(
      path.join(dir, '002_broken.sql'),
      '-- Up Migration\nCREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n',
    );
    const target = await createTestDatabase();
    try {
      await target.pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      await expect(migrateDatabase(target.url, undefined, dir)).rejects.toThrow(/no_such_table/);
      const tables = await target.pool.query<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE tablename IN ('good_one', 'half_done')`,
      );
      expect(tables.rows.map((row) => row.tablename)).toEqual(['good_one']);
      const recorded = await target.pool.query<{ name: string }>('SELECT name FROM schema_migrations');
      expect(recorded.rows.map((row) => row.name)).toEqual(['001_good']);
    } finally {
      await target.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
