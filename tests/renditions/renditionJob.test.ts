// The render-redacted job end to end, on the running app: an outlet's demand with its correspondent's
// phone and e-mail is uploaded to a public order and read by the worker; its accepted redactions are
// handed to requestRendition; the worker makes the rendition, stores it as a blob and names it on the
// document; anyone who sees the document downloads it with its sha256, and OCR finds no redacted value
// in it. A hidden order's rendition stays hidden, a superseded request records nothing, a redaction that
// cannot be placed leaves no rendition to serve, and every step is audited.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedactionToPlace } from '../../ingest/renditions/redactionBoxes.ts';
import { findPersonalData } from '../../ingest/suggestions/findPersonalData.ts';
import { pino } from 'pino';
import { operatorCaller, type Caller } from '../../server/auth/caller.ts';
import { requestRendition } from '../../server/commands/renditionRequester.ts';
import { withTransaction } from '../../server/database/transaction.ts';
import { runRenditionJob } from '../../server/jobs/renditionJob.ts';
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
import { ocrOfPdf, squeezed } from '../support/renditionChecks.ts';
import { createTestApp } from '../support/testApp.ts';

const DEMAND = [
  'The ministry demands removal of the article.',
  'Correspondent: Aigerim Nurlanovna',
  'Phone: +7 (727) 123-45-67',
  'E-mail: aigerim.n@vlast.kz',
  'Deadline: three working days.',
].join('\n');
const EDITOR: Caller = operatorCaller('an editor');

let harness: Awaited<ReturnType<typeof createTestApp>>;
let dir: string;
let vlast: Awaited<ReturnType<typeof createOutletWithToken>>;
let publicDocument: number;
let privateDocument: number;
let pageText: string;

