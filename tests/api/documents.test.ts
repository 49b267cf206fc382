// Uploading the files of a demand: kept byte for byte, extracted by the worker, visible only as their order.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
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
import { emailWithAttachments } from '../support/documentFixtures.ts';
import { multipartBody, type Part } from '../support/multipartBody.ts';
import { bornDigitalPdf, scannedPdf } from '../support/pdfFixtures.ts';
import { createTestApp } from '../support/testApp.ts';
import { waitForDocument } from '../support/documentWaiting.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

describe('documents', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let outlet: Awaited<ReturnType<typeof createOutletWithToken>>;
  let orderId: string;
  beforeAll(async () => {
    harness = await createTestApp(
      { ADMIN_TOKEN, MAX_UPLOAD_BYTES: String(2 * 1024 * 1024) },
      { worker: true },
    );
    outlet = await createOutletWithToken(harness.app, 'vlast-kz');
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const order = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: outlet.headers,
      payload: { authority },
    });
    orderId = order.json().id;
  });
  afterAll(() => harness.close());

  const upload = (
    parts: Part[],
    headers: Record<string, string> = outlet.headers,
    url = `/api/orders/${orderId}/documents`,
  ) => {
    const body = multipartBody(parts);
    return harness.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
  };

  it('keeps a PDF byte for byte, extracts its pages, and serves the original back', async () => {
    const pdf = await bornDigitalPdf(['Demand to remove the article', 'Second page: deadline 24 hours']);
    const response = await upload([
      { name: 'order', filename: 'demand.pdf', content: pdf, contentType: 'text/plain' },
    ]);
    expect(response.statusCode, response.body).toBe(201);
    const [document] = response.json().documents;
    expect(document).toMatchObject({
      role: 'order',
      sha256: sha256(pdf),
      size: pdf.length,
      duplicate: false,
    });
    // Sniffed from the bytes: the client's text/plain is ignored.
    expect(document.mime).toBe('application/pdf');

    const done = await waitForDocument(harness.app, document.id, outlet.headers);
    expect(done.status, done.status_reason).toBe('extracted');
    expect(done.pages.map((page: { number: number }) => page.number)).toEqual([1, 2]);
    expect(done.pages[1].text).toContain('deadline 24 hours');
    expect(done.pages[0].method).toBe('text-layer');

    const file = await harness.app.inject({
      method: 'GET',
      url: `/api/documents/${document.id}/file`,
      headers: outlet.headers,
    });
    expect(file.statusCode).toBe(200);
    expect(sha256(file.rawPayload)).toBe(sha256(pdf));
    expect(file.headers.digest).toBe(`sha-256=${Buffer.from(sha256(pdf), 'hex').toString('base64')}`);
  });

  it('says in the status how far the OCR of a scan has got while it runs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'takedown-progress-'));
    const line = 'The agency orders the editor to remove the article and to block the listed pages.';
    const pages = Array.from({ length: 3 }, (_, i) =>
      [`Page ${i + 1}`, ...Array<string>(25).fill(line)].join('\n'),
    );
    const scan = await scannedPdf(pages, dir);
    await rm(dir, { recursive: true, force: true });
    const response = await upload([{ name: 'order', filename: 'scan.pdf', content: scan }]);
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json().documents[0].id;
    // A client polling the document sees which page the OCR is on (each page takes seconds).
    const seen = new Set<string>();
    let document;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      document = (await harness.app.inject({ url: `/api/documents/${id}`, headers: outlet.headers })).json();
      if (document.progress) seen.add(document.progress);
      if (!['pending', 'processing'].includes(document.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(document.status, document.status_reason).toBe('extracted');
    expect(document.progress).toBeNull();
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'reading scanned pages (OCR): 1 of 3 done',
        'reading scanned pages (OCR): 2 of 3 done',
      ]),
    );
  }, 90_000);

  it('stores the same bytes once and says it is a duplicate', async () => {
    const pdf = await bornDigitalPdf(['Same bytes twice']);
    const first = (await upload([{ name: 'evidence', filename: 'a.pdf', content: pdf }])).json().documents[0];
    const second = await upload([{ name: 'evidence', filename: 'b.pdf', content: pdf }]);
    expect(second.statusCode).toBe(201);
    expect(second.json().documents[0]).toMatchObject({ id: first.id, duplicate: true });
    const stored = await filesIn(path.join(harness.config.dataDir, 'blobs', 'sha256'));
    expect(stored.filter((name) => name === sha256(pdf))).toHaveLength(1);
  });

  it('refuses a file over the limit with 413 and leaves no blob or row behind', async () => {
    const before = await harness.db.query('SELECT count(*)::int AS n FROM documents');
    const blobsBefore = await filesIn(path.join(harness.config.dataDir, 'blobs'));
    const response = await upload([
      { name: 'order', filename: 'huge.bin', content: Buffer.alloc(3 * 1024 * 1024, 7) },
    ]);
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toMatch(/2 MB/);
    const after = await harness.db.query('SELECT count(*)::int AS n FROM documents');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(await filesIn(path.join(harness.config.dataDir, 'blobs'))).toEqual(blobsBefore);
  });

  it('ends a corrupt PDF failed with a reason a user can read, and the server stays up', async () => {
    const broken = Buffer.concat([
      Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R'),
      Buffer.alloc(500, 0x41),
    ]);
    const document = (await upload([{ name: 'order', filename: 'broken.pdf', content: broken }])).json()
      .documents[0];
    const done = await waitForDocument(harness.app, document.id, outlet.headers);
    expect(['failed', 'partial']).toContain(done.status);
    expect(done.status_reason).toMatch(/\w{4,}/);
    expect((await harness.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('turns e-mail attachments into child documents, extracted in turn', async () => {
    const { email } = await emailWithAttachments();
    const document = (await upload([{ name: 'order', filename: 'demand.eml', content: email }])).json()
      .documents[0];
    const done = await waitForDocument(harness.app, document.id, outlet.headers);
    expect(done.status).toBe('extracted');
    expect(done.metadata.subject).toBeTruthy();
    expect(done.children.length).toBeGreaterThan(0);
    for (const childId of done.children) {
      const child = await waitForDocument(harness.app, childId, outlet.headers);
      expect(child.parent_document_id).toBe(document.id);
      expect(child.role).toBe('attachment');
      expect(child.status).not.toBe('pending');
    }
  });

  it('hides documents of a private order: 404 for anonymous callers and other outlets', async () => {
    const document = (
      await upload([{ name: 'order', filename: 'x.txt', content: 'Предписание Роскомнадзора' }])
    ).json().documents[0];
    const other = await createOutletWithToken(harness.app, 'kloop-kg');
    for (const headers of [{}, other.headers]) {
      expect(
        (await harness.app.inject({ method: 'GET', url: `/api/documents/${document.id}`, headers }))
          .statusCode,
      ).toBe(404);
      expect(
        (await harness.app.inject({ method: 'GET', url: `/api/documents/${document.id}/file`, headers }))
          .statusCode,
      ).toBe(404);
    }
    expect(
      (await harness.app.inject({ method: 'GET', url: `/api/documents/${document.id}`, headers: editor }))
        .statusCode,
    ).toBe(200);
    const foreign = await upload([{ name: 'order', filename: 'y.txt', content: 'x' }], other.headers);
    expect(foreign.statusCode).toBe(404);
  });

  it('turns away an upload to an order the caller may not change before storing its files', async () => {
    // Over the 2 MB limit: had the files been read first, the answer would be 413.
    const big = Buffer.alloc(3 * 1024 * 1024, 0x41);
    const other = await createOutletWithToken(harness.app, 'azattyq-kz');
    const hidden = await upload([{ name: 'order', filename: 'big.txt', content: big }], other.headers);
    expect(hidden.statusCode, hidden.body).toBe(404);
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const publicOrder = await fileOrder(harness.app, outlet.headers, { authority, visibility: 'public' });
    const notTheirs = await upload(
      [{ name: 'order', filename: 'big.txt', content: big }],
      other.headers,
      `/api/orders/${publicOrder.id}/documents`,
    );
    expect(notTheirs.statusCode, notTheirs.body).toBe(403);
    expect(notTheirs.json().message).toMatch(/Only an editor or the order's own outlet/);
    const missing = await upload(
      [{ name: 'order', filename: 'big.txt', content: big }],
      outlet.headers,
      '/api/orders/TD-2020-99999/documents',
    );
    expect(missing.statusCode).toBe(404);
  });

  it('answers wrong uploads with a 400 that says what to do', async () => {
    const wrongRole = await upload([{ name: 'demand', filename: 'a.txt', content: 'x' }]);
    expect(wrongRole.statusCode).toBe(400);
    expect(wrongRole.json().message).toMatch(/role, one of order, response/);
    const noFile = await upload([{ name: 'ocr_languages', content: 'rus' }]);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().message).toMatch(/no file/);
    const json = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${orderId}/documents`,
      headers: outlet.headers,
      payload: {},
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().message).toMatch(/multipart/);
    const badLanguages = await upload([
      { name: 'ocr_languages', content: 'rus; rm -rf' },
      { name: 'order', filename: 'a.txt', content: 'x' },
    ]);
    expect(badLanguages.statusCode).toBe(400);
    const anonymous = await upload([{ name: 'order', filename: 'a.txt', content: 'x' }], {});
    expect(anonymous.statusCode).toBe(401);
  });

  it('answers a document id no document can have with a 400, not a server error', async () => {
    // Past PostgreSQL's bigint, and past the integers JavaScript holds exactly.
    for (const id of ['99999999999999999999', '9007199254740993']) {
      for (const [method, url] of [
        ['GET', `/api/documents/${id}`],
        ['GET', `/api/documents/${id}/file`],
        ['POST', `/api/documents/${id}/reprocess`],
      ] as const) {
        const response = await harness.app.inject({ method, url, headers: editor });
        expect(response.statusCode, `${method} ${url}`).toBe(400);
        expect(response.json().message).toMatch(/params\/id must be <= 9007199254740991/);
      }
    }
    expect(
      (await harness.app.inject({ url: '/api/documents/9007199254740991', headers: editor })).statusCode,
    ).toBe(404);
  });

  it('intake: a file alone becomes a private draft order with suggestions read from its text', async () => {
    const text = [
      'Федеральная служба по надзору в сфере связи, информационных технологий и массовых коммуникаций (Роскомнадзор)',
      'Уведомление № 04-37/1234 от 14.07.2022',
      'На основании статьи 15.3 Федерального закона от 27.07.2006 № 149-ФЗ требуем удалить материал',
      'https://vlast.kz/novosti/51234-vinnica.html в течение 24 часов.',
    ].join('\n');
    const body = multipartBody([{ name: 'file', filename: 'notice.txt', content: text }]);
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/intake',
      headers: { ...outlet.headers, ...body.headers },
      payload: body.payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    const { order, documents } = response.json();
    expect(order).toMatchObject({ visibility: 'private', authority: null, outlet: { slug: 'vlast-kz' } });
    expect((await harness.app.inject({ method: 'GET', url: `/api/orders/${order.id}` })).statusCode).toBe(
      404,
    );
    // The answer waited for the text to be read: the suggestions are in it, to confirm at once.
    expect(documents[0]).toMatchObject({ status: 'extracted', language: 'ru' });
    const suggestions = documents[0].suggestions;
    expect(suggestions.authorities.map((a: { slug: string }) => a.slug)).toContain('ru-roskomnadzor');
    expect(JSON.stringify(suggestions.legal_basis)).toContain('RU/149-FZ/15.3');
    expect(JSON.stringify(suggestions.urls)).toContain('vlast.kz/novosti/51234-vinnica.html');
    // The notice's own date, not the date of the law it cites.
    expect(suggestions.order_fields).toEqual({
      authority: 'ru-roskomnadzor',
      reference_number: '04-37/1234',
      issued_on: '2022-07-14',
      legal_basis: ['RU/149-FZ/15.3'],
      demanded_actions: ['remove'],
      targets: [{ url: 'https://vlast.kz/novosti/51234-vinnica.html' }],
      language: 'ru',
    });

    // Sent back as they are, the suggestions are the order's fields: the outlet confirms the draft.
    const { targets, ...fields } = suggestions.order_fields;
    const read = await harness.app.inject({ url: `/api/orders/${order.id}`, headers: outlet.headers });
    expect(read.statusCode, read.body).toBe(200);
    const patched = await harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${order.id}`,
      headers: { ...outlet.headers, 'if-match': read.headers.etag as string },
      payload: fields,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    for (const target of targets) {
      const added = await harness.app.inject({
        method: 'POST',
        url: `/api/orders/${order.id}/targets`,
        headers: outlet.headers,
        payload: target,
      });
      expect(added.statusCode, added.body).toBe(201);
    }
    const story = (
      await harness.app.inject({ url: `/api/orders/${order.id}`, headers: outlet.headers })
    ).json();
    expect(story).toMatchObject({
      draft: false,
      authority: { slug: 'ru-roskomnadzor' },
      reference_number: '04-37/1234',
      issued_on: '2022-07-14',
      legal_basis: ['RU/149-FZ/15.3'],
      demanded_actions: ['remove'],
      language: 'ru',
    });
    expect(story.targets.map((target: { article: { url: string } }) => target.article.url)).toEqual([
      'https://vlast.kz/novosti/51234-vinnica.html',
    ]);

    // And as a new order in one request, targets included.
    const created = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: outlet.headers,
      payload: suggestions.order_fields,
    });
    expect(created.statusCode, created.body).toBe(201);
  });

  it('shows suggestions stored in the old camelCase shape in today’s shape', async () => {
    const body = multipartBody([{ name: 'file', filename: 'old.txt', content: 'Роскомнадзор' }]);
    const intake = await harness.app.inject({
      method: 'POST',
      url: '/api/intake',
      headers: { ...outlet.headers, ...body.headers },
      payload: body.payload,
    });
    expect(intake.statusCode, intake.body).toBe(201);
    const [document] = intake.json().documents;
    await waitForDocument(harness.app, document.id, outlet.headers);
    // What the extraction wrote before the suggestions had a schema (a real row's shape).
    const legacy = {
      language: { code: 'ru', others: ['en'] },
      authorities: [
        {
          slug: 'ru-roskomnadzor',
          name: 'Роскомнадзор',
          country: 'RU',
          kind: 'regulator',
          matched: ['Роскомнадзор'],
          mentions: 2,
          firstIndex: 0,
          score: 6.5,
        },
      ],
      referenceNumbers: [{ value: '2-388/18', kind: 'court-case', raw: '2-388/18', start: 210, end: 218 }],
      dates: [
        { iso: '2006-07-27', raw: '27 июля 2006 года', start: 60, end: 77 },
        { iso: '2018-01-24', raw: '24.01.2018', start: 190, end: 200 },
      ],
      legalBasis: [
        {
          code: 'RU/149-FZ/15.1',
          act: 'RU/149-FZ',
          article: '15.1',
          raw: 'статьей 15.1 Федерального закона от 27 июля 2006 года № 149-ФЗ',
          index: 20,
        },
      ],
      urls: [
        {
          canonical: 'https://github.com/a/b',
          display: 'github.com/a/b',
          host: 'github.com',
          raw: 'https://github.com/a/b',
          start: 300,
          end: 322,
          target: true,
        },
      ],
      deadline: { amount: 24, unit: 'hours', raw: 'в течение суток', start: 330, end: 345 },
      demandedAction: [
        { action: 'restrict-access', mentions: 2, evidence: 'ограничению доступа', index: 400 },
        { action: 'remove', mentions: 1, evidence: 'удалению', index: 380 },
      ],
      personalData: [{ kind: 'email', value: 'a@example.ru', start: 500, end: 512 }],
    };
    await harness.db.query('UPDATE documents SET suggestions = $2::jsonb WHERE id = $1', [
      document.id,
      JSON.stringify(legacy),
    ]);
    const detail = (
      await harness.app.inject({ url: `/api/documents/${document.id}`, headers: outlet.headers })
    ).json();
    expect(detail.suggestions).toMatchObject({
      order_fields: {
        authority: 'ru-roskomnadzor',
        reference_number: '2-388/18',
        issued_on: '2018-01-24',
        legal_basis: ['RU/149-FZ/15.1'],
        demanded_actions: ['restrict_access'],
        targets: [{ url: 'https://github.com/a/b' }],
        language: 'ru',
      },
      language: { code: 'ru', others: ['en'] },
      authorities: [{ slug: 'ru-roskomnadzor', mentions: 2, first_index: 0, score: 6.5, confidence: 1 }],
      reference_numbers: [{ value: '2-388/18', kind: 'court-case' }],
      dates: [
        { iso: '2018-01-24', law: false },
        { iso: '2006-07-27', law: true },
      ],
      legal_basis: legacy.legalBasis,
      urls: legacy.urls,
      deadline: legacy.deadline,
      demanded_actions: [
        { action: 'restrict_access', mentions: 2 },
        { action: 'remove', mentions: 1 },
      ],
      personal_data: legacy.personalData,
    });
  });
});
