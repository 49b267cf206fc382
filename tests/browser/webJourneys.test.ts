// The pages in a real browser: Debian's Chromium driven by playwright-core, against the archive listening
// on a port with real PostgreSQL and Meilisearch. (a) An anonymous reader searches with a Russian typo,
// opens an order, follows a facet, reads the BibTeX and opens the Atom feed — with JavaScript on and off;
// (d) in Russian and Kazakh no page shows an English catalogue message; axe-core finds no serious or
// critical violation on any page, in any language, at desktop and phone width.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUES, type Locale } from '../../server/web/i18n/messages.ts';
import { ADMIN_TOKEN } from '../support/apiClient.ts';
import { createPerson } from '../support/accounts.ts';
import { createTestApp } from '../support/testApp.ts';
import { waitUntilSearchable } from '../search/searchTestHelpers.ts';
import { fileWebFixtures, type WebFixtures } from '../web/webFixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const present = existsSync(CHROMIUM);
if (!present)
  console.warn(`browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run does)`);

const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 740 } };

describe.skipIf(!present)('the web archive in Chromium', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let fixtures: WebFixtures;
  let browser: Browser;
  let base: string;
  let sha256: string;

  const everyPage = () => [
    '/',
    '/?q=%D0%A0%D0%BE%D1%81%D0%BA%D0%BE%D0%BC%D0%BD%D0%B0%D0%B4%D0%B7%D0%BE%D1%80',
    `/orders/${fixtures.publicOrder}`,
    '/about',
    '/sign-in',
    '/no-such-page',
    '/invitations/accept',
    '/password-reset',
    '/password-reset/request',
    '/stats',
  ];
  // --- web-account ---
  /** Pages for the signed-in, opened by outlet A's admin (their session cookie in the browser). */
  const signedInPages = () => [
    '/account',
    '/account/sessions',
    '/account/tokens',
    '/outlets/vlast-kz/people',
  ];
  let sessionCookie: { name: string; value: string };
  /** Every page, with the cookies the browser needs to open it. */
  const allPages = () => [
    ...everyPage().map((path) => ({ path, signedIn: false })),
    ...signedInPages().map((path) => ({ path, signedIn: true })),
  ];

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    fixtures = await fileWebFixtures(harness.app);
    await waitUntilSearchable(harness);
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
    sha256 = (await harness.app.inject(`/api/documents/${fixtures.documentId}`)).json().sha256;
    const admin = await createPerson(harness.app, {
      email: 'admin@vlast.example',
      displayName: 'Aigerim Admin',
      memberships: [{ outletId: fixtures.outletA.outlet.id, role: 'admin' }],
    });
    const [name, value] = admin.cookie.split('=') as [string, string];
    sessionCookie = { name, value };
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  async function searchWithATypoAndCite(page: Page, javaScript: boolean) {
    await page.goto(`${base}/?lang=ru`);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await page.fill('#q', 'Роскомнадзр');
    await Promise.all([page.waitForURL(/\?q=/), page.click('.search-form button[type="submit"]')]);
    const card = page.locator('.card', { hasText: fixtures.publicOrder });
    await expect.poll(() => card.count()).toBe(1);

    // A facet: only the refused orders.
    await Promise.all([page.waitForURL(/status=refused/), page.click('.facets a[href*="status=refused"]')]);
    expect(await page.locator('.cards > li').count()).toBe(1);
    expect(await page.locator('.active-filters').textContent()).toContain('Отказ');

    // The Atom feed of the same search.
    const feedHref = (await page.getAttribute('a.feed-link', 'href'))!;
    expect(feedHref).toContain('status=refused');
    const feed = await page.request.get(new URL(feedHref, base).toString());
    expect(feed.status()).toBe(200);
    expect(feed.headers()['content-type']).toMatch(/application\/atom\+xml/);
    expect(await feed.text()).toContain(fixtures.publicOrder);

    await Promise.all([page.waitForURL(/\/orders\//), page.click(`.card h3 a`)]);
    expect(await page.textContent('h1')).toContain('Роскомнадзор');
    const bibtex = (await page.textContent('#citation-bibtex'))!;
    expect(bibtex).toMatch(new RegExp(`^@misc\\{${fixtures.publicOrder},`));
    expect(bibtex).toContain(sha256);
    expect(await page.locator('.copy-button').count()).toBe(javaScript ? 3 : 0);
    // A page anchor a search hit links to.
    await page.goto(`${base}/orders/${fixtures.publicOrder}#page-1`);
    expect(await page.locator('#page-1').count()).toBe(1);
  }

  it('(a) an anonymous reader searches with a typo, follows a facet, opens the feed, cites the order', async () => {
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await searchWithATypoAndCite(page, true);
    await page.click('.copy-button >> nth=1');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain(sha256);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('(c) the same journey with JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await searchWithATypoAndCite(await context.newPage(), false);
    await context.close();
  });

  it.each(['ru', 'kk'] as const)('(d) in %s, no page shows an English message', async (locale) => {
    const english = new Set(
      Object.entries(CATALOGUES.en)
        .filter(([key, message]) => message !== CATALOGUES[locale][key as keyof typeof CATALOGUES.en])
        .filter(([, message]) => !message.includes('{'))
        .map(([, message]) => message.trim()),
    );
    for (const signedIn of [false, true]) {
      const context = await browser.newContext();
      if (signedIn) await context.addCookies([{ ...sessionCookie, url: base }]);
      const page = await context.newPage();
      await page.goto(`${base}/?lang=${locale}`);
      for (const { path } of allPages().filter((entry) => entry.signedIn === signedIn)) {
        await page.goto(`${base}${path}`);
        expect(await page.getAttribute('html', 'lang')).toBe(locale);
        const texts = await visibleTexts(page);
        expect(texts.length, path).toBeGreaterThan(10);
        expect(
          texts.filter((text) => english.has(text)),
          `${locale} ${path}`,
        ).toEqual([]);
      }
      await context.close();
    }
  });

  it('axe-core finds no serious or critical violation on any page, language or width', async () => {
    const found: string[] = [];
    for (const locale of ['en', 'ru', 'kk'] satisfies Locale[]) {
      for (const [width, viewport] of Object.entries(WIDTHS)) {
        const context = await browser.newContext({ bypassCSP: true, viewport });
        await context.addCookies([{ name: 'lang', value: locale, url: base }]);
        const page = await context.newPage();
        for (const { path, signedIn } of allPages()) {
          if (signedIn) await context.addCookies([{ ...sessionCookie, url: base }]);
          await page.goto(`${base}${path}`);
          expect(new URL(page.url()).pathname, path).toBe(path.split('?')[0]);
          await page.addScriptTag({ path: AXE });
          const violations = await page.evaluate(async () => {
            const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } })
              .axe;
            return (await axe.run()).violations;
          });
          for (const violation of violations) {
            if (violation.impact === 'serious' || violation.impact === 'critical') {
              found.push(
                `${locale} ${width} ${path}: ${violation.id} (${violation.help}) at ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
              );
            }
          }
        }
        await context.close();
      }
    }
    expect(found).toEqual([]);
  }, 420_000);
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The text nodes a reader sees (and the page's title), trimmed. */
function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts = [document.title.trim()];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const parent = node.parentElement;
      if (!text || !parent) continue;
      const style = window.getComputedStyle(parent);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      texts.push(text);
    }
    return texts;
  });
}