async function uploadDemand(orderId: string, filename: string): Promise<number> {
  const body = multipartBody([
    {
      name: 'order',
      filename,
      content: Buffer.from(await bornDigitalPdf([DEMAND])),
      contentType: 'application/pdf',
    },
  ]);
  const response = await harness.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/documents`,
    headers: { ...vlast.headers, ...body.headers },
    payload: body.payload,
  });
  if (response.statusCode !== 201) throw new Error(`upload: ${response.body}`);
  const id = response.json().documents[0].id as number;
  expect((await waitForDocument(harness.app, id, editor)).status).toBe('extracted');
  return id;
}

/** What a reviewer accepted: the personal data the finder proposes, and the correspondent's name. */
function acceptedRedactions(text: string): RedactionToPlace[] {
  const found = findPersonalData(text).map(({ value, start, end }) => ({ page: 1, text: value, start, end }));
  const name = text.indexOf('Aigerim Nurlanovna');
  return [...found, { page: 1, text: 'Aigerim Nurlanovna', start: name, end: name + 18 }];
}

async function request(documentId: number, redactions: RedactionToPlace[], caller: Caller = EDITOR) {
  return withTransaction(harness.db, (client) =>
    requestRendition({ client, jobs: harness.jobs }, { caller, documentId, redactions }),
  );
}

async function renditionState(documentId: number) {
  const { rows } = await harness.db.query(
    `SELECT rendition_status, rendition_sha256, rendition_reason, rendition_unplaced FROM documents WHERE id = $1`,
    [documentId],
  );
  return rows[0] as {
    rendition_status: string | null;
    rendition_sha256: string | null;
    rendition_reason: string | null;
    rendition_unplaced: unknown;
  };
}

async function waitForRendition(documentId: number, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await renditionState(documentId);
    if (state.rendition_status !== 'pending' || Date.now() > deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const download = (documentId: number, headers: Record<string, string> = {}) =>
  harness.app.inject({ method: 'GET', url: `/api/documents/${documentId}/rendition`, headers });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rendition-job-test-'));
  harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
  vlast = await createOutletWithToken(harness.app, 'vlast-kz');
  const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  const publicOrder = (await fileOrder(harness.app, vlast.headers, { authority, visibility: 'public' })).id;
  const privateOrder = (await fileOrder(harness.app, vlast.headers, { authority, visibility: 'private' })).id;
  publicDocument = await uploadDemand(publicOrder, 'demand.pdf');
  privateDocument = await uploadDemand(privateOrder, 'private-demand.pdf');
  // The outlet reads the text as written; the public reads it redacted (issue #16's proposals hide it).
  const detail = (
    await harness.app.inject({
      method: 'GET',
      url: `/api/documents/${publicDocument}`,
      headers: vlast.headers,
    })
  ).json();
  pageText = detail.pages[0].text;
});
afterAll(async () => {
  await harness?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the render-redacted job', () => {
  it('makes the rendition, and anyone who sees the document downloads it with its sha256', async () => {
    expect((await download(publicDocument)).statusCode).toBe(404);
    const requested = await request(publicDocument, acceptedRedactions(pageText));
    expect((await renditionState(publicDocument)).rendition_status).toBe('pending');
    const state = await waitForRendition(publicDocument);
    expect(state).toMatchObject({
      rendition_status: 'made',
      rendition_reason: null,
      rendition_unplaced: null,
    });

    const response = await download(publicDocument);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe("attachment; filename*=UTF-8''demand-redacted.pdf");
    const pdf = response.rawPayload;
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(sha256).toBe(state.rendition_sha256);
    expect(response.headers.etag).toBe(`"${sha256}"`);
    expect(response.headers.digest).toBe(`sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`);
    const original = (
      await harness.app.inject({ method: 'GET', url: `/api/documents/${publicDocument}` })
    ).json();
    expect(sha256).not.toBe(original.sha256);

    const ocr = await ocrOfPdf(pdf, dir);
    for (const value of ['7271234567', 'aigerim', 'nurlanovna', 'vlastkz'])
      expect(squeezed(ocr)).not.toContain(value);
    for (const word of ['ministry', 'Correspondent', 'Phone', 'Deadline']) expect(ocr).toContain(word);

    const audit = await harness.db.query(
      `SELECT actor, action, after FROM audit_log WHERE record_type = 'document' AND record_id = $1
          AND action LIKE 'document.rendition%' ORDER BY id`,
      [String(publicDocument)],
    );
    expect(audit.rows).toEqual([
      {
        actor: 'editor:an editor',
        action: 'document.rendition_request',
        after: { input_sha256: requested.inputSha256, redactions: 3, box_pages: 0 },
      },
      {
        actor: 'worker:rendition',
        action: 'document.rendition',
        after: { status: 'made', sha256, size: pdf.length, pages: 1, boxes: 3 },
      },
    ]);
    // Nothing the redactions hide went into the audit log.
    expect(JSON.stringify(audit.rows)).not.toContain('aigerim');
  });

  it("keeps a hidden order's rendition from those who may not see the order", async () => {
    await request(privateDocument, acceptedRedactions(pageText), EDITOR);
    expect((await waitForRendition(privateDocument)).rendition_status).toBe('made');
    expect((await download(privateDocument, vlast.headers)).statusCode).toBe(200);
    const anonymous = await download(privateDocument);
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.json()).toMatchObject({
      code: 'not_found',
      message: `There is no document ${privateDocument}`,
    });
    const other = await createOutletWithToken(harness.app, 'kloop-kg');
    expect((await download(privateDocument, other.headers)).statusCode).toBe(404);
  });

  it('records nothing for a request that a newer one superseded, and serves nothing meanwhile', async () => {
    const first = await request(publicDocument, acceptedRedactions(pageText).slice(0, 1));
    const second = await request(publicDocument, acceptedRedactions(pageText));
    expect(first.inputSha256).not.toBe(second.inputSha256);
    // A request hides the rendition of older decisions until its own is made.
    expect((await download(publicDocument)).statusCode).toBe(404);
    const stale = await runRenditionJob(
      { db: harness.db, blobs: harness.blobs, config: harness.config, logger: pino({ level: 'silent' }) },
      { documentId: publicDocument, inputSha256: first.inputSha256, redactions: [], boxesByPage: [] },
    );
    expect(stale).toBe('superseded');
    expect((await waitForRendition(publicDocument)).rendition_status).toBe('made');
    // The same decisions give the same rendition as before.
    expect((await download(publicDocument)).statusCode).toBe(200);
  });

  it('serves no rendition while a redaction could not be placed, and says so without the redacted text', async () => {
    await request(publicDocument, [...acceptedRedactions(pageText), { page: 1, text: 'Zhanar Bekova' }]);
    const state = await waitForRendition(publicDocument);
    expect(state).toMatchObject({
      rendition_status: 'incomplete',
      rendition_sha256: null,
      rendition_reason: '1 redaction could not be found on page 1: draw it as boxes on the page',
      rendition_unplaced: [
        {
          page: 1,
          text: 'Zhanar Bekova',
          reason: "not found in the page's text layer nor among the words OCR reads on it",
        },
      ],
    });
    const response = await download(publicDocument);
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe(`Document ${publicDocument} has no redacted rendition (yet)`);
  });

  it('refuses a request from outside the order, and for a file that is not a PDF or an image', async () => {
    const outsider: Caller = { ...EDITOR, kind: 'account', outletIds: [], adminOf: [], researcher: false };
    await expect(request(publicDocument, [], outsider)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(request(privateDocument, [], outsider)).rejects.toMatchObject({ code: 'not_found' });
    await expect(request(publicDocument, [{ page: 0, text: 'x' }])).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'redactions/0/page',
    });
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const order = (await fileOrder(harness.app, vlast.headers, { authority, visibility: 'public' })).id;
    const body = multipartBody([
      { name: 'order', filename: 'demand.txt', content: 'Требование удалить материал' },
    ]);
    const upload = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${order}/documents`,
      headers: { ...vlast.headers, ...body.headers },
      payload: body.payload,
    });
    const textDocument = upload.json().documents[0].id as number;
    await waitForDocument(harness.app, textDocument, editor);
    await expect(request(textDocument, [])).rejects.toMatchObject({
      code: 'invalid_input',
      message: `Document ${textDocument} is not a PDF or an image: it has no rendition, its redacted text is what is shown`,
    });
  });
});

