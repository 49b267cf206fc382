// Recording an extraction is a command like an upload: its pages, status and attachments are written
// together with an audit record saying what the extraction worker found.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordExtraction } from '../../server/commands/extractionRecorder.ts';
import { resultWithoutText, type ExtractionResult } from '../../ingest/extraction.ts';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { emailWithAttachments } from '../support/documentFixtures.ts';
import { waitForDocument } from '../support/documentWaiting.ts';
import { multipartBody, type Part } from '../support/multipartBody.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

type Harness = Awaited<ReturnType<typeof createTestApp>>;

interface AuditRow {
  actor: string;
  token_id: number | null;
  before: unknown;
  after: Record<string, unknown>;
}

async function extractionAudits(harness: Harness, documentId: number): Promise<AuditRow[]> {
  const { rows } = await harness.db.query<AuditRow>(
    `SELECT actor, token_id, before, after FROM audit_log
      WHERE action = 'document.extract' AND record_type = 'document' AND record_id = $1 ORDER BY id`,
    [String(documentId)],
  );
  return rows;
}

/** An order of an outlet, and a way to upload files to it as that outlet. */
async function outletOrder(harness: Harness, slug: string) {
  const outlet = await createOutletWithToken(harness.app, slug);
  const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  const order = await fileOrder(harness.app, outlet.headers, { authority });
  const upload = async (parts: Part[]) => {
    const body = multipartBody(parts);
    const response = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${order.id}/documents`,
      headers: { ...outlet.headers, ...body.headers },
      payload: body.payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().documents as { id: number }[];
  };
  return { headers: outlet.headers, upload };
}

describe('an extraction, through the worker', () => {
  let harness: Harness;
  let order: Awaited<ReturnType<typeof outletOrder>>;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
    order = await outletOrder(harness, 'vlast-kz');
  });
  afterAll(() => harness.close());

  it('writes an audit record of what it found, as an upload does', async () => {
    const pdf = await bornDigitalPdf(['Demand to remove the article', 'Second page']);
    const [document] = await order.upload([{ name: 'order', filename: 'demand.pdf', content: pdf }]);
    const done = await waitForDocument(harness.app, document!.id, order.headers);
    expect(done.status, done.status_reason).toBe('extracted');

    const audits = await extractionAudits(harness, document!.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actor: 'worker:extraction',
      token_id: null,
      before: null,
      after: { status: 'extracted', page_count: 2, mime: 'application/pdf', attachments: 0 },
    });
  });

  it("records an e-mail's attachments as child documents with their own jobs, and counts them", async () => {
    const { email } = await emailWithAttachments();
    const [document] = await order.upload([{ name: 'order', filename: 'demand.eml', content: email }]);
    const done = await waitForDocument(harness.app, document!.id, order.headers);
    expect(done.status).toBe('extracted');
    expect(done.children.length).toBeGreaterThan(0);

    const [audit] = await extractionAudits(harness, document!.id);
    expect(audit?.after).toMatchObject({
      status: 'extracted',
      mime: 'message/rfc822',
      attachments: done.children.length,
    });
    for (const childId of done.children as number[]) {
      const child = await waitForDocument(harness.app, childId, order.headers);
      expect(child).toMatchObject({ parent_document_id: document!.id, role: 'attachment' });
      expect(child.status).not.toBe('pending');
      // Each child went through its own job, and so has its own record.
      const [childAudit] = await extractionAudits(harness, childId);
      expect(childAudit?.after).toMatchObject({ status: child.status, attachments: 0 });
    }
  });
});

describe('recordExtraction', () => {
  let harness: Harness;
  let order: Awaited<ReturnType<typeof outletOrder>>;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    order = await outletOrder(harness, 'vlast-kz');
  });
  afterAll(() => harness.close());

  /** A document uploaded with no worker running: it waits, pending, for someone to record its extraction. */
  async function pendingDocument(content: Uint8Array) {
    const [document] = await order.upload([{ name: 'order', filename: 'demand.pdf', content }]);
    const { rows } = await harness.db.query<{ order_id: number }>(
      'SELECT order_id FROM documents WHERE id = $1',
      [document!.id],
    );
    return { documentId: document!.id, orderId: rows[0]!.order_id };
  }

  it('keeps a failed reading as a result with its reason, queues the order for search and audits it', async () => {
    const { documentId, orderId } = await pendingDocument(await bornDigitalPdf(['Unreadable, say']));
    const outboxBefore = await harness.db.query('SELECT count(*)::int AS n FROM search_outbox');
    const result: ExtractionResult = resultWithoutText(
      'failed',
      'application/pdf',
      'The PDF could not be read: it is broken',
    );
    await recordExtraction(harness, { documentId, orderId, ocrLanguages: 'eng', depth: 0, result });

    const { rows } = await harness.db.query(
      'SELECT status, status_reason, page_count, progress FROM documents WHERE id = $1',
      [documentId],
    );
    expect(rows[0]).toEqual({
      status: 'failed',
      status_reason: 'The PDF could not be read: it is broken',
      page_count: 0,
      progress: null,
    });
    const outboxAfter = await harness.db.query('SELECT count(*)::int AS n FROM search_outbox');
    expect(outboxAfter.rows[0].n).toBe(outboxBefore.rows[0].n + 1);
    const [audit] = await extractionAudits(harness, documentId);
    expect(audit?.after).toEqual({
      status: 'failed',
      reason: 'The PDF could not be read: it is broken',
      page_count: 0,
      mime: 'application/pdf',
      attachments: 0,
    });
  });

  it('writes pages and replaces those a new reading no longer has', async () => {
    const { documentId, orderId } = await pendingDocument(await bornDigitalPdf(['Two pages', 'really']));
    const page = (number: number, text: string) => ({
      number,
      text,
      method: 'text-layer' as const,
      confidence: null,
    });
    const twoPages: ExtractionResult = {
      status: 'extracted',
      mime: 'application/pdf',
      pages: [page(1, 'first'), page(2, 'second')],
      metadata: {},
      children: [],
      warnings: [],
    };
    await recordExtraction(harness, { documentId, orderId, ocrLanguages: 'eng', depth: 0, result: twoPages });
    const onePage = { ...twoPages, pages: [page(1, 'first, read again\u0000')] };
    await recordExtraction(harness, { documentId, orderId, ocrLanguages: 'eng', depth: 0, result: onePage });

    const { rows } = await harness.db.query(
      'SELECT number, text FROM document_pages WHERE document_id = $1 ORDER BY number',
      [documentId],
    );
    expect(rows).toEqual([{ number: 1, text: 'first, read again' }]);
    const audits = await extractionAudits(harness, documentId);
    expect(audits.map((audit) => audit.after.page_count)).toEqual([2, 1]);
  });
});
