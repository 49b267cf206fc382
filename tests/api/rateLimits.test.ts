// Floods: every class of route has a rate limit, counted in PostgreSQL so that every API process shares it;
// an address that keeps failing token checks is turned away before its tokens are looked up.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { buildApp } from '../../server/app.ts';
import { createApiToken } from '../../server/auth/apiTokens.ts';
import { createLogger } from '../../server/logger.ts';
import { PostgresRateLimitStore } from '../../server/plugins/rateLimitStore.ts';
import { ADMIN_TOKEN, bearer, createOutletWithToken, editor } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

type Harness = Awaited<ReturnType<typeof createTestApp>>;

/** Counts the queries that read or write the token table, by wrapping the pool the app uses. */
function countTokenLookups(db: pg.Pool): { count: () => number; restore: () => void } {
  const original = db.query.bind(db);
  let lookups = 0;
  (db as { query: unknown }).query = (...args: unknown[]) => {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    if (/api_tokens/.test(text)) lookups++;
    return (original as (...a: unknown[]) => unknown)(...args);
  };
  return { count: () => lookups, restore: () => ((db as { query: unknown }).query = original) };
}

function expectRateLimited(response: {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): unknown;
}) {
  expect(response.statusCode).toBe(429);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  const body = response.json() as { message: string };
  expect(body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'rate_limited' });
  expect(body.message).toMatch(/try again in \d+ s/i);
}

// Windows are fixed minutes and hours aligned on the epoch (rateLimitStore.ts): a test's requests that
// straddled a window's end would be counted in two windows and never reach the limit (seen once under
// load). Each test starts with ten seconds of its minute left, and forty of its hour (the flood below
// runs for up to thirty).
beforeEach(async () => {
  const now = Date.now();
  const hourLeft = 3_600_000 - (now % 3_600_000);
  const minuteLeft = 60_000 - (now % 60_000);
  const wait = hourLeft < 40_000 ? hourLeft : minuteLeft < 10_000 ? minuteLeft : 0;
  if (wait) await new Promise((resolve) => setTimeout(resolve, wait + 50));
}, 60_000);

describe('failed token checks are limited per address, before the token table is touched', () => {
  const LIMIT = 20;
  let harness: Harness;
  let goodToken: string;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN, RATE_LIMIT_FAILED_TOKENS_PER_HOUR: String(LIMIT) });
    ({ token: goodToken } = await createApiToken(harness.db, { name: 'desk', role: 'editor' }));
  });
  afterAll(() => harness.close());

  it('a flood of 10,000 bad tokens from one address: at most the limit are looked up, the rest get 429; a good token from elsewhere works', async () => {
    const attacker = '203.0.113.7';
    const lookups = countTokenLookups(harness.db);
    const statuses = new Map<number, number>();
    const started = Date.now();
    let retryAfterMissing = 0;
    try {
      const TOTAL = 10_000;
      const BATCH = 100; // concurrent, as a real flood would be
      for (let sent = 0; sent < TOTAL && Date.now() - started < 30_000; sent += BATCH) {
        const answers = await Promise.all(
          Array.from({ length: BATCH }, () =>
            harness.app.inject({
              method: 'GET',
              url: '/api/orders',
              remoteAddress: attacker,
              headers: bearer(`ta_${randomBytes(16).toString('base64url')}`),
            }),
          ),
        );
        for (const answer of answers) {
          statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
          if (answer.statusCode === 429 && !(Number(answer.headers['retry-after']) > 0)) retryAfterMissing++;
        }
      }
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(lookups.count()).toBeLessThanOrEqual(LIMIT);
      expect(statuses.get(401)).toBe(lookups.count());
      expect(statuses.get(429)).toBe(10_000 - lookups.count());
      expect(retryAfterMissing).toBe(0);

      const blocked = await harness.app.inject({
        method: 'GET',
        url: '/api/orders',
        remoteAddress: attacker,
        headers: bearer(goodToken),
      });
      expectRateLimited(blocked);
      expect(lookups.count()).toBeLessThanOrEqual(LIMIT);

      const elsewhere = await harness.app.inject({
        method: 'GET',
        url: '/api/orders',
        remoteAddress: '198.51.100.4',
        headers: bearer(goodToken),
      });
      expect(elsewhere.statusCode).toBe(200);
      // The blocked address may still read anonymously: only its token guesses are cut off.
      const anonymous = await harness.app.inject({
        method: 'GET',
        url: '/api/orders',
        remoteAddress: attacker,
      });
      expect(anonymous.statusCode).toBe(200);
    } finally {
      lookups.restore();
    }
  }, 60_000);

  it('good tokens do not use up their address’s allowance of failures', async () => {
    const office = '198.51.100.20';
    for (let i = 0; i < LIMIT + 5; i++) {
      const answer = await harness.app.inject({
        method: 'GET',
        url: '/api/authorities',
        remoteAddress: office,
        headers: bearer(goodToken),
      });
      expect(answer.statusCode).toBe(200);
    }
  });
});

