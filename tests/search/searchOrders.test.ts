// Searching orders as a lawyer does: by a pasted address, by words typed without a Kazakh keyboard or
// with ё/е mixed up, by an authority's other name, with filters, sorts, facets, snippets, precedents
// and feeds — and never with caller input pasted into a filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { ordersIndexSettings, settingsDifferences } from '../../server/indexing/searchIndexes.ts';
import { get, ids, search, uploadFiles, waitUntilSearchable } from './searchTestHelpers.ts';

describe('order search', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  const filed = {} as { vlast: string; kazakh: string; yo: string };

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    const { app } = harness;
    const vlast = await createOutletWithToken(app, 'vlast-kz', ['vlast.kz']);
    const rkn = (await authorityByAlias(app, 'Роскомнадзор')).slug;
    const mior = (await authorityByAlias(app, 'МИОР')).slug;
    const publicOrder = { visibility: 'public' };

    filed.vlast = (
      await fileOrder(app, vlast.headers, {
        ...publicOrder,
        authority: rkn,
        issued_on: '2022-12-01',
        received_on: '2022-12-02',
        reference_number: '№ 04-37/1234',
        legal_basis: ['RU/149-FZ/15.3'],
        demanded_actions: ['remove'],
        summary: 'Удалить материал о ракетном ударе по Виннице',
        targets: [
          {
            url: 'https://WWW.Vlast.kz/novosti/51234-vinnica.html?utm_source=telegram',
            title: 'Vinnytsia strike',
          },
        ],
      })
    ).id;
    filed.kazakh = (
      await fileOrder(app, editor, {
        ...publicOrder,
        authority: mior,
        issued_on: '2023-03-10',
        received_on: '2023-03-15',
        legal_basis: ['KZ/MASS-MEDIA-1999/2'],
        demanded_actions: ['remove', 'correct'],
        summary: 'Қазақстан Республикасының ақпарат министрлігі талабы',
        targets: [{ url: 'https://vlast.kz/politika/777-other.html' }],
      })
    ).id;
    filed.yo = (
      await fileOrder(app, editor, {
        ...publicOrder,
        authority: rkn,
        issued_on: '2021-06-01',
        received_on: '2021-06-20',
        legal_basis: ['RU/149-FZ/15.1'],
        demanded_actions: ['block'],
        stated_reason: 'Размещённая информация о ёлке',
        targets: [{ url: 'https://example.org/a"quoted\\path' }],
      })
    ).id;
    const responded = await app.inject({
      method: 'POST',
      url: `/api/orders/${filed.vlast}/responses`,
      headers: vlast.headers,
      payload: { kind: 'refusal', responded_on: '2022-12-13', text: 'We refuse to delete the news.' },
    });
    expect(responded.statusCode).toBe(201);
    const event = await app.inject({
      method: 'POST',
      url: `/api/orders/${filed.vlast}/events`,
      headers: vlast.headers,
      payload: { kind: 'block_threatened', occurred_at: '2022-12-14', country: 'RU' },
    });
    expect(event.statusCode).toBe(201);
    await uploadFiles(app, editor, filed.kazakh, [
      {
        name: 'order',
        filename: 'talap.txt',
        content: 'Ақпарат құралдары туралы заңның талабы бойынша өшіру керек.',
      },
    ]);
    await waitUntilSearchable(harness);
  });
  afterAll(() => harness.close());

  it('holds the settings it asked for: checked after the relay created the indexes', async () => {
    const settings = await harness.meili.index(`${harness.config.MEILI_INDEX_PREFIX}orders`).getSettings();
    const wanted = ordersIndexSettings(settings.synonyms ?? {});
    expect(settingsDifferences(settings, wanted)).toEqual([]);
    expect(settings.searchableAttributes?.slice(0, 3)).toEqual([
      'public_id',
      'reference_number',
      'target_urls',
    ]);
    expect(settings.typoTolerance?.disableOnAttributes).toContain('target_urls');
    // Authority aliases became synonyms, folded like the text.
    expect(settings.synonyms?.['ркн']).toContain('роскомнадзор');
    expect(settings.synonyms?.['роскомнадзор']).toContain('roskomnadzor');
  });

  it('finds the orders targeting a pasted address, however it was written', async () => {
    for (const q of [
      'https://vlast.kz/novosti/51234-vinnica.html',
      'vlast.kz/novosti/51234-vinnica.html/?fbclid=abc',
      'HTTP://www.VLAST.kz/novosti/51234-vinnica.html#comments',
    ]) {
      const result = await search(harness.app, { q });
      expect(ids(result), q).toEqual([filed.vlast]);
      expect(result.url_match).toMatchObject({
        canonical: 'https://vlast.kz/novosti/51234-vinnica.html',
        match: 'exact',
      });
    }
    const site = await search(harness.app, { q: 'vlast.kz' });
    expect(site.url_match.match).toBe('under');
    expect(ids(site).sort()).toEqual([filed.vlast, filed.kazakh].sort());
    // url= combines with words and filters.
    const filtered = await search(harness.app, { url: 'vlast.kz', authority: 'kz-mior' });
    expect(ids(filtered)).toEqual([filed.kazakh]);
  });

  it('quotes every value it filters on: quotes and backslashes in an address are data', async () => {
    const result = await search(harness.app, { url: 'https://example.org/a"quoted\\path' });
    expect(ids(result)).toEqual([filed.yo]);
    const slugs = await search(harness.app, { authority: ['ru-roskomnadzor', 'kz-mior'] });
    expect(slugs.total).toBe(3);
    // What a schema refuses never reaches Meilisearch.
    for (const query of [
      'authority=x%22%20OR%20visibility%20%3D%20%22private',
      'country=ru',
      'status=burned',
      'legal_basis=149%20OR%201',
      'issued_from=yesterday',
      'no_such_filter=1',
    ]) {
      const response = await get(harness.app, `/api/search?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().message).toMatch(/querystring/);
    }
  });

  it('finds Kazakh words typed with Russian letters, and shows the original letters', async () => {
    for (const q of ['Казакстан', 'акпарат министрлиги', 'Қазақстан']) {
      const result = await search(harness.app, { q });
      expect(ids(result), q).toEqual([filed.kazakh]);
    }
    const result = await search(harness.app, { q: 'Казакстан' });
    expect(result.hits[0].snippet).toContain('<mark>Қазақстан</mark>');
    const pages = await search(harness.app, { q: 'куралдары' }, {}, '/api/search/pages');
    expect(pages.hits[0].snippet).toContain('<mark>құралдары</mark>');
  });

  it('treats ё and е as one letter, both ways', async () => {
    for (const q of ['размещенная', 'Размещённая', 'елке', 'ёлке']) {
      const result = await search(harness.app, { q });
      expect(ids(result), q).toEqual([filed.yo]);
    }
  });

  it('finds an authority by any of its names and forgives a typo', async () => {
    for (const q of [
      'РКН',
      'Roskomnadzor',
      'Роскомнадзр',
      'Federal Service for Supervision of Communications',
    ]) {
      const result = await search(harness.app, { q });
      expect(ids(result).sort(), q).toEqual([filed.vlast, filed.yo].sort());
    }
  });

  it('does not forgive a typo in a reference number or an order id', async () => {
    expect(ids(await search(harness.app, { q: '04-37/1234' }))).toEqual([filed.vlast]);
    expect((await search(harness.app, { q: '04-37/1235' })).total).toBe(0);
    expect(ids(await search(harness.app, { q: filed.kazakh }))).toEqual([filed.kazakh]);
  });

  it('filters by law article or whole act, action, response, event, dates and language', async () => {
    const cases: [Record<string, string | string[] | boolean>, string[]][] = [
      [{ legal_basis: 'RU/149-FZ/15.3' }, [filed.vlast]],
      [{ legal_basis: 'RU/149-FZ' }, [filed.vlast, filed.yo]],
      [{ legal_basis: ['RU/149-FZ/15.1', 'KZ/MASS-MEDIA-1999'] }, [filed.yo, filed.kazakh]],
      [{ demanded_action: 'remove' }, [filed.vlast, filed.kazakh]],
      [{ demanded_action: 'correct', country: 'KZ' }, [filed.kazakh]],
      [{ has_response: true }, [filed.vlast]],
      [{ has_response: false }, [filed.kazakh, filed.yo]],
      [{ event_kind: 'block_threatened' }, [filed.vlast]],
      [{ response_kind: 'refusal' }, [filed.vlast]],
      [{ issued_from: '2022-01-01' }, [filed.vlast, filed.kazakh]],
      [{ issued_from: '2021-06-01', issued_to: '2022-12-01' }, [filed.vlast, filed.yo]],
      // The order's outlet, or the outlet of an article it targets (vlast.kz/politika/…).
      [{ outlet: 'vlast-kz' }, [filed.vlast, filed.kazakh]],
      [{ status: 'received' }, [filed.vlast, filed.kazakh, filed.yo]],
      [{ language: 'kk' }, [filed.kazakh]],
    ];
    for (const [query, expected] of cases) {
      const result = await search(harness.app, query);
      expect(ids(result).sort(), JSON.stringify(query)).toEqual([...expected].sort());
      expect(result.total, JSON.stringify(query)).toBe(expected.length);
    }
  });

  it('sorts by issue or receipt date, and pages through results', async () => {
    expect(ids(await search(harness.app, { sort: 'issued' }))).toEqual([filed.kazakh, filed.vlast, filed.yo]);
    expect(ids(await search(harness.app, { sort: 'issued_asc' }))).toEqual([
      filed.yo,
      filed.vlast,
      filed.kazakh,
    ]);
    expect(ids(await search(harness.app, { sort: 'received' }))).toEqual([
      filed.kazakh,
      filed.vlast,
      filed.yo,
    ]);
    const second = await search(harness.app, { sort: 'issued', per_page: 2, page: 2 });
    expect(second).toMatchObject({ total: 3, total_pages: 2, page: 2 });
    expect(ids(second)).toEqual([filed.yo]);
  });

  it('counts facets over everything that matches, not just the page shown', async () => {
    const result = await search(harness.app, { per_page: 1 });
    expect(result.facets.authority).toEqual({ 'ru-roskomnadzor': 2, 'kz-mior': 1 });
    expect(result.facets.demanded_action).toEqual({ remove: 2, correct: 1, block: 1 });
    expect(result.facets.legal_act).toEqual({ 'RU/149-FZ': 2, 'KZ/MASS-MEDIA-1999': 1 });
    expect(result.facets.has_response).toEqual({ true: 1, false: 2 });
    expect(result.facets.issued_year).toEqual({ '2021': 1, '2022': 1, '2023': 1 });
  });

  it('ranks precedents by shared law article first, each with its outcome', async () => {
    const response = await get(harness.app, `/api/orders/${filed.vlast}/precedents`);
    expect(response.statusCode).toBe(200);
    const { precedents } = response.json();
    // Same act and authority (score 1 + 2) before only a shared action (score 1).
    expect(precedents.map((p: { id: string }) => p.id)).toEqual([filed.yo, filed.kazakh]);
    expect(precedents[0]).toMatchObject({
      score: 3,
      shared: { legal_basis: [], legal_acts: ['RU/149-FZ'], authority: true, demanded_actions: [] },
      outcome: { status: 'received', response_kinds: [], event_kinds: [] },
    });
    expect(precedents[1].shared.demanded_actions).toEqual(['remove']);
  });

  it('serves any search as an Atom feed, newest first', async () => {
    const feed = await get(harness.app, '/api/search.atom?legal_basis=RU/149-FZ');
    expect(feed.statusCode).toBe(200);
    const entryIds = [...feed.body.matchAll(/<id>[^<]*\/api\/orders\/(TD-[^<]+)<\/id>/g)].map((m) => m[1]);
    // Filed vlast first, then yo: newest first.
    expect(entryIds).toEqual([filed.yo, filed.vlast]);
    expect(feed.body).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/,
    );
    expect(feed.body).toContain('<category term="RU/149-FZ/15.3"/>');
  });

  it('answers 503 with a reason while the index does not exist yet', async () => {
    const fresh = await createTestApp({ ADMIN_TOKEN });
    try {
      const response = await get(fresh.app, '/api/search?q=anything');
      expect(response.statusCode).toBe(503);
      expect(response.json().message).toMatch(/being built/);
    } finally {
      await fresh.close();
    }
  });
});
