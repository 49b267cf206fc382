// A statement PostgreSQL cancels for running too long, and a PostgreSQL that refuses connections, are
// answered 503 database_unavailable with Retry-After and a message naming PostgreSQL: never a hang or a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { createPool } from '../../server/database/pool.ts';
import { createLogger } from '../../server/logger.ts';
import { findFreePort } from '../../server/runtime/dataDirState.ts';
import { createTestApp } from '../support/testApp.ts';

describe('PostgreSQL timeouts and failures', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    harness = await createTestApp();
  });
  afterAll(() => harness.close());

  async function appOn(db: ReturnType<typeof createPool>) {
    const { config, meili, blobs, jobs } = harness;
    const app = await buildApp({ config, logger: createLogger(config), db, meili, blobs, jobs });
    await app.ready();
    return app;
  }

  it('answers a statement cut off by statement_timeout with 503', async () => {
    const db = createPool(harness.databaseUrl, 2, undefined, { connectMs: 1000, statementMs: 300 });
    const app = await appOn(db);
    const locker = await harness.db.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const response = await app.inject({ method: 'GET', url: '/api/orders' });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.json()).toMatchObject({ code: 'database_unavailable', message: /PostgreSQL/ });
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
      await app.close();
      await db.end();
    }
  });

  it('answers 503 when PostgreSQL refuses connections', async () => {
    const port = await findFreePort();
    const db = createPool(`postgres://postgres:none@127.0.0.1:${port}/none`, 2, undefined, {
      connectMs: 1000,
    });
    const app = await appOn(db);
    try {
      const response = await app.inject({ method: 'GET', url: '/api/orders' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'database_unavailable', message: /PostgreSQL/ });
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.json()).toMatchObject({ postgres: 'down' });
    } finally {
      await app.close();
      await db.end();
    }
  });
});
