// Password guessing: 20 wrong passwords in a row lock the account (counted exactly, even when they come
// at once), the lock refuses even the right password from anywhere and says when it lifts, it lifts by
// itself, and each address may try only so many sign-ins a minute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../server/config.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { signInRequest } from '../support/browserSession.ts';
import { createTestApp } from '../support/testApp.ts';

type Harness = Awaited<ReturnType<typeof createTestApp>>;
const WRONG = 'a guess that is wrong';
const ATTACKER = '203.0.113.66';
const ELSEWHERE = '198.51.100.99';

async function auditOf(harness: Harness, userId: number) {
  const { rows } = await harness.db.query<{ action: string; after: Record<string, unknown> }>(
    `SELECT action, after FROM audit_log WHERE record_type = 'user' AND record_id = $1
        AND action IN ('session.sign_in_failed', 'user.lock', 'session.sign_in') ORDER BY id`,
    [String(userId)],
  );
  return rows;
}

async function lockState(harness: Harness, userId: number) {
  const { rows } = await harness.db.query<{ failed_sign_ins: number; locked_until: Date | null }>(
    'SELECT failed_sign_ins, locked_until FROM users WHERE id = $1',
    [userId],
  );
  return rows[0]!;
}

describe('an account locks after 20 wrong passwords in a row', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await createTestApp();
  });
  afterAll(() => harness.close());

  it('locks on the 20th, says until when, refuses the right password from another address, and audits it all', async () => {
    const person = await createPerson(harness.app, { email: 'guessed@lock.example' });
    for (let attempt = 1; attempt < 20; attempt++) {
      const response = await harness.app.inject(signInRequest(person.email, WRONG, { address: ATTACKER }));
      expect(response.statusCode, `attempt ${attempt}`).toBe(401);
    }
    const twentieth = await harness.app.inject(signInRequest(person.email, WRONG, { address: ATTACKER }));
    expect(twentieth.statusCode, twentieth.body).toBe(423);
    const { locked_until: lockedUntil } = await lockState(harness, person.userId);
    expect(lockedUntil!.getTime() - Date.now()).toBeGreaterThan(890_000);
    const body = twentieth.json();
    expect(body).toMatchObject({ statusCode: 423, code: 'account_locked' });
    expect(body.message).toContain(lockedUntil!.toISOString());
    expect(body.message).toMatch(/in 15 minutes/);
    expect(Number(twentieth.headers['retry-after'])).toBeGreaterThan(890);

    const rightPassword = await harness.app.inject(
      signInRequest(person.email, person.password, { address: ELSEWHERE }),
    );
    expect(rightPassword.statusCode).toBe(423);
    expect(rightPassword.json().code).toBe('account_locked');
    expect(rightPassword.headers['set-cookie']).toBeUndefined();

    const records = await auditOf(harness, person.userId);
    const failures = records.filter((r) => r.action === 'session.sign_in_failed');
    expect(
      failures.slice(0, 20).map((r) => [r.after.reason, r.after.failed_sign_ins, r.after.address]),
    ).toEqual(Array.from({ length: 20 }, (_, i) => ['wrong_password', i + 1, ATTACKER]));
    const locks = records.filter((r) => r.action === 'user.lock');
    expect(locks).toEqual([
      {
        action: 'user.lock',
        after: expect.objectContaining({ locked_until: lockedUntil!.toISOString(), failed_sign_ins: 20 }),
      },
    ]);
    expect(failures[20]!.after).toMatchObject({ reason: 'locked', address: ELSEWHERE });
    expect(records.some((r) => r.action === 'session.sign_in')).toBe(false);
    expect(JSON.stringify(records)).not.toContain(WRONG);
    expect(JSON.stringify(records)).not.toContain(person.password);
  });

  it('counts concurrent wrong passwords exactly: 20 at once lock the account once', async () => {
    const person = await createPerson(harness.app, { email: 'flooded@lock.example' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        harness.app.inject(signInRequest(person.email, WRONG, { address: ATTACKER })),
      ),
    );
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(19);
    expect(statuses.filter((s) => s === 423)).toHaveLength(1);
    expect(await lockState(harness, person.userId)).toMatchObject({ failed_sign_ins: 20 });
    const records = await auditOf(harness, person.userId);
    expect(records.filter((r) => r.action === 'user.lock')).toHaveLength(1);
    const counts = records
      .filter((r) => r.action === 'session.sign_in_failed')
      .map((r) => r.after.failed_sign_ins as number)
      .sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('a right password resets the count: the wrong ones must come in a row', async () => {
    const person = await createPerson(harness.app, { email: 'forgetful@lock.example' });
    const attempt = (password: string) => harness.app.inject(signInRequest(person.email, password));
    for (let i = 0; i < 19; i++) expect((await attempt(WRONG)).statusCode).toBe(401);
    expect((await attempt(person.password)).statusCode).toBe(201);
    expect(await lockState(harness, person.userId)).toEqual({ failed_sign_ins: 0, locked_until: null });
    for (let i = 0; i < 19; i++) expect((await attempt(WRONG)).statusCode).toBe(401);
    expect((await attempt(person.password)).statusCode).toBe(201);
  });
});

