// Cross-site request forgery: every state-changing route of the OpenAPI description refuses a request made
// with a live session cookie but without the session's CSRF token (403 csrf_invalid) before it does
// anything, accepts the same request with the token as far as CSRF goes, and needs no token with a Bearer
// token. Driven by /docs/json, so a route added anywhere is covered the day it is registered.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE, startSession } from '../../server/auth/sessions.ts';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { signInRequest } from '../support/browserSession.ts';
import { createTestApp } from '../support/testApp.ts';

type Harness = Awaited<ReturnType<typeof createTestApp>>;

interface Operation {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the description writes it: /api/orders/{id}. */
  path: string;
}

// An id no record has: the CSRF check runs before the handler, so what the route would answer for it
// (404 mostly) does not matter, and a request that passes the check cannot change a real record.
const PLACEHOLDER_ID = '999999999';

function requestFor(operation: Operation, headers: Record<string, string>): InjectOptions {
  const url = operation.path.replace(/\{[^}]+\}/g, PLACEHOLDER_ID);
  return operation.method === 'DELETE'
    ? { method: operation.method, url, headers }
    : { method: operation.method, url, headers, payload: {} };
}

describe('CSRF protection of every state-changing route', () => {
  let harness: Harness;
  let editor: TestPerson;
  let operations: Operation[];
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    // An editor passes every route's access rule, so what refuses a request here is the CSRF check alone.
    editor = await createPerson(harness.app, { email: 'csrf-editor@example.org', editor: true });
    const spec = (await harness.app.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => !['get', 'head', 'options'].includes(method))
        .map((method) => ({ method: method.toUpperCase() as Operation['method'], path })),
    );
  });
  afterAll(() => harness.close());

  /** A new session of the editor (so that signing out in one request spoils no other) and its CSRF token. */
  async function freshSession() {
    const session = await startSession(harness.db, { userId: editor.userId, lifetimeHours: 1 });
    const cookie = `${SESSION_COOKIE}=${session.secret}`;
    const answer = await harness.app.inject({ url: '/api/session', headers: { cookie } });
    expect(answer.statusCode, answer.body).toBe(200);
    return { id: session.id, cookie, csrf: answer.json().csrf_token as string };
  }

  it('finds the state-changing routes in the OpenAPI description, the session routes among them', () => {
    const names = operations.map((operation) => `${operation.method} ${operation.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/orders',
        'PATCH /api/orders/{id}',
        'POST /api/orders/{id}/documents',
        'POST /api/session',
        'DELETE /api/session',
        'DELETE /api/me/sessions/{id}',
        'POST /api/me/password',
      ]),
    );
    expect(operations.length).toBeGreaterThanOrEqual(14);
  });

  it('refuses each with a session cookie and no CSRF token (403 csrf_invalid)', async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      const { cookie } = await freshSession();
      const response = await harness.app.inject(requestFor(operation, { cookie }));
      if (
        response.statusCode !== 403 ||
        response.json().code !== 'csrf_invalid' ||
        // The refusal says where the token comes from, not just that it is wrong.
        !/csrf_token from GET \/api\/session.*X-CSRF-Token/.test(response.json().message)
      ) {
        wrong.push(`${operation.method} ${operation.path}: ${response.statusCode} ${response.body}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a token that is not the session’s, or is no token', async () => {
    const other = await freshSession();
    for (const operation of operations) {
      const { cookie } = await freshSession();
      for (const csrf of [other.csrf, 'garbage', '']) {
        const response = await harness.app.inject(requestFor(operation, { cookie, 'x-csrf-token': csrf }));
        expect(response.json().code, `${operation.method} ${operation.path} with ${csrf}`).toBe(
          'csrf_invalid',
        );
      }
    }
  });

  it('lets each through the CSRF check with the session’s token', async () => {
    const refused: string[] = [];
    for (const operation of operations) {
      const { cookie, csrf } = await freshSession();
      const response = await harness.app.inject(requestFor(operation, { cookie, 'x-csrf-token': csrf }));
      if (response.statusCode === 403 && response.json().code === 'csrf_invalid') {
        refused.push(`${operation.method} ${operation.path}`);
      }
      expect(response.statusCode, `${operation.method} ${operation.path}: ${response.body}`).toBeLessThan(
        500,
      );
    }
    expect(refused).toEqual([]);
  });

  it('needs no CSRF token with a Bearer token', async () => {
    const refused: string[] = [];
    for (const operation of operations) {
      const response = await harness.app.inject(requestFor(operation, editor.headers));
      if (response.statusCode === 403 && response.json().code === 'csrf_invalid') {
        refused.push(`${operation.method} ${operation.path}`);
      }
      expect(response.statusCode, `${operation.method} ${operation.path}: ${response.body}`).toBeLessThan(
        500,
      );
    }
    expect(refused).toEqual([]);
  });

  describe('a refused request changes nothing', () => {
    let order: string;
    let authority: string;
    beforeAll(async () => {
      const outlet = await createOutletWithToken(harness.app, 'csrf-outlet');
      authority = (await authorityByAlias(harness.app, 'KZ-CERT')).slug;
      order = (await fileOrder(harness.app, outlet.headers, { authority })).id;
    });

    const count = async (sql: string, values: unknown[] = []) =>
      Number((await harness.db.query<{ n: string }>(sql, values)).rows[0]!.n);
    const forged = (cookie: string, options: Omit<InjectOptions, 'headers'>, headers = {}) =>
      harness.app.inject({ ...options, headers: { cookie, ...headers } } as InjectOptions);
    const expectRefused = (response: { statusCode: number; json(): { code: string } }) => {
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('csrf_invalid');
    };

    it('filing or changing an order', async () => {
      const { cookie } = await freshSession();
      const orders = await count('SELECT count(*) AS n FROM orders');
      expectRefused(
        await forged(cookie, {
          method: 'POST',
          url: '/api/orders',
          payload: { authority, outlet: 'csrf-outlet' },
        }),
      );
      expect(await count('SELECT count(*) AS n FROM orders')).toBe(orders);
      expectRefused(
        await forged(
          cookie,
          { method: 'PATCH', url: `/api/orders/${order}`, payload: { status: 'complied' } },
          { 'if-match': '*' },
        ),
      );
      expectRefused(
        await forged(cookie, {
          method: 'POST',
          url: `/api/orders/${order}/events`,
          payload: { kind: 'blocked', occurred_at: '2026-01-01T00:00:00Z' },
        }),
      );
      const story = (
        await harness.app.inject({ url: `/api/orders/${order}`, headers: editor.headers })
      ).json();
      expect(story.status).not.toBe('complied');
      expect(story.events).toEqual([]);
      expectRefused(
        await forged(cookie, { method: 'POST', url: '/api/outlets', payload: { slug: 'forged', name: 'F' } }),
      );
      expect(await count(`SELECT count(*) AS n FROM outlets WHERE slug = 'forged'`)).toBe(0);
    });

    it('signing out, revoking a session, changing the password, signing in again', async () => {
      const victim = await freshSession();
      const other = await freshSession();
      const live = (id: number) =>
        count('SELECT count(*) AS n FROM sessions WHERE id = $1 AND ended_at IS NULL', [id]);
      expectRefused(await forged(victim.cookie, { method: 'DELETE', url: '/api/session' }));
      expectRefused(await forged(victim.cookie, { method: 'DELETE', url: `/api/me/sessions/${other.id}` }));
      expect(await live(victim.id)).toBe(1);
      expect(await live(other.id)).toBe(1);

      const before = (
        await harness.db.query('SELECT password_hash FROM users WHERE id = $1', [editor.userId])
      ).rows[0];
      expectRefused(
        await forged(victim.cookie, {
          method: 'POST',
          url: '/api/me/password',
          payload: { current_password: editor.password, new_password: 'chosen by the attacker' },
        }),
      );
      const after = (await harness.db.query('SELECT password_hash FROM users WHERE id = $1', [editor.userId]))
        .rows[0];
      expect(after).toEqual(before);

      // Login CSRF: a signed-in browser cannot be switched to another session by a forged sign-in.
      const sessions = await count('SELECT count(*) AS n FROM sessions WHERE user_id = $1', [editor.userId]);
      const signIn = await harness.app.inject({
        ...signInRequest(editor.email, editor.password),
        headers: { cookie: victim.cookie },
      });
      expectRefused(signIn);
      expect(signIn.headers['set-cookie']).toBeUndefined();
      expect(await count('SELECT count(*) AS n FROM sessions WHERE user_id = $1', [editor.userId])).toBe(
        sessions,
      );
      expect(await live(victim.id)).toBe(1);
    });
  });
});
