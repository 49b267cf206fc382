// The pages in a real browser: Debian's Chromium driven by playwright-core, against the archive listening
// on a port with real PostgreSQL and Meilisearch. (a) An anonymous reader searches with a Russian typo,
// opens an order, follows a facet, reads the BibTeX and opens the Atom feed — with JavaScript on and off;
// (b) an outlet's member signs in, drags in the corpus's court decision, watches it being read, confirms
// the suggested authority and address, chooses an embargo, saves, finds the order on the desk, and no longer
// finds it once signed out — (c) both with JavaScript on and off;
// (d) in Russian and Kazakh no page shows an English catalogue message; axe-core finds no serious or
// critical violation on any page (the desk's too), in any language, at desktop and phone width.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUES, type Locale } from '../../server/web/i18n/messages.ts';
import { ADMIN_TOKEN } from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { corpusFolder } from '../support/documentFixtures.ts';
import { createTestApp } from '../support/testApp.ts';
import { waitUntilSearchable } from '../search/searchTestHelpers.ts';
import { fileWebFixtures, type WebFixtures } from '../web/webFixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const present = existsSync(CHROMIUM);
if (!present)
  console.warn(`browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run does)`);

const COURT_FOLDER = corpusFolder('gov-takedowns/Russia/2020/2020-04-16-roskomnadzor');
const COURT_DECISION = path.join(COURT_FOLDER.dir, '2020-04-16-roskomnadzor.pdf');

const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 740 } };

describe.skipIf(!present)('the web archive in Chromium', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let fixtures: WebFixtures;
  let browser: Browser;
  let base: string;
  let sha256: string;
  let member: TestPerson;

  /** The pages of a signed-in member of outlet A. */
  const memberPages = () => [
    '/upload',
    '/desk',
    `/desk/orders/${fixtures.publicOrder}`,
    `/desk/documents/${fixtures.documentId}/redactions`,
    // --- desk-finish ---
    `/desk/orders/${fixtures.publicOrder}/redactions`,
  ];

  const everyPage = () => [
    '/',
    '/?q=%D0%A0%D0%BE%D1%81%D0%BA%D0%BE%D0%BC%D0%BD%D0%B0%D0%B4%D0%B7%D0%BE%D1%80',
    `/orders/${fixtures.publicOrder}`,
    '/about',
    '/sign-in',
    '/no-such-page',
    '/invitations/accept',
    '/sign-in/link',
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
    // The desk's pages: an admin of outlet A is also its member.
    ...memberPages(),
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
    member = await createPerson(harness.app, {
      email: 'desk@vlast.example',
      displayName: 'Desk of Vlast',
      memberships: [{ outletId: fixtures.outletA.outlet.id, role: 'member' }],
    });
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
    // One for each format: plain text, BibTeX, CSL-JSON and RIS.
    expect(await page.locator('.copy-button').count()).toBe(javaScript ? 4 : 0);
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

  /** (b): sign in, upload the court decision, confirm the suggestions, embargo it, find it on the desk. */
  async function fileThroughTheDesk(page: Page, javaScript: boolean) {
    await page.goto(`${base}/sign-in?next=%2Fupload`);
    await page.fill('#email', member.email);
    await page.fill('#password', member.password);
    await Promise.all([page.waitForURL(/\/upload$/), page.click('main button[type="submit"]')]);
    if (javaScript) {
      // Dragged in: the page lists the file with its progress bar before sending it.
      const bytes = readFileSync(COURT_DECISION).toString('base64');
      await page.evaluate(
        ({ name, data }) => {
          const raw = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
          const dropped = new DataTransfer();
          dropped.items.add(new File([raw], name, { type: 'application/pdf' }));
          const zone = document.querySelector('.drop-zone')!;
          for (const type of ['dragover', 'drop']) {
            zone.dispatchEvent(
              new DragEvent(type, { dataTransfer: dropped, bubbles: true, cancelable: true }),
            );
          }
        },
        { name: path.basename(COURT_DECISION), data: bytes },
      );
      expect(await page.locator('.upload-progress progress').count()).toBe(1);
      expect(await page.textContent('.upload-progress')).toContain('2020-04-16-roskomnadzor.pdf');
    } else {
      await page.setInputFiles('#files', COURT_DECISION);
    }
    const [sent] = await Promise.all([
      page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/upload')),
      page.waitForURL(/\/desk\/orders\/TD-/, { timeout: 60_000 }),
      page.click('.upload-form button[type="submit"]'),
    ]);
    // With JavaScript the form goes by XMLHttpRequest (for its progress), without it as a plain form.
    expect(sent.resourceType()).toBe(javaScript ? 'xhr' : 'document');
    const id = /TD-\d{4}-\d+/.exec(page.url())![0];

    // Being read: with JavaScript the page follows the reading and reloads; without, the reader refreshes.
    const deadline = Date.now() + 90_000;
    while ((await page.locator('#authority-suggested').count()) === 0 && Date.now() < deadline) {
      if (javaScript) await page.waitForTimeout(500);
      else if ((await page.locator('.refresh a').count()) > 0) {
        await page.waitForTimeout(1000);
        await page.click('.refresh a');
      } else await page.reload();
    }
    expect(await page.locator('#authority-suggested .suggested-tag').count()).toBe(1);
    expect(await page.inputValue('#authority')).not.toBe('');
    expect(await page.inputValue('#targets')).toMatch(/^https?:\/\//);
    // The person checks every suggestion (the authority and the address among them) and confirms it.
    const confirmations = page.locator('input[name="confirm"]');
    const confirmed = await confirmations.evaluateAll((boxes) =>
      boxes.map((box) => (box as HTMLInputElement).value),
    );
    expect(confirmed).toEqual(expect.arrayContaining(['authority', 'targets']));
    for (const field of confirmed) await page.check(`#confirm-${field}`);
    await page.check('#visibility-embargoed');
    await page.fill('#embargo_on', '2099-01-01');
    await Promise.all([page.waitForURL(/\/desk\?saved=/), page.click('#order-form button[type="submit"]')]);
    expect(await page.textContent('.notice')).toContain(id);
    const card = page.locator('.desk-card', { hasText: id });
    expect(await card.count()).toBe(1);
    expect(await card.textContent()).toContain('2099');

    // Signed out, neither the desk nor the order's page is there for this browser.
    await Promise.all([page.waitForURL(`${base}/`), page.click('.signed-in button')]);
    await page.goto(`${base}/desk`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.textContent('main')).not.toContain(id);
    expect((await page.goto(`${base}/orders/${id}`))!.status()).toBe(404);
    expect(await page.textContent('body')).not.toContain(id);
  }

  it.skipIf(!COURT_FOLDER.present)(
    '(b) an outlet member files the court decision through upload and the desk',
    async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await fileThroughTheDesk(page, true);
      expect(errors).toEqual([]);
      await context.close();
    },
    180_000,
  );

  it.skipIf(!COURT_FOLDER.present)(
    '(c) the same filing with JavaScript disabled',
    async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      await fileThroughTheDesk(await context.newPage(), false);
      await context.close();
    },
    180_000,
  );

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
