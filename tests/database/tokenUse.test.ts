// Checking a token is a read: a blocked write path (a lock on the token's row) does not hold requests,
// and a flood with one token costs at most one UPDATE of last_used_at a minute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/auth/apiTokens.ts';
import { waitFor } from '../support/archiveProcess.ts';
import { bearer } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

describe('token checks', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    harness = await createTestApp();
  });
  afterAll(() => harness.close());

  const rowVersion = async (id: number) =>
    (await harness.db.query<{ xmin: string }>('SELECT xmin::text FROM api_tokens WHERE id = $1', [id]))
      .rows[0]!.xmin;

  it('serves a token request while its row is locked for writing', async () => {
    const { id, token } = await createApiToken(harness.db, { name: 'locked desk', role: 'editor' });
    const locker = await harness.db.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM api_tokens WHERE id = $1 FOR UPDATE', [id]);
      const started = Date.now();
      const response = await Promise.race([
        harness.app.inject({ method: 'GET', url: '/api/orders', headers: bearer(token) }),
        new Promise<undefined>((done) => setTimeout(() => done(undefined), 5000)),
      ]);
      expect(response?.statusCode).toBe(200);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
  });

  it('writes last_used_at once for many requests, and again once it is a minute old', async () => {
    const { id, token } = await createApiToken(harness.db, { name: 'busy desk', role: 'editor' });
    await harness.app.inject({ method: 'GET', url: '/api/orders', headers: bearer(token) });
    const used = await waitFor(
      async () =>
        (await harness.db.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [id])).rows[0]
          .last_used_at as Date | null,
      (value) => value !== null,
      3000,
    );
    expect(used).not.toBeNull();
    const version = await rowVersion(id);
    for (let i = 0; i < 20; i++) {
      const response = await harness.app.inject({
        method: 'GET',
        url: '/api/orders',
        headers: bearer(token),
      });
      expect(response.statusCode).toBe(200);
    }
    await new Promise((done) => setTimeout(done, 300));
    expect(await rowVersion(id)).toBe(version);

    await harness.db.query(
      `UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`,
      [id],
    );
    const stale = await rowVersion(id);
    await harness.app.inject({ method: 'GET', url: '/api/orders', headers: bearer(token) });
    const fresh = await waitFor(
      async () =>
        (
          await harness.db.query<{ fresh: boolean }>(
            `SELECT last_used_at > now() - interval '10 seconds' AS fresh FROM api_tokens WHERE id = $1`,
            [id],
          )
        ).rows[0]!.fresh,
      (value) => value,
      3000,
    );
    expect(fresh).toBe(true);
    expect(await rowVersion(id)).not.toBe(stale);
  });

  it('still refuses a revoked token', async () => {
    const { id, token } = await createApiToken(harness.db, { name: 'gone desk', role: 'editor' });
    await harness.db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [id]);
    const response = await harness.app.inject({ method: 'GET', url: '/api/orders', headers: bearer(token) });
    expect(response.statusCode).toBe(401);
  });
});
