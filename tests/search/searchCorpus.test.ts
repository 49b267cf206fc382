// Search on real notices: GitHub's gov-takedowns (../shared/corpus), loaded through the API as an outlet
// would — an order per notice, its targeted URLs, the .md file uploaded and extracted. Every query below
// is derived from the files at run time; no corpus text is copied into the project.
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORITY_CATALOG } from '../../domain/authorityCatalog.ts';
import { canonicalizeUrl } from '../../domain/canonicalUrl.ts';
import { ADMIN_TOKEN, editor, fileOrder } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { search, uploadFiles, waitUntilSearchable } from './searchTestHelpers.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/gov-takedowns', import.meta.url));
const present = existsSync(CORPUS);
if (!present) console.warn(`searchCorpus.test.ts skipped: no corpus at ${CORPUS}`);

// Each country's notices are filed under one issuing body (Russia's are Roskomnadzor's, seeded).
const COUNTRIES: Record<string, { code: string; authority: string }> = {
  Russia: { code: 'RU', authority: 'ru-roskomnadzor' },
  China: { code: 'CN', authority: 'cn-government' },
  'Hong Kong': { code: 'HK', authority: 'hk-police' },
  Singapore: { code: 'SG', authority: 'sg-cert' },
  Spain: { code: 'ES', authority: 'es-guardia-civil' },
};
// Spain's notices are filed private: they must stay out of everything an anonymous caller gets.
const PRIVATE_COUNTRY = 'ES';

interface Notice {
  file: string;
  country: string;
  text: string;
  issuedOn: string;
  targets: string[];
  orderId?: string;
}