describe('route classes have their own limits', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await createTestApp({
      ADMIN_TOKEN,
      RATE_LIMIT_ANONYMOUS_READS_PER_MINUTE: '3',
      RATE_LIMIT_ANONYMOUS_SEARCHES_PER_MINUTE: '2',
      RATE_LIMIT_TOKEN_READS_PER_MINUTE: '4',
      RATE_LIMIT_WRITES_PER_MINUTE: '3',
      RATE_LIMIT_UPLOADS_PER_MINUTE: '1',
    });
  });
  afterAll(() => harness.close());
  const get = (url: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    harness.app.inject({ method: 'GET', url, remoteAddress, headers });

  it('anonymous reads: per address, with the rate headers, 429 with Retry-After past the limit', async () => {
    const reader = '192.0.2.1';
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await get('/api/authorities', reader);
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['x-ratelimit-limit']).toBe('3');
      remaining.push(answer.headers['x-ratelimit-remaining'] as string);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    expectRateLimited(await get('/api/orders', reader));
    expect((await get('/api/authorities', '192.0.2.2')).statusCode).toBe(200);
  });

  it('/health is exempt', async () => {
    for (let i = 0; i < 10; i++) {
      const answer = await get('/health', '192.0.2.4');
      expect(answer.statusCode).not.toBe(429);
    }
  });

  it('anonymous search: per address, its own tighter limit', async () => {
    const searcher = '192.0.2.5';
    for (let i = 0; i < 2; i++) expect((await get('/api/search?q=x', searcher)).statusCode).not.toBe(429);
    expectRateLimited(await get('/api/search?q=x', searcher));
    // Its reads are counted apart.
    expect((await get('/api/authorities', searcher)).statusCode).toBe(200);
  });

  it('token reads: per token, not per address; editors are exempt', async () => {
    const { headers } = await createOutletWithToken(harness.app, 'limits-reader');
    for (let i = 0; i < 4; i++) {
      expect((await get('/api/orders', `192.0.2.${10 + i}`, headers)).statusCode).toBe(200);
    }
    expectRateLimited(await get('/api/orders', '192.0.2.20', headers));
    for (let i = 0; i < 10; i++)
      expect((await get('/api/orders', '192.0.2.21', editor)).statusCode).toBe(200);
  });

  it('writes: per token', async () => {
    const { token } = await createApiToken(harness.db, { name: 'writer', role: 'editor' });
    const write = (n: number) =>
      harness.app.inject({
        method: 'POST',
        url: '/api/outlets',
        remoteAddress: '192.0.2.30',
        headers: bearer(token),
        payload: { slug: `limits-w${n}`, name: `w${n}`, domains: [] },
      });
    for (let i = 0; i < 3; i++) expect((await write(i)).statusCode).toBe(201);
    expectRateLimited(await write(3));
  });

  it('uploads and intake: per token, tight, and refused before the body is read', async () => {
    const { token } = await createApiToken(harness.db, { name: 'uploader', role: 'editor' });
    const send = (url: string) =>
      harness.app.inject({
        method: 'POST',
        url,
        remoteAddress: '192.0.2.40',
        headers: { ...bearer(token), 'content-type': 'multipart/form-data; boundary=x' },
        payload: '--x--\r\n',
      });
    expect((await send('/api/intake')).statusCode).not.toBe(429);
    expectRateLimited(await send('/api/orders/TD-2026-00001/documents'));
  });

  // --- web-desk ---
  it('counts the upload page with the API’s uploads, so a browser gets no wider limit', async () => {
    const { token } = await createApiToken(harness.db, { name: 'page uploader', role: 'editor' });
    const send = (url: string) =>
      harness.app.inject({
        method: 'POST',
        url,
        remoteAddress: '192.0.2.41',
        headers: { ...bearer(token), 'content-type': 'multipart/form-data; boundary=x' },
        payload: '--x--\r\n',
      });
    expect((await send('/api/intake')).statusCode).not.toBe(429);
    const page = await send('/upload');
    expect(page.statusCode).toBe(429);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('is shared by every API process on the same database', async () => {
    const second = await buildApp({
      config: harness.config,
      logger: createLogger(harness.config),
      db: harness.db,
      meili: harness.meili,
      blobs: harness.blobs,
      jobs: harness.jobs,
    });
    try {
      const shared = '192.0.2.50';
      expect((await get('/api/authorities', shared)).statusCode).toBe(200);
      expect(
        (await second.inject({ method: 'GET', url: '/api/authorities', remoteAddress: shared })).statusCode,
      ).toBe(200);
      expect((await get('/api/authorities', shared)).statusCode).toBe(200);
      expectRateLimited(
        await second.inject({ method: 'GET', url: '/api/authorities', remoteAddress: shared }),
      );
    } finally {
      await second.close();
    }
  });
});

