// Listing documents: after a bulk ingest an outlet asks which of its files failed and why, page by page,
// and never sees the documents of an order hidden from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { multipartBody, type Part } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';
import { waitForDocument } from '../support/documentWaiting.ts';

interface Listed {
  id: number;
  order_id: string;
  status: string;
  status_reason: string | null;
  role: string;
  original_filename: string | null;
}

describe('document list', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let vlast: Awaited<ReturnType<typeof createOutletWithToken>>;
  let kloop: Awaited<ReturnType<typeof createOutletWithToken>>;
  const ids: Record<string, number> = {};
  let vlastPrivate: string;

  const upload = async (orderId: string, headers: Record<string, string>, parts: Part[]) => {
    const body = multipartBody(parts);
    const response = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${orderId}/documents`,
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
    if (response.statusCode !== 201) throw new Error(`upload: ${response.body}`);
    return response.json().documents as Listed[];
  };

  const list = async (query: string, headers: Record<string, string> = {}) => {
    const response = await harness.app.inject({ method: 'GET', url: `/api/documents${query}`, headers });
    return { status: response.statusCode, body: response.json() };
  };

  /** Every page of a listing, following next_cursor. */
  const listAll = async (query: string, headers: Record<string, string>) => {
    const items: Listed[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const { status, body } = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`, headers);
      expect(status, JSON.stringify(body)).toBe(200);
      items.push(...body.items);
      cursor = body.next_cursor;
      if (!cursor) return items;
    }
    throw new Error('the listing never ended');
  };

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
    vlast = await createOutletWithToken(harness.app, 'vlast-kz');
    kloop = await createOutletWithToken(harness.app, 'kloop-kg');
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    vlastPrivate = (await fileOrder(harness.app, vlast.headers, { authority, visibility: 'private' })).id;
    const vlastPublic = (await fileOrder(harness.app, vlast.headers, { authority, visibility: 'public' })).id;
    const kloopPrivate = (await fileOrder(harness.app, kloop.headers, { authority, visibility: 'private' }))
      .id;
    const broken = Buffer.concat([
      Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog'),
      Buffer.alloc(300, 0x41),
    ]);
    const [good, bad] = await upload(vlastPrivate, vlast.headers, [
      { name: 'order', filename: 'demand.txt', content: 'Предписание Роскомнадзора № 1' },
      { name: 'evidence', filename: 'broken.pdf', content: broken },
    ]);
    const [published] = await upload(vlastPublic, vlast.headers, [
      { name: 'order', filename: 'public.txt', content: 'Требование удалить материал' },
    ]);
    const [hidden] = await upload(kloopPrivate, kloop.headers, [
      { name: 'order', filename: 'kloop-secret.pdf', content: broken },
    ]);
    Object.assign(ids, { good: good!.id, bad: bad!.id, published: published!.id, hidden: hidden!.id });
    for (const [id, headers] of [
      [ids.good, vlast.headers],
      [ids.bad, vlast.headers],
      [ids.published, vlast.headers],
      [ids.hidden, kloop.headers],
    ] as const) {
      await waitForDocument(harness.app, id!, headers);
    }
  });
  afterAll(() => harness.close());

  it('lists the failed files of an outlet with their reasons, and none of another outlet’s hidden order', async () => {
    const failed = await listAll('?status=failed&limit=10', vlast.headers);
    expect(failed.map((d) => d.id)).toEqual([ids.bad]);
    expect(failed[0]).toMatchObject({
      order_id: vlastPrivate,
      role: 'evidence',
      original_filename: 'broken.pdf',
    });
    expect(failed[0]!.status_reason).toMatch(/PDF/);
    // kloop's broken file failed too, but its order is private to kloop.
    const kloopFailed = await listAll('?status=failed', kloop.headers);
    expect(kloopFailed.map((d) => d.id)).toEqual([ids.hidden]);
    const everyFailure = await listAll('?status=failed', editor);
    expect(everyFailure.map((d) => d.id)).toEqual([ids.hidden, ids.bad]);
  });

  it('shows an anonymous caller only documents of public orders', async () => {
    const seen = await listAll('?limit=100', {});
    expect(seen.map((d) => d.id)).toEqual([ids.published]);
  });

  it('pages through everything newest first, each document once', async () => {
    const all = await listAll('?limit=1', editor);
    expect(all.map((d) => d.id)).toEqual([ids.hidden, ids.published, ids.bad, ids.good]);
    const first = await list('?limit=2', editor);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next_cursor).toBe(String(ids.published));
  });

  it('narrows to one order and one role', async () => {
    const ofOrder = await listAll(`?order=${vlastPrivate}`, vlast.headers);
    expect(ofOrder.map((d) => d.id)).toEqual([ids.bad, ids.good]);
    const evidence = await listAll(`?order=${vlastPrivate}&role=evidence`, vlast.headers);
    expect(evidence.map((d) => d.id)).toEqual([ids.bad]);
    // Another outlet asking for that order by name learns nothing: the list is simply empty.
    expect((await list(`?order=${vlastPrivate}`, kloop.headers)).body).toEqual({
      items: [],
      next_cursor: null,
    });
  });

  it('answers a wrong filter with a 400 that names it', async () => {
    for (const [query, message] of [
      ['?status=broken', /querystring\/status/],
      ['?role=demand', /querystring\/role/],
      ['?limit=0', /querystring\/limit/],
      ['?limit=101', /querystring\/limit/],
      ['?cursor=abc', /querystring\/cursor/],
      ['?order=42x', /querystring\/order/],
      ['?sort=size', /sort/],
    ] as const) {
      const { status, body } = await list(query, editor);
      expect(status, query).toBe(400);
      expect(body.message, query).toMatch(message);
    }
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await harness.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const route = spec.paths['/api/documents']?.get;
    expect(route?.summary).toMatch(/documents/i);
    expect(route.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['status', 'order', 'role', 'limit', 'cursor']),
    );
  });
});
