// Wrong input gets a 4xx naming what is wrong, never a 500; unknown ids 404; an update without If-Match
// 428, a stale one 412.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, editor } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

describe('orders refuse bad input clearly', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let authority: string;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  });
  afterAll(() => harness.close());

  const post = (payload: unknown) =>
    harness.app.inject({ method: 'POST', url: '/api/orders', headers: editor, payload: payload as object });

  it.each([
    ['an unknown authority', () => ({ authority: 'no-such-body' }), /authority.*no-such-body/],
    ['a bad date', () => ({ authority, issued_on: '2022-13-45' }), /issued_on/],
    ['a bad status', () => ({ authority, status: 'ignored' }), /status.*received, complied/],
    ['a bad demanded action', () => ({ authority, demanded_actions: ['nuke'] }), /demanded_actions\/0/],
    ['a wrong type', () => ({ authority, legal_basis: 'RU/149-FZ' }), /legal_basis/],
    ['a malformed citation', () => ({ authority, legal_basis: ['149-FZ art 15'] }), /legal_basis\/0/],
    ['an unknown field', () => ({ authority, colour: 'red' }), /colour|additional/],
    ['an embargo without a date', () => ({ authority, visibility: 'embargoed' }), /embargo_until/],
    [
      'a target that is not a URL',
      () => ({ authority, targets: [{ url: 'not a url at all' }] }),
      /targets\/0\/url/,
    ],
  ])('%s → 400 naming the field', async (_name, payload, message) => {
    const response = await post(payload());
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toMatch(message);
  });

  it('a 10 MB JSON body → 413 with a message, and the server goes on answering', async () => {
    const huge = JSON.stringify({ authority, summary: 'x'.repeat(10 * 1024 * 1024) });
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { ...editor, 'content-type': 'application/json' },
      payload: huge,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toMatch(/too large/i);
    expect((await harness.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('malformed JSON → 400', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { ...editor, 'content-type': 'application/json' },
      payload: '{"authority": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBeTruthy();
  });

  it('an unknown or malformed id → 404 or 400', async () => {
    expect((await harness.app.inject({ method: 'GET', url: '/api/orders/TD-2020-99999' })).statusCode).toBe(
      404,
    );
    const bad = await harness.app.inject({ method: 'GET', url: '/api/orders/robert' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/params\/id/);
  });

  it('a stale update → 412, one without If-Match → 428, a current one → 200 with the next version', async () => {
    const filed = await post({ authority });
    const created = filed.json();
    const first = await harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${created.id}`,
      headers: { ...editor, 'if-match': filed.headers.etag as string },
      payload: { status: 'refused' },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'refused', version: created.version + 1 });
    expect(first.headers.etag).not.toBe(filed.headers.etag);
    const stale = await harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${created.id}`,
      headers: { ...editor, 'if-match': filed.headers.etag as string },
      payload: { status: 'complied' },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().message).toMatch(/changed since you read it/);
    expect(stale.json().code).toBe('order_changed');
    const missing = await harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${created.id}`,
      headers: editor,
      payload: { status: 'complied' },
    });
    expect(missing.statusCode).toBe(428);
    expect(missing.json().message).toMatch(/if-match/i);
    expect(missing.json().code).toBe('if_match_required');
    const after = await harness.app.inject({
      method: 'GET',
      url: `/api/orders/${created.id}`,
      headers: editor,
    });
    expect(after.json().status).toBe('refused');
  });

  it('the ETag changes when a target, a response or an event is added, and a PATCH with the old one → 412', async () => {
    const filed = await post({ authority });
    const id = filed.json().id;
    const read = async () => {
      const response = await harness.app.inject({ url: `/api/orders/${id}`, headers: editor });
      return { tag: response.headers.etag as string, version: response.json().version };
    };
    const original = await read();
    expect(original.tag).toBe(filed.headers.etag);
    const tags = [original.tag];
    for (const [path, payload] of [
      ['targets', { url: 'https://etag.example/story' }],
      ['responses', { kind: 'refusal', responded_on: '2024-03-01' }],
      ['events', { kind: 'block_threatened', occurred_at: '2024-03-02T10:00:00Z', country: 'RU' }],
    ] as const) {
      const added = await harness.app.inject({
        method: 'POST',
        url: `/api/orders/${id}/${path}`,
        headers: editor,
        payload,
      });
      expect(added.statusCode, added.body).toBe(201);
      const now = await read();
      expect(now.version, path).toBe(original.version);
      expect(tags, path).not.toContain(now.tag);
      tags.push(now.tag);
    }
    const stale = await harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${id}`,
      headers: { ...editor, 'if-match': original.tag },
      payload: { status: 'refused' },
    });
    expect(stale.statusCode, stale.body).toBe(412);
    expect(stale.json().code).toBe('order_changed');
    const weak = await harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${id}`,
      headers: { ...editor, 'if-match': `W/${tags.at(-1)}` },
      payload: { status: 'refused' },
    });
    expect(weak.statusCode, 'a weak tag never matches If-Match').toBe(412);
    const current = await harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${id}`,
      headers: { ...editor, 'if-match': tags.at(-1)! },
      payload: { status: 'refused' },
    });
    expect(current.statusCode, current.body).toBe(200);
    expect(current.headers.etag).toBe((await read()).tag);
    const any = await harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${id}`,
      headers: { ...editor, 'if-match': '*' },
      payload: { status: 'complied' },
    });
    expect(any.statusCode, any.body).toBe(200);
  });

  it('a failed creation leaves no order, no audit record and no used-up public id', async () => {
    const before = await harness.db.query('SELECT count(*)::int AS n FROM audit_log');
    const response = await post({
      authority,
      targets: [{ url: 'https://ok.example/a' }, { url: 'ftp://nope' }],
    });
    expect(response.statusCode).toBe(400);
    const after = await harness.db.query('SELECT count(*)::int AS n FROM audit_log');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const next = (await post({ authority })).json();
    const previous = (
      await harness.db.query(`SELECT max(public_id) AS id FROM orders WHERE public_id <> $1`, [next.id])
    ).rows[0].id;
    expect(Number(next.id.split('-')[2])).toBe(Number(previous.split('-')[2]) + 1);
  });
});
