// Page-level hits: a match on page 3 of a PDF is cited as page 3, and a page longer than Meilisearch's
// 65,535 word positions per attribute is still searchable to its last word.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, editor, fileOrder } from '../support/apiClient.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';
import { createTestApp } from '../support/testApp.ts';
import { ids, search, uploadFiles, waitUntilSearchable } from './searchTestHelpers.ts';

describe('page-level search', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let pdfOrder: string;
  let longOrder: string;
  let pdfDocumentId: number;
  let filedForPlaces: { many: string; few: string };

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    const { app } = harness;
    const authority = (await authorityByAlias(app, 'Роскомнадзор')).slug;
    pdfOrder = (await fileOrder(app, editor, { authority, visibility: 'public' })).id;
    const pdf = await bornDigitalPdf([
      'Notice of the registry entry\nThe page lists the addresses concerned.',
      'Second page\nThe hosting provider shall take measures.',
      'Third page\nThe decision may be appealed within three months\nreference marmalade-hexagon',
      'Fourth page\nSignature and stamp.',
    ]);
    [{ id: pdfDocumentId }] = (await uploadFiles(app, editor, pdfOrder, [
      { name: 'order', filename: 'notice.pdf', content: pdf },
    ])) as [{ id: number }];

    // One "page" (a plain text file) of 80,000 words: past the 65,535 positions Meilisearch keeps.
    longOrder = (await fileOrder(app, editor, { authority, visibility: 'public' })).id;
    const filler = Array.from({ length: 80_000 }, (_, i) => `word${i % 997}`).join(' ');
    await uploadFiles(app, editor, longOrder, [
      { name: 'evidence', filename: 'long.txt', content: `opening zeppelin\n${filler}\nclosing xylophonist` },
    ]);
    // Two orders whose pages compete for the same few places among the best pages.
    const many = (await fileOrder(app, editor, { authority, visibility: 'public' })).id;
    const few = (await fileOrder(app, editor, { authority, visibility: 'public' })).id;
    filedForPlaces = { many, few };
    await uploadFiles(app, editor, many, [
      {
        name: 'order',
        filename: 'many.pdf',
        content: await bornDigitalPdf(
          Array.from({ length: 6 }, (_, i) => `Page ${i + 1}: lanternfish glowworm`),
        ),
      },
    ]);
    await uploadFiles(app, editor, few, [
      {
        name: 'order',
        filename: 'few.pdf',
        content: await bornDigitalPdf(
          Array.from(
            { length: 3 },
            (_, i) => `Page ${i + 1}: glowworm\n${'filler words between '.repeat(8)}\nlanternfish`,
          ),
        ),
      },
    ]);
    await waitUntilSearchable(harness);
  });
  afterAll(() => harness.close());

  it('cites a match on page 3 of a PDF as page 3, in the order hit and in page search', async () => {
    const result = await search(harness.app, { q: 'marmalade hexagon' });
    expect(ids(result)).toEqual([pdfOrder]);
    const [page] = result.hits[0].pages;
    expect(page).toMatchObject({
      document_id: pdfDocumentId,
      page: 3,
      filename: 'notice.pdf',
      file_url: `/api/documents/${pdfDocumentId}/file#page=3`,
    });
    expect(page.snippet).toContain('<mark>marmalade</mark>');

    const pages = await search(harness.app, { q: 'appealed within three months' }, {}, '/api/search/pages');
    expect(pages.total).toBe(1);
    expect(pages.hits[0]).toMatchObject({ page: 3, document_id: pdfDocumentId, order: { id: pdfOrder } });
  });

  it('lists the pages that match best for each hit, each with its own number', async () => {
    const result = await search(harness.app, { q: 'page', pages_per_hit: 4 });
    const numbers = result.hits[0].pages.map((page: { page: number }) => page.page).sort();
    expect(numbers).toEqual([1, 2, 3, 4]);
  });

  it('gives every hit its pages even when another hit’s pages rank above all of them', async () => {
    // Both orders' pages hold both words; those of `many` hold them side by side and rank first.
    const result = await search(harness.app, { q: 'lanternfish glowworm', pages_per_hit: 2 });
    expect(ids(result)).toEqual([filedForPlaces.many, filedForPlaces.few]);
    for (const hit of result.hits) expect(hit.pages, hit.id).toHaveLength(2);
    expect(result.hits[1].pages[0].snippet).toContain('<mark>lanternfish</mark>');
  });

  it('finds the last word of a page longer than Meilisearch keeps per attribute', async () => {
    for (const word of ['zeppelin', 'xylophonist']) {
      const pages = await search(harness.app, { q: word }, {}, '/api/search/pages');
      expect(pages.total, word).toBe(1);
      expect(pages.hits[0].order.id).toBe(longOrder);
    }
    const parts = await harness.meili.index(`${harness.config.MEILI_INDEX_PREFIX}pages`).getDocuments({
      filter: `order_id = ${Number((await harness.db.query('SELECT id FROM orders WHERE public_id = $1', [longOrder])).rows[0].id)}`,
      fields: ['id', 'page', 'part'],
    });
    expect(parts.results.length).toBeGreaterThan(1);
  });
});
