// Hostile and broken files through the real upload path: each ends with a readable status, the server
// answers /health throughout, and a document can be extracted again on request.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, editor } from '../support/apiClient.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';
import { waitForDocument } from '../support/documentWaiting.ts';

const BAD_PDFS = path.resolve(import.meta.dirname, '../../../shared/corpus/bad-pdfs');
const corpusPresent = existsSync(BAD_PDFS);
if (!corpusPresent)
  console.warn(`SKIPPING the bad-PDF upload test: ${BAD_PDFS} is absent (a fresh clone has no ../shared)`);

describe('hostile files through the API', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let orderId: string;
  beforeAll(async () => {
    harness = await createTestApp(
      { ADMIN_TOKEN, EXTRACT_TIMEOUT_MS: '30000', EXTRACT_OCR_PAGE_MS: '0' },
      { worker: true },
    );
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    orderId = (
      await harness.app.inject({
        method: 'POST',
        url: '/api/orders',
        headers: editor,
        payload: { authority },
      })
    ).json().id;
  });
  afterAll(() => harness.close());

  const upload = async (name: string, content: Buffer, headers: Record<string, string> = editor) => {
    const body = multipartBody([{ name: 'order', filename: name, content }]);
    const response = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${orderId}/documents`,
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().documents[0] as { id: number };
  };

  it.skipIf(!corpusPresent)(
    'every bad PDF of the corpus ends failed or partial with a reason, and /health stays 200',
    async () => {
      const files = readdirSync(BAD_PDFS).filter((name) => name.endsWith('.pdf'));
      expect(files.length).toBeGreaterThan(0);
      const documents = [];
      for (const name of files)
        documents.push({ name, ...(await upload(name, readFileSync(path.join(BAD_PDFS, name)))) });
      const healthCodes: number[] = [];
      const watcher = setInterval(() => {
        void harness.app
          .inject({ method: 'GET', url: '/health' })
          .then((response) => healthCodes.push(response.statusCode));
      }, 100);
      try {
        for (const document of documents) {
          const done = await waitForDocument(harness.app, document.id, editor, 60_000);
          expect(['failed', 'partial'], `${document.name}: ${done.status}`).toContain(done.status);
          expect(done.status_reason, document.name).toMatch(/\w{4,}/);
          expect(done.status_reason).not.toMatch(/at \S+ \(|node_modules/); // no stack trace
        }
      } finally {
        clearInterval(watcher);
      }
      expect(healthCodes.length).toBeGreaterThan(3);
      expect(new Set(healthCodes)).toEqual(new Set([200]));
    },
    180_000,
  );

  it('reprocesses a document on request (with other OCR languages), and only for those who may change it', async () => {
    const document = await upload('note.txt', Buffer.from('Предписание Роскомнадзора об удалении материала'));
    const first = await waitForDocument(harness.app, document.id, editor);
    expect(first.status).toBe('extracted');
    const stranger = await createOutletWithToken(harness.app, 'stranger');
    const refused = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${document.id}/reprocess`,
      headers: stranger.headers,
    });
    expect(refused.statusCode).toBe(404);
    const badLanguages = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${document.id}/reprocess`,
      headers: editor,
      payload: { ocr_languages: 'rus;rm' },
    });
    expect(badLanguages.statusCode).toBe(400);
    const again = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${document.id}/reprocess`,
      headers: editor,
      payload: { ocr_languages: 'kir+rus+eng' },
    });
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json().status).toBe('pending');
    const second = await waitForDocument(harness.app, document.id, editor);
    expect(second.status).toBe('extracted');
    expect(second.ocr_languages).toBe('kir+rus+eng');
    expect(second.pages[0].text).toContain('Роскомнадзора');
  });

  it('keeps only what a reprocess read: pages an earlier extraction kept beyond it are gone', async () => {
    const document = await upload('short.txt', Buffer.from('Требование Генеральной прокуратуры'));
    expect((await waitForDocument(harness.app, document.id, editor)).pages).toHaveLength(1);
    // As if an earlier reading of the file had found three pages (a file read with other limits).
    await harness.db.query(`UPDATE document_pages SET text = 'старый текст' WHERE document_id = $1`, [
      document.id,
    ]);
    await harness.db.query(
      `INSERT INTO document_pages (document_id, number, text, method) VALUES ($1, 2, 'стр. 2', 'text-layer'),
              ($1, 3, 'стр. 3', 'text-layer')`,
      [document.id],
    );
    const again = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${document.id}/reprocess`,
      headers: editor,
    });
    expect(again.statusCode, again.body).toBe(202);
    const read = await waitForDocument(harness.app, document.id, editor);
    expect(read.status).toBe('extracted');
    expect(read.page_count).toBe(1);
    expect(read.pages.map((page: { number: number; text: string }) => [page.number, page.text])).toEqual([
      [1, 'Требование Генеральной прокуратуры'],
    ]);
  });
});
