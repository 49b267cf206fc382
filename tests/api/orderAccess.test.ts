// Who sees which order: private orders stay invisible to everyone but their outlet and editors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  bearer,
  createOutletWithToken,
  editor,
} from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

describe('order visibility', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let own: Awaited<ReturnType<typeof createOutletWithToken>>;
  let other: Awaited<ReturnType<typeof createOutletWithToken>>;
  let authority: string;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    own = await createOutletWithToken(harness.app, 'kloop-kg');
    other = await createOutletWithToken(harness.app, 'azattyq');
    authority = (await authorityByAlias(harness.app, 'KZ-CERT')).slug;
  });
  afterAll(() => harness.close());

  const file = async (payload: object) => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: own.headers,
      payload: { authority, ...payload },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; version: number };
  };
  const get = (id: string, headers = {}) =>
    harness.app.inject({ method: 'GET', url: `/api/orders/${id}`, headers });
  const listIds = async (headers = {}) =>
    (
      (await harness.app.inject({ method: 'GET', url: '/api/orders?limit=100', headers })).json().items as {
        id: string;
      }[]
    ).map((order) => order.id);

  it('a private order: 404 anonymously and for another outlet, 200 for its outlet and an editor', async () => {
    const order = await file({ visibility: 'private' });
    expect((await get(order.id)).statusCode).toBe(404);
    expect((await get(order.id, other.headers)).statusCode).toBe(404);
    expect((await get(order.id, own.headers)).statusCode).toBe(200);
    expect((await get(order.id, editor)).statusCode).toBe(200);
    expect(await listIds()).not.toContain(order.id);
    expect(await listIds(other.headers)).not.toContain(order.id);
    expect(await listIds(own.headers)).toContain(order.id);
  });

  it('an embargoed order turns public by itself when its date passes', async () => {
    const future = await file({ visibility: 'embargoed', embargo_until: '2999-01-01T00:00:00Z' });
    const past = await file({ visibility: 'embargoed', embargo_until: '2020-01-01T00:00:00Z' });
    expect((await get(future.id)).statusCode).toBe(404);
    expect((await get(past.id)).statusCode).toBe(200);
    expect(await listIds()).toContain(past.id);
    expect(await listIds()).not.toContain(future.id);
  });

  it('writes need a token (401), a hidden order cannot be written by another outlet (404), a visible one (403)', async () => {
    const privateOrder = await file({ visibility: 'private' });
    const publicOrder = await file({ visibility: 'public' });
    const anonymous = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      payload: { authority },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().message).toMatch(/token/);
    const badToken = await harness.app.inject({
      method: 'GET',
      url: '/api/orders',
      headers: bearer('ta_forged'),
    });
    expect(badToken.statusCode).toBe(401);
    const respond = (id: string, headers: Record<string, string>) =>
      harness.app.inject({
        method: 'POST',
        url: `/api/orders/${id}/responses`,
        headers,
        payload: { kind: 'silence' },
      });
    expect((await respond(privateOrder.id, {})).statusCode).toBe(401);
    expect((await respond(privateOrder.id, other.headers)).statusCode).toBe(404);
    expect((await respond(publicOrder.id, other.headers)).statusCode).toBe(403);
    expect((await respond(publicOrder.id, own.headers)).statusCode).toBe(201);
  });

  it('an outlet token cannot file an order in another outlet’s name, nor add authorities', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: own.headers,
      payload: { authority, outlet: other.outlet.slug },
    });
    expect(response.statusCode).toBe(403);
    const authorityResponse = await harness.app.inject({
      method: 'POST',
      url: '/api/authorities',
      headers: own.headers,
      payload: { slug: 'kz-fake', name: 'Fake', country: 'KZ', kind: 'ministry' },
    });
    expect(authorityResponse.statusCode).toBe(403);
  });

  it('tokens are stored only as hashes', async () => {
    const { rows } = await harness.db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens');
    expect(rows.length).toBeGreaterThan(0);
    const sent = own.headers.authorization.replace('Bearer ', '');
    for (const row of rows) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toContain(sent);
    }
  });
});