/** The addresses a notice targets: every web address in it but the issuing body's own sites. */
function targetsOf(text: string): string[] {
  const canonical = new Set<string>();
  for (const [raw] of text.matchAll(/https?:\/\/[^\s<>"'«»)\]]+/g)) {
    const trimmed = raw.replace(/[.,;:]+$/, '');
    try {
      const url = canonicalizeUrl(trimmed);
      if (!/(^|\.)(rkn\.gov\.ru|gov\.ru)$/.test(url.host)) canonical.add(url.canonical);
    } catch {
      // Not an address the archive can record: leave it in the text.
    }
  }
  return [...canonical].slice(0, 200);
}

async function readNotices(): Promise<Notice[]> {
  const notices: Notice[] = [];
  for (const country of Object.keys(COUNTRIES)) {
    const dir = path.join(CORPUS, country);
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const text = await readFile(file, 'utf8');
      const issuedOn = /^(\d{4}-\d{2}-\d{2})/.exec(entry.name)?.[1];
      if (!issuedOn) continue;
      notices.push({ file, country: COUNTRIES[country]!.code, text, issuedOn, targets: targetsOf(text) });
    }
  }
  return notices.sort((a, b) => a.file.localeCompare(b.file));
}

const wordsOf = (text: string) => new Set(text.toLowerCase().match(/[а-яё]{7,}/g) ?? []);
const latinRuns = (text: string) =>
  text.replace(/https?:\/\/\S+/g, ' ').match(/[A-Za-z]{3,}(\s+[A-Za-z]{3,}){3,}/g) ?? [];

describe.skipIf(!present)('search on the real gov-takedowns notices', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let notices: Notice[];
  const visible = () => notices.filter((notice) => notice.country !== PRIVATE_COUNTRY);
  const countBy = (list: Notice[], key: (notice: Notice) => string) =>
    list.reduce<Record<string, number>>((counts, notice) => {
      counts[key(notice)] = (counts[key(notice)] ?? 0) + 1;
      return counts;
    }, {});

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    const { app } = harness;
    for (const [name, { code, authority }] of Object.entries(COUNTRIES)) {
      if (authority === 'ru-roskomnadzor') continue;
      const created = await app.inject({
        method: 'POST',
        url: '/api/authorities',
        headers: editor,
        payload: { slug: authority, name: `${name} authority`, country: code, kind: 'agency' },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    notices = await readNotices();
    for (const notice of notices) {
      const country = Object.values(COUNTRIES).find((entry) => entry.code === notice.country)!;
      notice.orderId = (
        await fileOrder(app, editor, {
          authority: country.authority,
          issued_on: notice.issuedOn,
          visibility: notice.country === PRIVATE_COUNTRY ? 'private' : 'public',
          demanded_actions: ['restrict_access'],
          targets: notice.targets.map((url) => ({ url })),
        })
      ).id;
      await uploadFiles(app, editor, notice.orderId, [
        {
          name: 'order',
          filename: path.basename(notice.file),
          content: notice.text,
          contentType: 'text/markdown',
        },
      ]);
    }
    await waitUntilSearchable(harness, 300_000);
  }, 600_000);
  afterAll(() => harness.close());

  it('loaded every notice, extracted', async () => {
    expect(notices.length).toBeGreaterThan(50);
    const { rows } = await harness.db.query(
      `SELECT status, count(*)::int AS n FROM documents GROUP BY status`,
    );
    expect(rows).toEqual([{ status: 'extracted', n: notices.length }]);
  });

  it('returns the notice that targets a pasted URL first', async () => {
    const targetedOnce = visible().flatMap((notice) =>
      notice.targets
        .filter((url) => notices.filter((other) => other.targets.includes(url)).length === 1)
        .map((url) => ({ url, notice })),
    );
    expect(targetedOnce.length).toBeGreaterThan(10);
    // A spread of them, each pasted as people paste: without the scheme and with a tracking parameter.
    const sample = targetedOnce.filter((_, index) => index % Math.ceil(targetedOnce.length / 8) === 0);
    for (const { url, notice } of sample) {
      const pasted = `${url.replace(/^https:\/\//, '')}${url.includes('?') ? '&' : '?'}utm_source=telegram`;
      for (const q of [url, pasted]) {
        const result = await search(harness.app, { q });
        expect(result.hits[0]?.id, `${q} → ${path.basename(notice.file)}`).toBe(notice.orderId);
        expect(result.url_match.match).toBe('exact');
      }
    }
  });

  it('finds Roskomnadzor notices despite a typo in its name («Роскомнадзр»)', async () => {
    const russian = visible().filter((notice) => notice.country === 'RU');
    const result = await search(harness.app, { q: 'Роскомнадзр', per_page: 100 });
    expect(result.total).toBe(russian.length);
    expect(result.hits.map((hit: { id: string }) => hit.id).sort()).toEqual(
      russian.map((notice) => notice.orderId).sort(),
    );
  });

  it('finds a notice by a word of its own typed with ё instead of е', async () => {
    // Words of 7+ letters with an е that only one notice uses.
    const owners = new Map<string, Notice[]>();
    for (const notice of notices) {
      for (const word of wordsOf(notice.text)) owners.set(word, [...(owners.get(word) ?? []), notice]);
    }
    const unique = [...owners]
      .filter(([word, list]) => list.length === 1 && word.includes('е') && list[0]!.country === 'RU')
      .slice(0, 5);
    expect(unique.length).toBeGreaterThan(0);
    for (const [word, [notice]] of unique) {
      const withYo = word.replace('е', 'ё');
      const result = await search(harness.app, { q: withYo });
      expect(result.hits[0]?.id, `${withYo} → ${path.basename(notice!.file)}`).toBe(notice!.orderId);
      const pages = await search(harness.app, { q: withYo }, {}, '/api/search/pages');
      expect(pages.hits[0]?.order.id).toBe(notice!.orderId);
      expect(pages.hits[0]?.snippet).toMatch(/<mark>/);
    }
  });

  it('finds a Russian-only notice with an English query', async () => {
    const russianOnly = visible().filter(
      (notice) => notice.country === 'RU' && latinRuns(notice.text).length === 0,
    );
    expect(russianOnly.length).toBeGreaterThan(0);
    const orders = await search(harness.app, { q: 'Roskomnadzor', per_page: 100 });
    for (const notice of russianOnly) {
      expect(
        orders.hits.map((hit: { id: string }) => hit.id),
        path.basename(notice.file),
      ).toContain(notice.orderId);
    }
    // The pages index has no authority field: a page is found by its own Russian text, through the
    // authority's names as synonyms — for the notices that name the body in Russian.
    const russianName = AUTHORITY_CATALOG.find((entry) => entry.slug === 'ru-roskomnadzor')!
      .localName.toLowerCase()
      .split(' ')
      .slice(0, 4)
      .join(' ');
    const naming = russianOnly.filter((notice) => notice.text.toLowerCase().includes(russianName));
    expect(naming.length).toBeGreaterThan(0);
    const pages = await search(harness.app, { q: 'Roskomnadzor', per_page: 100 }, {}, '/api/search/pages');
    for (const notice of naming) {
      expect(
        pages.hits.map((hit: { order: { id: string } }) => hit.order.id),
        path.basename(notice.file),
      ).toContain(notice.orderId);
    }
  });

  it('counts facets right, for an anonymous caller and for an editor', async () => {
    const anonymous = await search(harness.app, {});
    expect(anonymous.total).toBe(visible().length);
    expect(anonymous.facets.country).toEqual(countBy(visible(), (notice) => notice.country));
    expect(anonymous.facets.issued_year).toEqual(countBy(visible(), (notice) => notice.issuedOn.slice(0, 4)));
    expect(anonymous.facets.demanded_action).toEqual({ restrict_access: visible().length });
    expect(anonymous.facets.authority[COUNTRIES.Spain!.authority]).toBeUndefined();

    const everything = await search(harness.app, {}, editor);
    expect(everything.total).toBe(notices.length);
    expect(everything.facets.country).toEqual(countBy(notices, (notice) => notice.country));

    // Facets of a filtered search count within the filter.
    const year = visible()[0]!.issuedOn.slice(0, 4);
    const filtered = await search(harness.app, { issued_from: `${year}-01-01`, issued_to: `${year}-12-31` });
    const inYear = visible().filter((notice) => notice.issuedOn.startsWith(year));
    expect(filtered.total).toBe(inYear.length);
    expect(filtered.facets.country).toEqual(countBy(inYear, (notice) => notice.country));
  });
});
