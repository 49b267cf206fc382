// The public download is the redacted rendition (issue #16): a caller who may not have a PDF's original
// asks for its file and is told to wait while the archive makes the rendition, then is sent to it; its
// sha256 is the rendition's own, which the document's answer names. The outlet gets the original. A text
// file has no public file; a rendition that cannot be served says why; a new reading forgets the rendition.
import { createHash } from 'node:crypto';
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
import { bornDigitalPdf } from '../support/pdfFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

const DEMAND = [
  'The ministry demands removal of the article.',
  'Correspondent phone: +7 (727) 123-45-67',
  'E-mail: aigerim.n@vlast.kz',
].join('\n');

let harness: Awaited<ReturnType<typeof createTestApp>>;
let outlet: Record<string, string>;
let orderId: string;

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

const get = (url: string, headers: Record<string, string> = {}) =>
  harness.app.inject({ method: 'GET', url, headers });

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

beforeAll(async () => {
  harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
  outlet = (await createOutletWithToken(harness.app, 'download-outlet')).headers;
  const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  orderId = (await fileOrder(harness.app, outlet, { authority, visibility: 'public' })).id;
}, 120_000);
afterAll(() => harness?.close());

describe('the public download of a PDF', () => {
  it('is its redacted rendition: 503 while it is made, then a 303 to it, with its own sha256', async () => {
    const original = Buffer.from(await bornDigitalPdf([DEMAND]));
    const id = await upload('demand.pdf', original, 'application/pdf');
    const before = (await get(`/api/documents/${id}`)).json();
    expect(before.download).toEqual({
      kind: 'rendition',
      url: `/api/documents/${id}/file`,
      sha256: null,
      rendition_status: null,
    });

    const first = await get(`/api/documents/${id}/file`);
    expect(first.statusCode, first.body).toBe(503);
    expect(first.json().code).toBe('rendition_pending');
    expect(Number(first.headers['retry-after'])).toBeGreaterThan(0);
    const { rows: audit } = await harness.db.query(
      `SELECT actor FROM audit_log WHERE action = 'document.rendition_request' AND record_id = $1`,
      [String(id)],
    );
    expect(audit).toHaveLength(1);

    expect(await waitForRendition(id)).toBe('made');
    const sent = await get(`/api/documents/${id}/file`);
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/api/documents/${id}/rendition`);
    const rendition = await get(sent.headers.location as string);
    expect(rendition.statusCode).toBe(200);
    const sha256 = createHash('sha256').update(rendition.rawPayload).digest('hex');
    expect(sha256).not.toBe(createHash('sha256').update(original).digest('hex'));
    const after = (await get(`/api/documents/${id}`)).json();
    expect(after.download).toEqual({
      kind: 'rendition',
      url: `/api/documents/${id}/file`,
      sha256,
      rendition_status: 'made',
    });
    // The rendition is pixels with the redactions burned in: no text of the original is in its bytes.
    expect(rendition.rawPayload.includes(Buffer.from('vlast.kz'))).toBe(false);

    // The outlet downloads the original, and is told so.
    const own = await get(`/api/documents/${id}/file`, outlet);
    expect(own.statusCode).toBe(200);
    expect(Buffer.compare(own.rawPayload, original)).toBe(0);
    expect((await get(`/api/documents/${id}`, outlet)).json().download).toEqual({
      kind: 'original',
      url: `/api/documents/${id}/file`,
      sha256: createHash('sha256').update(original).digest('hex'),
      rendition_status: null,
    });

    // A new reading may propose new spans: the last rendition is served until it is recorded, then
    // forgotten, and the next public download asks for one again.
    const reprocess = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${id}/reprocess`,
      headers: outlet,
    });
    expect(reprocess.statusCode).toBe(202);
    await waitForDocument(harness.app, id, editor);
    expect((await get(`/api/documents/${id}`)).json().download.rendition_status).toBeNull();
    expect((await get(`/api/documents/${id}/rendition`)).statusCode).toBe(404);
    expect((await get(`/api/documents/${id}/file`)).statusCode).toBe(503);
    expect(await waitForRendition(id)).toBe('made');
  }, 180_000);

  it('says why when the rendition cannot be served', async () => {
    const id = await upload(
      'second.pdf',
      Buffer.from(await bornDigitalPdf([DEMAND, 'page two'])),
      'application/pdf',
    );
    await harness.db.query(
      `UPDATE documents SET rendition_status = 'incomplete', rendition_input_sha256 = sha256 WHERE id = $1`,
      [id],
    );
    const answer = await get(`/api/documents/${id}/file`);
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toMatchObject({ code: 'rendition_unavailable' });
    expect(answer.json().message).toMatch(/could not be placed/);
    expect((await get(`/api/documents/${id}`)).json().download.rendition_status).toBe('incomplete');
  }, 120_000);

  it('a text file has no public file: its redacted text is all there is', async () => {
    const id = await upload('demand.txt', Buffer.from(DEMAND), 'text/plain');
    const answer = await get(`/api/documents/${id}/file`);
    expect(answer.statusCode).toBe(404);
    expect(answer.json().code).toBe('not_found');
    expect((await get(`/api/documents/${id}`)).json().download).toEqual({
      kind: 'none',
      url: null,
      sha256: null,
      rendition_status: null,
    });
  }, 120_000);
});
