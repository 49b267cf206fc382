// People as callers: a user's token and session carry their memberships' rights, a session's changes need
// its CSRF token, a read-only token reads only, and a researcher or a disabled user gains nothing.
import csrfTokens from '@fastify/csrf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { createApiToken } from '../../server/auth/apiTokens.ts';
import { csrfSecretOf, SESSION_COOKIE } from '../../server/auth/sessions.ts';
import { createTestApp } from '../support/testApp.ts';

describe('people as callers', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let alpha: Awaited<ReturnType<typeof createOutletWithToken>>;
  let beta: Awaited<ReturnType<typeof createOutletWithToken>>;
  let member: TestPerson;
  let twoOutlets: TestPerson;
  let researcher: TestPerson;
  let alphaOrder: string;
  let betaOrder: string;
  let authority: string;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    alpha = await createOutletWithToken(harness.app, 'people-alpha');
    beta = await createOutletWithToken(harness.app, 'people-beta');
    authority = (await authorityByAlias(harness.app, 'KZ-CERT')).slug;
    member = await createPerson(harness.app, {
      email: 'Member@Alpha.example',
      memberships: [{ outletId: alpha.outlet.id, role: 'member' }],
    });
    twoOutlets = await createPerson(harness.app, {
      email: 'both@example.org',
      memberships: [
        { outletId: alpha.outlet.id, role: 'member' },
        { outletId: beta.outlet.id, role: 'admin' },
      ],
    });
    researcher = await createPerson(harness.app, {
      email: 'lawyer@example.org',
      researcherUntil: 'infinity',
    });
    alphaOrder = (await fileOrder(harness.app, alpha.headers, { authority })).id;
    betaOrder = (await fileOrder(harness.app, beta.headers, { authority })).id;
  });
  afterAll(() => harness.close());

  const status = async (url: string, headers: Record<string, string>) =>
    (await harness.app.inject({ method: 'GET', url, headers })).statusCode;

  it("sees its outlets' private orders, through a token and through a session alike", async () => {
    expect(await status(`/api/orders/${alphaOrder}`, member.headers)).toBe(200);
    expect(await status(`/api/orders/${alphaOrder}`, { cookie: member.cookie })).toBe(200);
    expect(await status(`/api/orders/${betaOrder}`, member.headers)).toBe(404);
    expect(await status(`/api/orders/${betaOrder}`, { cookie: member.cookie })).toBe(404);
    expect(await status(`/api/orders/${alphaOrder}`, twoOutlets.headers)).toBe(200);
    expect(await status(`/api/orders/${betaOrder}`, twoOutlets.headers)).toBe(200);
    expect(await status(`/api/orders/${alphaOrder}`, researcher.headers)).toBe(404);
  });

  it('files an order for its only outlet, and a member of two must say which', async () => {
    const own = await fileOrder(harness.app, member.headers, { authority });
    expect(await status(`/api/orders/${own.id}`, alpha.headers)).toBe(200);
    const unsaid = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: twoOutlets.headers,
      payload: { authority },
    });
    expect(unsaid.statusCode, unsaid.body).toBe(400);
    expect(unsaid.json().message).toMatch(/several outlets/);
    const said = await fileOrder(harness.app, twoOutlets.headers, { authority, outlet: 'people-beta' });
    expect(await status(`/api/orders/${said.id}`, beta.headers)).toBe(200);
    const foreign = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: member.headers,
      payload: { authority, outlet: 'people-beta' },
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('refuses a change made with a session cookie and no CSRF token, but not with a Bearer token', async () => {
    const path = `/api/orders/${alphaOrder}/events`;
    const payload = { kind: 'blocked', occurred_at: '2026-01-02T00:00:00Z' };
    const byCookie = await harness.app.inject({
      method: 'POST',
      url: path,
      headers: { cookie: member.cookie },
      payload,
    });
    expect(byCookie.statusCode, byCookie.body).toBe(403);
    expect(byCookie.json().code).toBe('csrf_invalid');
    const byToken = await harness.app.inject({ method: 'POST', url: path, headers: member.headers, payload });
    expect(byToken.statusCode, byToken.body).toBe(201);
  });

  it("takes a session's CSRF token from the x-csrf-token header or a form's _csrf field, not as data", async () => {
    const csrf = csrfTokens().create(csrfSecretOf(member.cookie.slice(`${SESSION_COOKIE}=`.length)));
    const post = (headers: Record<string, string>, payload: object) =>
      harness.app.inject({
        method: 'POST',
        url: `/api/orders/${alphaOrder}/events`,
        headers: { cookie: member.cookie, ...headers },
        payload: { kind: 'blocked', occurred_at: '2026-01-03T00:00:00Z', ...payload },
      });
    const byHeader = await post({ 'x-csrf-token': csrf }, {});
    expect(byHeader.statusCode, byHeader.body).toBe(201);
    const byField = await post({}, { _csrf: csrf });
    expect(byField.statusCode, byField.body).toBe(201);
    const wrong = await post({ 'x-csrf-token': `${csrf}x` }, {});
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('csrf_invalid');
  });

  it('lets a researcher or a read-only token read but not write', async () => {
    const readOnly = await createApiToken(harness.app.db, {
      name: 'read only',
      role: 'user',
      userId: member.userId,
      readOnly: true,
    });
    const headers = { authorization: `Bearer ${readOnly.token}` };
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(200);
    const write = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers,
      payload: { authority },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().message).toMatch(/read-only/);
    const byResearcher = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: researcher.headers,
      payload: { authority },
    });
    expect(byResearcher.statusCode).toBe(403);
  });

  it('gives a disabled user nothing: their token and session are refused or ignored', async () => {
    const leaving = await createPerson(harness.app, {
      email: 'leaving@alpha.example',
      memberships: [{ outletId: alpha.outlet.id, role: 'member' }],
    });
    expect(await status(`/api/orders/${alphaOrder}`, leaving.headers)).toBe(200);
    await harness.app.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [leaving.userId]);
    expect(await status(`/api/orders/${alphaOrder}`, leaving.headers)).toBe(401);
    expect(await status(`/api/orders/${alphaOrder}`, { cookie: leaving.cookie })).toBe(404);
  });
});