describe('the lock lifts by itself', () => {
  let harness: Harness;
  let person: TestPerson;
  beforeAll(async () => {
    harness = await createTestApp({ SIGN_IN_LOCK_SECONDS: '2' });
    person = await createPerson(harness.app, { email: 'patient@lock.example' });
  });
  afterAll(() => harness.close());

  it('after SIGN_IN_LOCK_SECONDS the right password signs in, and the count is back to 0', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      await harness.app.inject(signInRequest(person.email, WRONG, { address: ATTACKER }));
    }
    const locked = await harness.app.inject(
      signInRequest(person.email, person.password, { address: ELSEWHERE }),
    );
    const { locked_until: lockedUntil } = await lockState(harness, person.userId);
    // On a slow machine the 2 s may be over already; then the lock has lifted, which is the point too.
    if (lockedUntil!.getTime() > Date.now() + 200) {
      expect(locked.statusCode).toBe(423);
      expect(locked.json().message).toMatch(/in 1 minute\)/);
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, lockedUntil!.getTime() - Date.now()) + 100),
    );
    const after = await harness.app.inject(
      signInRequest(person.email, person.password, { address: ELSEWHERE }),
    );
    expect(after.statusCode, after.body).toBe(201);
    expect(await lockState(harness, person.userId)).toEqual({ failed_sign_ins: 0, locked_until: null });
    const actions = (await auditOf(harness, person.userId)).map((r) => r.action);
    expect(actions.filter((action) => action === 'user.lock')).toHaveLength(1);
    expect(actions.at(-1)).toBe('session.sign_in');
  });
});

describe('sign-in attempts are limited per address', () => {
  const LIMIT = ConfigSchema.properties.RATE_LIMIT_SIGN_INS_PER_MINUTE.default as number;
  let harness: Harness;
  beforeAll(async () => {
    harness = await createTestApp({ RATE_LIMIT_SIGN_INS_PER_MINUTE: String(LIMIT) });
  });
  afterAll(() => harness.close());

  it(`the ${LIMIT + 1}st attempt in a minute from one address gets 429; other addresses go on`, async () => {
    expect(LIMIT).toBe(30);
    // Windows are whole minutes: start early in one, so the attempts all fall in it.
    const second = new Date().getUTCSeconds();
    if (second > 40) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
    const address = '192.0.2.31';
    for (let attempt = 1; attempt <= LIMIT; attempt++) {
      const response = await harness.app.inject(
        signInRequest(`nobody-${attempt}@limit.example`, WRONG, { address }),
      );
      expect(response.statusCode, `attempt ${attempt}`).toBe(401);
    }
    const refused = await harness.app.inject(signInRequest('nobody@limit.example', WRONG, { address }));
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'rate_limited' });
    expect(refused.json().message).toMatch(/sign-in attempts from this address: at most 30 per minute/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Bad input from the same address is counted before it is read, so it is refused too.
    const malformed = await harness.app.inject({
      method: 'POST',
      url: '/api/session',
      remoteAddress: address,
      payload: { email: 'x' },
    });
    expect(malformed.statusCode).toBe(429);
    const elsewhere = await harness.app.inject(
      signInRequest('nobody@limit.example', WRONG, { address: '192.0.2.32' }),
    );
    expect(elsewhere.statusCode).toBe(401);

    // The other routes where anyone may try a secret (invitations, password resets) share the bucket.
    const spec = (await harness.app.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, object>;
    };
    const secretRoutes = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => method !== 'get')
        .filter(() => /^\/api\/(invitations\/accept|password-resets)(\/|$)/.test(path))
        .map((method) => ({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, 'x1') })),
    );
    for (const route of secretRoutes) {
      const response = await harness.app.inject({
        method: route.method as 'POST',
        url: route.url,
        remoteAddress: address,
        payload: {},
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(429);
    }
  });
});
