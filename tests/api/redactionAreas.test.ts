// Drawing a box on a scan (issue #16): the outlet adds a redaction that is an area of a page's image (in
// fractions of its size, as GET /api/documents/:id/pages/:n/image shows it) with no span of the text; it
// is audited, the rendition paints it black where it was drawn, and a re-reading keeps it where it is.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inkAt, renderPdfPage, type Raster } from '../../ingest/renditions/pageRaster.ts';
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

/** A stamp's place on the page: a box in its lower half, where the text does not reach. */
const AREA = { x: 0.2, y: 0.6, width: 0.4, height: 0.1 };

let harness: Awaited<ReturnType<typeof createTestApp>>;
let outlet: Record<string, string>;
let orderId: string;
let pdfId: number;
let textId: number;
let dir: string;

async function upload(filename: string, content: Buffer, contentType: string): Promise<number> {
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

const addRedaction = (documentId: number, payload: object) =>
  harness.app.inject({
    method: 'POST',
    url: `/api/documents/${documentId}/redactions`,
    headers: outlet,
    payload,
  });

async function waitForRendition(documentId: number, timeoutMs = 90_000): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await harness.db.query('SELECT rendition_status FROM documents WHERE id = $1', [
      documentId,
    ]);
    const status = rows[0].rendition_status as string | null;
    if (status !== 'pending' || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The mean darkness (0 white … 255 black) inside a box given in fractions of the raster. */
function meanInk(raster: Raster, box: typeof AREA): number {
  const left = Math.ceil(box.x * raster.width);
  const right = Math.floor((box.x + box.width) * raster.width);
  const top = Math.ceil(box.y * raster.height);
  const bottom = Math.floor((box.y + box.height) * raster.height);
  let sum = 0;
  for (let y = top; y < bottom; y++) for (let x = left; x < right; x++) sum += inkAt(raster, x, y);
  return sum / ((right - left) * (bottom - top));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'redaction-areas-'));
  harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
  outlet = (await createOutletWithToken(harness.app, 'area-outlet')).headers;
  const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  orderId = (await fileOrder(harness.app, outlet, { authority, visibility: 'private' })).id;
  pdfId = await upload(
    'scan.pdf',
    Buffer.from(await bornDigitalPdf(['The ministry demands removal.'])),
    'application/pdf',
  );
  textId = await upload('note.txt', Buffer.from('A plain note'), 'text/plain');
}, 120_000);
afterAll(async () => {
  await harness?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a box drawn on a scan', () => {
  it('is accepted at once, audited, and burned into the rendition where it was drawn', async () => {
    const added = await addRedaction(pdfId, { page: 1, area: AREA, kind: 'other', reason: 'a stamp' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      page: 1,
      area: AREA,
      start: null,
      end: null,
      text: null,
      state: 'accepted',
      source: 'person',
    });
    const { rows: audit } = await harness.db.query(
      `SELECT after FROM audit_log WHERE action = 'redaction.add' AND record_id = $1`,
      [String(added.json().id)],
    );
    expect(audit[0].after).toMatchObject({ page: 1, area: AREA });
    const listed = await harness.app.inject({
      method: 'GET',
      url: `/api/documents/${pdfId}/redactions`,
      headers: outlet,
    });
    expect(listed.json().items.map((item: { area: unknown }) => item.area)).toContainEqual(AREA);

    expect(await waitForRendition(pdfId)).toBe('made');
    const rendition = await harness.app.inject({
      method: 'GET',
      url: `/api/documents/${pdfId}/rendition`,
      headers: outlet,
    });
    expect(rendition.statusCode).toBe(200);
    const file = path.join(dir, 'rendition.pdf');
    await writeFile(file, rendition.rawPayload);
    const raster = await renderPdfPage(file, 1, {
      dpi: 72,
      colour: false,
      scratchDir: dir,
      timeoutMs: 30_000,
      maxPixels: 10_000_000,
    });
    expect(meanInk(raster, AREA)).toBeGreaterThan(250);
    // Beside it the page is white.
    expect(meanInk(raster, { ...AREA, y: 0.8 })).toBeLessThan(5);

    // A re-reading keeps the area where it was drawn.
    const reprocess = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${pdfId}/reprocess`,
      headers: outlet,
    });
    expect(reprocess.statusCode).toBe(202);
    await waitForDocument(harness.app, pdfId, editor);
    const again = await harness.app.inject({
      method: 'GET',
      url: `/api/documents/${pdfId}/redactions`,
      headers: outlet,
    });
    expect(again.json().items).toContainEqual(
      expect.objectContaining({ id: added.json().id, area: AREA, state: 'accepted', placed: true }),
    );
  }, 180_000);

  it.each([
    ['an area and a span', { page: 1, area: AREA, start: 0, end: 3, kind: 'other' }, /not both/],
    ['neither', { page: 1, kind: 'other' }, /start and end/],
    ['an area past the page', { page: 1, area: { ...AREA, x: 0.8 }, kind: 'other' }, /past the page/],
    ['an area on a page the PDF lacks', { page: 2, area: AREA, kind: 'other' }, /no page 2/],
    ['an area wider than the page', { page: 1, area: { ...AREA, width: 1.5 }, kind: 'other' }, /area/],
  ])('%s answers 400', async (_name, payload, message) => {
    const answer = await addRedaction(pdfId, payload);
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('invalid_input');
    expect(answer.json().message).toMatch(message);
  });

  it('a text file has no page image to draw on', async () => {
    const answer = await addRedaction(textId, { page: 1, area: AREA, kind: 'other' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().message).toMatch(/not a PDF or an image/);
  });
});
