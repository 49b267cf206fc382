// The redaction review in Chromium (issue #17): with JavaScript, a rectangle dragged on a PDF page's image
// fills in the box form, which hides that box and shows it over the image; without JavaScript the same
// form is typed in; and axe-core finds no serious or critical violation on the review pages (a PDF's, with
// its box form, and the order's own texts') and on the tokens page with its outlet token form, in any
// language.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { waitForDocument } from '../support/documentWaiting.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

const CHROMIUM = '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const present = existsSync(CHROMIUM);

interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

describe.skipIf(!present)('drawing boxes on the redaction review, in Chromium', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base: string;
  let member: TestPerson;
  let orderId: string;
  let pdfId: number;

  const areas = async () =>
    (
      (
        await harness.app.inject({
          url: `/api/documents/${pdfId}/redactions?limit=500`,
          headers: member.headers,
        })
      ).json().items as { area: Area | null }[]
    )
      .map((redaction) => redaction.area)
      .filter((area): area is Area => area !== null);

  async function signedIn(javaScriptEnabled: boolean): Promise<BrowserContext> {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
    const [name, value] = member.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: base }]);
    return context;
  }

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
    const outlet = await createOutletWithToken(harness.app, 'boxes-outlet');
    member = await createPerson(harness.app, {
      email: 'boxes@boxes.example',
      // An admin: the tokens page then offers the outlet's own token too (checked by axe below).
      memberships: [{ outletId: outlet.outlet.id, role: 'admin' }],
    });
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    orderId = (
      await fileOrder(harness.app, outlet.headers, {
        authority,
        visibility: 'private',
        summary: 'Call +7 701 555 44 33 about it',
      })
    ).id;
    const body = multipartBody([
      {
        name: 'order',
        filename: 'scan.pdf',
        content: Buffer.from(await bornDigitalPdf(['The ministry demands removal.\nSigned: the minister'])),
        contentType: 'application/pdf',
      },
    ]);
    const answer = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${orderId}/documents`,
      headers: { ...outlet.headers, ...body.headers },
      payload: body.payload,
    });
    pdfId = answer.json().documents[0].id;
    await waitForDocument(harness.app, pdfId, outlet.headers);
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('with JavaScript, a rectangle dragged on the page image fills in the form that hides it', async () => {
    const context = await signedIn(true);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/desk/documents/${pdfId}/redactions`);
    const image = page.locator('.page-figure[data-page="1"] img');
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await image.scrollIntoViewIfNeeded();
    const box = (await image.boundingBox())!;
    // From 20% / 50% of the image to 70% / 60%.
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.55, { steps: 5 });
    expect(await page.locator('.drawn-box').count()).toBe(1);
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6, { steps: 5 });
    await page.mouse.up();
    const typed = async (field: string) => Number(await page.inputValue(`#area-${field}`));
    expect(await page.inputValue('#area-page')).toBe('1');
    expect(await typed('x')).toBeCloseTo(20, 0);
    expect(await typed('y')).toBeCloseTo(50, 0);
    expect(await typed('width')).toBeCloseTo(50, 0);
    expect(await typed('height')).toBeCloseTo(10, 0);
    expect(await page.textContent('.area-drawn')).toContain('page 1');
    // The button that hides it is where the reader is now.
    expect(await page.evaluate(() => document.activeElement?.closest('form')?.id)).toBe('area-form');

    await Promise.all([
      page.waitForURL(/redactions#page-1$/),
      page.click('#area-form button[type="submit"]'),
    ]);
    const [area] = await areas();
    expect(area!.x).toBeCloseTo(0.2, 2);
    expect(area!.width).toBeCloseTo(0.5, 2);
    expect(await page.locator('#page-1 .area-overlay rect').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('with JavaScript, text selected in one of the order’s own texts fills in the form that hides it', async () => {
    const context = await signedIn(true);
    const page = await context.newPage();
    await page.goto(`${base}/desk/orders/${orderId}/redactions`);
    await page.selectOption('#field-field', 'stated_reason');
    await page.evaluate(() => {
      const text = document.querySelector('#field-summary .review-text')!.firstChild!;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, 4);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    });
    expect(await page.inputValue('#field-text')).toBe('Call');
    expect(await page.inputValue('#field-field')).toBe('summary');
    await context.close();
  });

  it('without JavaScript, the same form is typed in', async () => {
    const context = await signedIn(false);
    const page = await context.newPage();
    await page.goto(`${base}/desk/documents/${pdfId}/redactions`);
    const before = (await areas()).length;
    await page.selectOption('#area-page', '1');
    await page.fill('#area-x', '5');
    await page.fill('#area-y', '5');
    await page.fill('#area-width', '30');
    await page.fill('#area-height', '4');
    await Promise.all([
      page.waitForURL(/redactions#page-1$/),
      page.click('#area-form button[type="submit"]'),
    ]);
    expect(await areas()).toHaveLength(before + 1);
    expect(await page.locator('#page-1 .area-overlay rect').count()).toBe(before + 1);
    // Removed with its button.
    const item = page.locator('.redaction-item', { hasText: '5% from the left' });
    await Promise.all([
      page.waitForURL(/redactions#page-1$/),
      item.locator('form[action$="/remove"] button').click(),
    ]);
    expect(await areas()).toHaveLength(before);
    await context.close();
  }, 120_000);

  it('axe-core finds no serious or critical violation on the review and token pages, in any language', async () => {
    const found: string[] = [];
    for (const locale of ['en', 'ru', 'kk']) {
      const context = await browser.newContext({ bypassCSP: true });
      const [name, value] = member.cookie.split('=') as [string, string];
      await context.addCookies([
        { name, value, url: base },
        { name: 'lang', value: locale, url: base },
      ]);
      const page = await context.newPage();
      const paths = [
        `/desk/documents/${pdfId}/redactions`,
        `/desk/orders/${orderId}/redactions`,
        '/account/tokens',
      ];
      for (const path of paths) {
        await page.goto(`${base}${path}`);
        expect(await page.getAttribute('html', 'lang')).toBe(locale);
        await page.addScriptTag({ path: AXE });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: {
                run(): Promise<{
                  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
                }>;
              };
            }
          ).axe;
          return (await axe.run()).violations;
        });
        for (const violation of violations) {
          if (violation.impact === 'serious' || violation.impact === 'critical')
            found.push(
              `${locale} ${path}: ${violation.id} at ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
            );
        }
      }
      await context.close();
    }
    expect(found).toEqual([]);
  }, 120_000);
});
