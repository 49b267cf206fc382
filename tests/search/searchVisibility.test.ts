// Who sees what in search: a private order never reaches an anonymous caller — not as a hit, not in a
// total, not in a facet count, not in a feed, not as a page, not as a precedent; its outlet and editors
// see it; an embargo lifts by itself when its date passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { get, ids, search, uploadFiles, waitUntilSearchable } from './searchTestHelpers.ts';

describe('search visibility', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let vlast: Awaited<ReturnType<typeof createOutletWithToken>>;
  let other: Awaited<ReturnType<typeof createOutletWithToken>>;
  const filed = {} as { public: string; private: string; embargoPast: string; embargoFuture: string };

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    const { app } = harness;
    vlast = await createOutletWithToken(app, 'vlast-kz', ['vlast.kz']);
    other = await createOutletWithToken(app, 'other-outlet');
    const roskomnadzor = (await authorityByAlias(app, 'Роскомнадзор')).slug;
    const kazakhMinistry = (await authorityByAlias(app, 'МИОР')).slug;
    const common = { legal_basis: ['RU/149-FZ/15.3'], demanded_actions: ['remove'], issued_on: '2022-12-01' };
    filed.public = (
      await fileOrder(app, vlast.headers, {
        ...common,
        authority: roskomnadzor,
        visibility: 'public',
        summary: 'Demand about the quagmire report (public)',
        targets: [{ url: 'https://vlast.kz/novosti/1-public.html' }],
      })
    ).id;
    filed.private = (
      await fileOrder(app, vlast.headers, {
        ...common,
        authority: kazakhMinistry,
        visibility: 'private',
        summary: 'Demand about the quagmire report (private)',
        targets: [{ url: 'https://vlast.kz/novosti/2-private.html' }],
      })
    ).id;
    filed.embargoPast = (
      await fileOrder(app, vlast.headers, {
        ...common,
        authority: roskomnadzor,
        visibility: 'embargoed',
        embargo_until: '2020-01-01T00:00:00Z',
        summary: 'Demand about the quagmire report (embargo passed)',
      })
    ).id;
    filed.embargoFuture = (
      await fileOrder(app, vlast.headers, {
        ...common,
        authority: kazakhMinistry,
        visibility: 'embargoed',
        embargo_until: '2099-01-01T00:00:00Z',
        summary: 'Demand about the quagmire report (embargo until 2099)',
      })
    ).id;
    await uploadFiles(app, vlast.headers, filed.private, [
      { name: 'order', filename: 'private.txt', content: 'The quagmire letter, private page text.' },
    ]);
    await waitUntilSearchable(harness);
  });
  afterAll(() => harness.close());

  const visibleToAnyone = () => [filed.public, filed.embargoPast].sort();

  it('shows an anonymous caller only public orders and passed embargoes: hits and total', async () => {
    const result = await search(harness.app, { q: 'quagmire' });
    expect(ids(result).sort()).toEqual(visibleToAnyone());
    expect(result.total).toBe(2);
    const browse = await search(harness.app, {});
    expect(ids(browse).sort()).toEqual(visibleToAnyone());
    expect(browse.total).toBe(2);
  });

  it('counts no hidden order in any facet', async () => {
    const result = await search(harness.app, { q: 'quagmire' });
    // Both hidden orders are from the Kazakh ministry: it must not appear at all.
    expect(result.facets.authority).toEqual({ 'ru-roskomnadzor': 2 });
    expect(result.facets.country).toEqual({ RU: 2 });
    expect(result.facets.legal_basis).toEqual({ 'RU/149-FZ/15.3': 2 });
    expect(result.facets.status).toEqual({ received: 2 });
    const kazakh = await search(harness.app, { q: 'quagmire', country: 'KZ' });
    expect(kazakh.total).toBe(0);
    expect(kazakh.hits).toEqual([]);
    expect(kazakh.facets.country).toEqual({});
  });

  it('lets the outlet see its own hidden orders, another outlet not, an editor all', async () => {
    const own = await search(harness.app, { q: 'quagmire' }, vlast.headers);
    expect(own.total).toBe(4);
    expect(own.facets.country).toEqual({ RU: 2, KZ: 2 });
    const stranger = await search(harness.app, { q: 'quagmire' }, other.headers);
    expect(ids(stranger).sort()).toEqual(visibleToAnyone());
    expect(stranger.facets.country).toEqual({ RU: 2 });
    const everything = await search(harness.app, { q: 'quagmire' }, editor);
    expect(everything.total).toBe(4);
  });

  it('finds a hidden order by its exact address only for those who may see it', async () => {
    const url = 'https://vlast.kz/novosti/2-private.html';
    const anonymous = await search(harness.app, { q: url });
    expect(anonymous.total).toBe(0);
    expect(anonymous.hits).toEqual([]);
    const own = await search(harness.app, { q: url }, vlast.headers);
    expect(ids(own)).toEqual([filed.private]);
    expect(own.url_match.match).toBe('exact');
  });

  it('keeps the pages of a hidden order out of page search and out of hits', async () => {
    const anonymous = await search(harness.app, { q: 'quagmire letter' }, {}, '/api/search/pages');
    expect(anonymous.total).toBe(0);
    const own = await search(harness.app, { q: 'quagmire letter' }, vlast.headers, '/api/search/pages');
    expect(own.total).toBe(1);
    expect(own.hits[0].order.id).toBe(filed.private);
  });

  it('puts no hidden order in a feed, whatever token is sent', async () => {
    for (const headers of [{}, vlast.headers, editor]) {
      const feed = await get(harness.app, '/api/search.atom?q=quagmire', headers);
      expect(feed.statusCode).toBe(200);
      expect(feed.headers['content-type']).toMatch(/^application\/atom\+xml/);
      for (const id of visibleToAnyone()) expect(feed.body).toContain(id);
      expect(feed.body).not.toContain(filed.private);
      expect(feed.body).not.toContain(filed.embargoFuture);
    }
  });

  it('lists no hidden order as a precedent, and hides precedents of a hidden order', async () => {
    const anonymous = (await get(harness.app, `/api/orders/${filed.public}/precedents`)).json();
    expect(anonymous.precedents.map((p: { id: string }) => p.id)).toEqual([filed.embargoPast]);
    const own = (await get(harness.app, `/api/orders/${filed.public}/precedents`, vlast.headers)).json();
    expect(own.precedents).toHaveLength(3);
    expect((await get(harness.app, `/api/orders/${filed.private}/precedents`)).statusCode).toBe(404);
  });
});