describe('the rendition follows the review', () => {
  it('is asked for again by every decision taken through the API, with what the text hides', async () => {
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const order = (await fileOrder(harness.app, vlast.headers, { authority, visibility: 'private' })).id;
    const documentId = await uploadDemand(order, 'reviewed-demand.pdf');
    const listed = await harness.app.inject({
      method: 'GET',
      url: `/api/documents/${documentId}/redactions`,
      headers: vlast.headers,
    });
    expect(listed.statusCode, listed.body).toBe(200);
    const proposals = (listed.json().items ?? listed.json()) as { id: number; state: string }[];
    expect(proposals.length).toBeGreaterThan(0);
    for (const proposal of proposals) {
      const decided = await harness.app.inject({
        method: 'PATCH',
        url: `/api/redactions/${proposal.id}`,
        headers: vlast.headers,
        payload: { state: 'accepted' },
      });
      expect(decided.statusCode, decided.body).toBe(200);
    }
    const state = await waitForRendition(documentId);
    expect(state.rendition_status).toBe('made');
    const response = await download(documentId, vlast.headers);
    expect(response.statusCode, response.body).toBe(200);
    const sha256 = createHash('sha256').update(response.rawPayload).digest('hex');
    expect(sha256).toBe(state.rendition_sha256);
    const ocr = await ocrOfPdf(response.rawPayload, dir);
    for (const value of ['7271234567', 'aigerimnvlastkz']) expect(squeezed(ocr)).not.toContain(value);
    const requests = await harness.db.query(
      `SELECT count(*)::int AS count FROM audit_log
        WHERE record_type = 'document' AND record_id = $1 AND action = 'document.rendition_request'`,
      [String(documentId)],
    );
    expect(requests.rows[0].count).toBe(proposals.length);
  });
});
