// Page images for the reviewer (issue #16): GET /api/documents/:id/pages/:n/image gives the outlet a PNG
// of a page of the original, at the size its rendition's page has (so a box drawn on it lands on the same
// place), rendered once and then read from the cache; nobody who reads the redacted text gets it.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngSize } from '../../ingest/renditions/pageImage.ts';
import { createPerson } from '../support/accounts.ts';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { waitForDocument } from '../support/documentWaiting.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

let harness: Awaited<ReturnType<typeof createTestApp>>;
let outlet: Record<string, string>;
let others: Record<string, Record<string, string>>;
let pdfId: number;
let textId: number;

async function upload(orderId: string, filename: string, content: Buffer, contentType: string) {
  const body = multipartBody([{ name: 'order', filename, content, contentType }]);
  const response = await harness.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/documents`,
    headers: { ...outlet, ...body.headers },
    payload: body.payload,
  });
  if (response.statusCode !== 201) throw new Error(`upload: ${response.body}`);
  const id = response.json().documents[0].id as number;
  await waitForDocument(harness.app, id, editor);
  return id;
}

const image = (id: number, page: number, headers: Record<string, string> = {}) =>
  harness.app.inject({ method: 'GET', url: `/api/documents/${id}/pages/${page}/image`, headers });

beforeAll(async () => {
  harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
  outlet = (await createOutletWithToken(harness.app, 'page-image-outlet')).headers;
  const other = await createOutletWithToken(harness.app, 'page-image-other');
  const researcher = await createPerson(harness.app, {
    email: 'researcher@page-image.example',
    researcherUntil: new Date(Date.now() + 86_400_000),
  });
  others = { anonymous: {}, otherOutlet: other.headers, researcher: researcher.headers };
  const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  const orderId = (await fileOrder(harness.app, outlet, { authority, visibility: 'public' })).id;
  const pdf = await bornDigitalPdf(['First page. Phone: +7 (727) 123-45-67', 'Second page.']);
  pdfId = await upload(orderId, 'two-pages.pdf', Buffer.from(pdf), 'application/pdf');
  textId = await upload(orderId, 'note.txt', Buffer.from('A note, tel. +7 (727) 123-45-67'), 'text/plain');
}, 120_000);
afterAll(() => harness?.close());

describe('a page of the original as an image', () => {
  it('the outlet gets each page as a PNG of its rendition’s size, rendered once', async () => {
    const first = await image(pdfId, 2, outlet);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toBe('image/png');
    expect(first.headers['cache-control']).toMatch(/^private/);
    // An A4 page at the rendition's 150 dpi, as pdftoppm rounds it (842 pt → 1754.2 px → 1755).
    expect(pngSize(first.rawPayload)).toEqual({ width: 1240, height: 1755 });
    const { rows } = await harness.db.query('SELECT sha256 FROM documents WHERE id = $1', [pdfId]);
    const cached = path.join(
      harness.config.dataDir,
      'cache/page-images/v1',
      rows[0].sha256.slice(0, 2),
      rows[0].sha256,
      '2.png',
    );
    await access(cached);
    const started = Date.now();
    const again = await image(pdfId, 2, editor);
    expect(again.statusCode).toBe(200);
    expect(Buffer.compare(again.rawPayload, first.rawPayload)).toBe(0);
    expect(Date.now() - started).toBeLessThan(1_000);
  }, 60_000);

  it.each(['anonymous', 'otherOutlet', 'researcher'])(
    '%s gets 404: it reads the redacted text',
    async (who) => {
      const answer = await image(pdfId, 1, others[who]);
      expect(answer.statusCode).toBe(404);
      expect(answer.json().code).toBe('not_found');
    },
  );

  it('a page the document lacks, and a text file, answer 404', async () => {
    expect((await image(pdfId, 3, outlet)).statusCode).toBe(404);
    const text = await image(textId, 1, outlet);
    expect(text.statusCode).toBe(404);
    expect(text.json().message).toMatch(/not a PDF or an image/);
  });
});
