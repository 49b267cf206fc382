// Reprocessing keeps accepted redactions (issue #16's must-show): a scanned demand is read by OCR in
// English, its outlet accepts the archive's proposals and hides a name by hand, and the document is read
// again in Russian and English. Each accepted redaction is found again in the new text (its offsets hold its
// text) and stays accepted, or, where the new reading does not have its text, is flagged for a decision;
// and the public reads none of the hidden values either way.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { waitForDocument } from '../support/documentWaiting.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { scannedPdf } from '../support/pdfFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

const NAME = 'Aigerim Nurlanovna';
const DEMAND = [
  'The ministry demands removal of the article.',
  `Correspondent: ${NAME}`,
  'Phone: +7 (727) 123-45-67',
  'E-mail: aigerim.n@vlast.kz',
  'Deadline: three working days.',
].join('\n');

interface Listed {
  id: number;
  page: number;
  start: number;
  end: number;
  text: string;
  kind: string;
  state: string;
  placed: boolean;
  reason: string | null;
}

let harness: Awaited<ReturnType<typeof createTestApp>>;
let outlet: Record<string, string>;
let dir: string;
let documentId: number;

const get = (url: string, headers: Record<string, string> = {}) =>
  harness.app.inject({ method: 'GET', url, headers });

async function redactions(): Promise<Listed[]> {
  return (await get(`/api/documents/${documentId}/redactions`, outlet)).json().items;
}

async function pageText(headers: Record<string, string>): Promise<string> {
  const detail = (await get(`/api/documents/${documentId}`, headers)).json();
  return (detail.pages as { text: string }[]).map((page) => page.text).join('\n');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'reprocess-ocr-'));
  harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
  outlet = (await createOutletWithToken(harness.app, 'reprocess-outlet')).headers;
  const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  const orderId = (await fileOrder(harness.app, outlet, { authority, visibility: 'public' })).id;
  const body = multipartBody([
    {
      name: 'order',
      filename: 'scan.pdf',
      content: Buffer.from(await scannedPdf([DEMAND], dir)),
      contentType: 'application/pdf',
    },
    { name: 'ocr_languages', content: 'eng' },
  ]);
  const uploaded = await harness.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/documents`,
    headers: { ...outlet, ...body.headers },
    payload: body.payload,
  });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  documentId = uploaded.json().documents[0].id;
  expect((await waitForDocument(harness.app, documentId, editor)).status).toBe('extracted');
}, 120_000);
afterAll(async () => {
  await harness?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('reprocessing a scan with another OCR language', () => {
  it('places the accepted redactions again, or flags those it cannot', async () => {
    const text = (await get(`/api/documents/${documentId}`, outlet)).json().pages[0].text as string;
    expect(text).toContain('123-45-67');
    // The outlet accepts every proposal and hides the correspondent's name by hand.
    for (const proposal of await redactions()) {
      const decided = await harness.app.inject({
        method: 'PATCH',
        url: `/api/redactions/${proposal.id}`,
        headers: outlet,
        payload: { state: 'accepted' },
      });
      expect(decided.statusCode).toBe(200);
    }
    const nameAt = text.indexOf('Nurlanovna');
    expect(nameAt).toBeGreaterThan(0);
    const added = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${documentId}/redactions`,
      headers: outlet,
      payload: { page: 1, start: nameAt, end: nameAt + 'Nurlanovna'.length, kind: 'person-name' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const before = await redactions();
    // What OCR read of the e-mail may not look like one; the phone and the names are there.
    expect(before.map((item) => item.kind)).toEqual(expect.arrayContaining(['phone', 'person-name']));
    expect(before.every((item) => item.state === 'accepted')).toBe(true);

    const reprocess = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${documentId}/reprocess`,
      headers: outlet,
      payload: { ocr_languages: 'rus+eng' },
    });
    expect(reprocess.statusCode, reprocess.body).toBe(202);
    const read = await waitForDocument(harness.app, documentId, editor);
    expect(read.status).toBe('extracted');
    const detail = (await get(`/api/documents/${documentId}`, outlet)).json();
    expect(detail.ocr_languages).toBe('rus+eng');
    const newText = detail.pages[0].text as string;

    const after = new Map((await redactions()).map((item) => [item.id, item]));
    const outcomes: string[] = [];
    for (const earlier of before) {
      const now = after.get(earlier.id);
      expect(now, `redaction ${earlier.id} (${earlier.kind}) kept`).toBeDefined();
      if (now!.placed) {
        expect(now!.state).toBe('accepted');
        expect(newText.slice(now!.start, now!.end)).toBe(now!.text);
        outcomes.push(`${earlier.kind}: placed again`);
      } else {
        expect(now).toMatchObject({ state: 'proposed', reason: 'could not be placed after re-reading' });
        outcomes.push(`${earlier.kind}: flagged for a decision`);
      }
    }
    console.log(`after re-reading in rus+eng: ${outcomes.join(', ')}`);
    // Digits read the same in any language: the phone is found again.
    expect(outcomes).toContain('phone: placed again');

    // Placed or flagged, the public reads none of the hidden values.
    const publicText = await pageText({});
    for (const earlier of before) expect(publicText).not.toContain(earlier.text);
    expect(publicText).toContain('[redacted: phone]');
  }, 180_000);
});