describe('the hourly limit on anonymous reads and the counters’ table', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await createTestApp({
      RATE_LIMIT_ANONYMOUS_READS_PER_MINUTE: '100',
      RATE_LIMIT_ANONYMOUS_READS_PER_HOUR: '2',
    });
  });
  afterAll(() => harness.close());

  it('an address under the per-minute limit still meets the hourly one', async () => {
    const reader = '192.0.2.60';
    for (let i = 0; i < 2; i++) {
      const answer = await harness.app.inject({
        method: 'GET',
        url: '/api/authorities',
        remoteAddress: reader,
      });
      expect(answer.statusCode).toBe(200);
    }
    const third = await harness.app.inject({ method: 'GET', url: '/api/authorities', remoteAddress: reader });
    expectRateLimited(third);
    expect(third.json().message).toMatch(/per hour/);
  });

  it('one row per class, key and window; expired windows are deleted as counting goes on', async () => {
    const store = new PostgresRateLimitStore(harness.db, 'test_class', { cleanupEveryMs: 0 });
    await harness.db.query(
      `INSERT INTO rate_limit_hits (bucket, key, window_start, expires_at, hits)
       VALUES ('old_class', 'k', now() - interval '2 hours', now() - interval '1 hour', 5)`,
    );
    const incr = () =>
      new Promise<{ current: number; ttl: number }>((resolve, reject) =>
        store.incr('192.0.2.61', (error, result) => (error ? reject(error) : resolve(result!)), 60_000, 10),
      );
    expect((await incr()).current).toBe(1);
    const second = await incr();
    expect(second.current).toBe(2);
    expect(second.ttl).toBeGreaterThan(0);
    expect(second.ttl).toBeLessThanOrEqual(60_000);
    // Far from their limit, hits are tallied in the process and added to the table a moment later.
    await store.flush();
    const { rows } = await harness.db.query<{ bucket: string; hits: number }>(
      `SELECT bucket, hits FROM rate_limit_hits WHERE bucket IN ('old_class', 'test_class')`,
    );
    expect(rows).toEqual([{ bucket: 'test_class', hits: 2 }]);
  });
});
