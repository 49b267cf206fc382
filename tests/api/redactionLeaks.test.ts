// What the public sees is the redacted version, everywhere: a public order whose document holds planted
// personal data, its redactions accepted by the outlet. As anonymous, another outlet and a researcher the
// outlet did not allow, no planted value appears in any answer of any route (the order, its documents and
// pages, the document list, search hits and snippets, page search, precedents, the Atom feed, the file,
// a PDF's rendition and page images, the web pages),
// and searching for each value finds nothing. The outlet reads and finds them all, and so does a researcher
// once the outlet allows researchers to read the order unredacted.
import { createHash } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { createPerson } from '../support/accounts.ts';
import { createTestApp } from '../support/testApp.ts';
import { changeOrder, uploadFiles, waitUntilSearchable } from '../search/searchTestHelpers.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';

const PLANTED = {
  phone: '+7 (7172) 55-41-29',
  email: 'zh.nurlanova@vlast.kz',
  iin: '870315300121',
  name: 'Жанар Нурланова',
};
const VALUES = Object.values(PLANTED);
const WORD = 'quokkaredact';

const DEMAND = `Исх. № 21-09/4417 от 17.06.2019

Главному редактору Vlast.kz

Министерство информации и общественного развития Республики Казахстан требует удалить материал ${WORD}
в соответствии со статьей 15.3 Федерального закона № 149-ФЗ. Автор материала ${WORD}: журналист ${PLANTED.name},
тел. ${PLANTED.phone}, ${PLANTED.email}, ИИН ${PLANTED.iin}, упомянута в материале ${WORD}.

Просим удалить материал в течение 24 часов.`;

// --- redaction-finish ---
/** The same demand as a PDF (WinAnsi text: the values written in Latin letters and digits). */
const PDF_VALUES = [PLANTED.phone, PLANTED.email, PLANTED.iin];
const PDF_DEMAND = [
  `The ministry demands removal of ${WORD}.`,
  `Phone: ${PLANTED.phone}`,
  `E-mail: ${PLANTED.email}`,
  `IIN ${PLANTED.iin}`,
].join('\n');
// --- end redaction-finish ---

// --- field-redactions ---
/** What the outlet typed on the order itself: its summary holds another journalist's phone, e-mail and IIN. */
const FIELD_PLANTED = {
  phone: '+7 (727) 311-22-48',
  email: 'a.saparova@kaztag.example.kz',
  iin: '910214400604',
};
const FIELD_VALUES = Object.values(FIELD_PLANTED);
const SUMMARY = `Требование удалить материал ${WORD}; автор на связи: тел. ${FIELD_PLANTED.phone}, ${FIELD_PLANTED.email}, ИИН ${FIELD_PLANTED.iin}.`;
const ALL_VALUES = [...VALUES, ...FIELD_VALUES];
// --- end field-redactions ---

type Harness = Awaited<ReturnType<typeof createTestApp>>;

/** A search answer repeats the caller's own query (JSON `query`, the feed's title): that is no leak. */
function withoutEchoedQuery(body: string): string {
  return body
    .replace(/"query":"(?:[^"\\]|\\.)*"/g, '')
    .replace(/<title>Takedown Archive: [^<]*<\/title>/g, '')
    .replace(/[^<>"]*\/api\/search\.atom\?[^<>"]*/g, '');
}

describe('redacted text is all the public gets', () => {
  let harness: Harness;
  let outletA: Record<string, string>;
  let callers: Record<'anonymous' | 'outletB' | 'researcher', Record<string, string>>;
  let orderId: string;
  let otherOrderId: string;
  let documentId: number;
  let pdfId: number;

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    const a = await createOutletWithToken(harness.app, 'leak-alpha');
    const b = await createOutletWithToken(harness.app, 'leak-beta');
    outletA = a.headers;
    const researcher = await createPerson(harness.app, {
      email: 'lawyer@leak.example',
      researcherUntil: new Date(Date.now() + 86_400_000),
    });
    callers = { anonymous: {}, outletB: b.headers, researcher: researcher.headers };
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const fields = { authority, legal_basis: ['RU/149-FZ/15.3'], demanded_actions: ['remove'] };
    orderId = (await fileOrder(harness.app, outletA, { ...fields, visibility: 'private', summary: SUMMARY }))
      .id;
    // --- field-redactions ---
    // The archive proposed each planted value of the summary; while they wait, the order is not published.
    const fieldList = await harness.app.inject({
      method: 'GET',
      url: `/api/orders/${orderId}/redactions`,
      headers: outletA,
    });
    expect(fieldList.statusCode, fieldList.body).toBe(200);
    const fieldProposals = fieldList.json().items as { id: number; text: string; field: string }[];
    expect(fieldProposals.map((proposal) => proposal.text).sort()).toEqual([...FIELD_VALUES].sort());
    expect(fieldProposals.every((proposal) => proposal.field === 'summary')).toBe(true);
    const current = await harness.app.inject({
      method: 'GET',
      url: `/api/orders/${orderId}`,
      headers: outletA,
    });
    const refused = await harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${orderId}`,
      headers: { ...outletA, 'if-match': current.headers.etag as string },
      payload: { visibility: 'public' },
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe('redactions_undecided');
    expect(refused.json().undecided).toHaveLength(FIELD_VALUES.length);
    for (const proposal of fieldProposals) {
      const decided = await harness.app.inject({
        method: 'PATCH',
        url: `/api/redactions/${proposal.id}`,
        headers: outletA,
        payload: { state: 'accepted' },
      });
      expect(decided.statusCode, decided.body).toBe(200);
    }
    // --- end field-redactions ---
    otherOrderId = (await fileOrder(harness.app, b.headers, { ...fields, visibility: 'public' })).id;
    [{ id: documentId }] = (await uploadFiles(harness.app, outletA, orderId, [
      { name: 'order', filename: 'demand.txt', content: DEMAND, contentType: 'text/plain' },
    ])) as [{ id: number }];
    await waitUntilSearchable(harness);

    // The outlet reviews the archive's proposals: every planted value was proposed; it accepts them all.
    const list = await harness.app.inject({
      method: 'GET',
      url: `/api/documents/${documentId}/redactions`,
      headers: outletA,
    });
    expect(list.statusCode, list.body).toBe(200);
    const proposals = list.json().items as { id: number; text: string; state: string }[];
    expect(proposals.map((proposal) => proposal.text).sort()).toEqual([...VALUES].sort());
    for (const proposal of proposals) {
      const decided = await harness.app.inject({
        method: 'PATCH',
        url: `/api/redactions/${proposal.id}`,
        headers: outletA,
        payload: { state: 'accepted', reason: 'the journalist’s own data' },
      });
      expect(decided.statusCode, decided.body).toBe(200);
    }
    // --- redaction-finish ---
    // A PDF of the same demand: the public downloads its redacted rendition, never the original.
    const pdfBytes = Buffer.from(await bornDigitalPdf([PDF_DEMAND]));
    [{ id: pdfId }] = (await uploadFiles(harness.app, outletA, orderId, [
      { name: 'evidence', filename: 'demand.pdf', content: pdfBytes, contentType: 'application/pdf' },
    ])) as [{ id: number }];
    await waitUntilSearchable(harness);
    const pdfList = await harness.app.inject({
      method: 'GET',
      url: `/api/documents/${pdfId}/redactions`,
      headers: outletA,
    });
    const pdfProposals = pdfList.json().items as { id: number; text: string }[];
    expect(pdfProposals.map((proposal) => proposal.text)).toEqual(expect.arrayContaining(PDF_VALUES));
    for (const proposal of pdfProposals) {
      await harness.app.inject({
        method: 'PATCH',
        url: `/api/redactions/${proposal.id}`,
        headers: outletA,
        payload: { state: 'accepted' },
      });
    }
    const deadline = Date.now() + 90_000;
    for (;;) {
      const { rows } = await harness.db.query('SELECT rendition_status FROM documents WHERE id = $1', [
        pdfId,
      ]);
      if (rows[0].rendition_status === 'made') break;
      if (Date.now() > deadline) throw new Error(`no rendition: ${rows[0].rendition_status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // --- end redaction-finish ---
    await changeOrder(harness.app, outletA, orderId, { visibility: 'public' });
    await waitUntilSearchable(harness);
  }, 240_000);
  afterAll(() => harness?.close());

  const get = (url: string) => ({ method: 'GET' as const, url });
  /** Every answer that could carry the document's text, for one caller. */
  const requests = (): InjectOptions[] => [
    get(`/api/orders/${orderId}`),
    get('/api/orders?limit=100'),
    get(`/api/documents/${documentId}`),
    get(`/api/documents?order=${orderId}`),
    get(`/api/documents/${documentId}/file`),
    get(`/api/documents/${documentId}/redactions`),
    get(`/api/search?q=${WORD}&pages_per_hit=5`),
    get(`/api/search/pages?q=${WORD}`),
    get(`/api/search/pages?q=${encodeURIComponent(`${WORD} журналист`)}`),
    get(`/api/orders/${orderId}/precedents`),
    get(`/api/orders/${otherOrderId}/precedents`),
    get(`/api/search.atom?q=${WORD}`),
    get('/api/search.atom'),
    get(`/api/orders/${orderId}/history`),
    // --- redaction-finish ---
    get(`/api/documents/${pdfId}`),
    get(`/api/documents/${pdfId}/file`),
    get(`/api/documents/${pdfId}/rendition`),
    get(`/api/documents/${pdfId}/redactions`),
    get(`/api/documents/${pdfId}/pages/1/image`),
    get(`/api/documents/${documentId}/pages/1/image`),
    get('/api/articles'),
    get('/api/audit'),
    get(`/orders/${orderId}`),
    // (The search page echoes its query in its title, field and links; searching a value is tested
    // through the API above, so the page is asked for a word only.)
    get(`/?q=${WORD}`),
    // --- end redaction-finish ---
    // --- field-redactions ---
    get('/api/export.jsonl'),
    get('/api/export.csv'),
    get('/api/stats?group=authority,outlet'),
    get('/api/stats?group=status'),
    get(`/api/orders/${orderId}/lumen.json`),
    get(`/api/orders/${orderId}/redactions`),
    ...['text', 'bibtex', 'csl-json', 'ris'].map((format) =>
      get(`/api/orders/${orderId}/citation?format=${format}`),
    ),
    ...FIELD_VALUES.flatMap((value) => [
      get(`/api/search?q=${encodeURIComponent(value)}&pages_per_hit=5`),
      get(`/api/search.atom?q=${encodeURIComponent(value)}`),
    ]),
    // --- end field-redactions ---
    ...VALUES.flatMap((value) => [
      get(`/api/search?q=${encodeURIComponent(value)}&pages_per_hit=5`),
      get(`/api/search/pages?q=${encodeURIComponent(value)}`),
      get(`/api/search.atom?q=${encodeURIComponent(value)}`),
    ]),
  ];

  it.each(['anonymous', 'outletB', 'researcher'] as const)(
    '%s reads the order and its redacted text, and no planted value anywhere',
    async (name) => {
      const headers = callers[name];
      for (const request of requests()) {
        const response = await harness.app.inject({ ...request, headers });
        const body = withoutEchoedQuery(response.body);
        for (const value of ALL_VALUES) {
          expect(body, `${request.url} leaks ${value}`).not.toContain(value);
        }
      }
      const document = await harness.app.inject({ ...get(`/api/documents/${documentId}`), headers });
      expect(document.statusCode).toBe(200);
      const text = (document.json().pages as { text: string }[]).map((page) => page.text).join('\n');
      expect(text).toContain('[redacted: phone]');
      expect(text).toContain(WORD);
      expect(document.json().suggestions.personal_data).toEqual([]);
      // --- field-redactions ---
      const order = await harness.app.inject({ ...get(`/api/orders/${orderId}`), headers });
      expect(order.json().summary).toContain('[redacted: phone]');
      expect(order.json().summary).toContain(WORD);
      // The order page offers the PDF's redacted copy, never an original.
      const page = await harness.app.inject({ ...get(`/orders/${orderId}`), headers });
      expect(page.body).toContain(`href="/api/documents/${pdfId}/file"`);
      expect(page.body).toContain('Download the redacted copy (PDF)');
      expect(page.body).not.toContain('Download the original file');
      const orderRedactions = await harness.app.inject({
        ...get(`/api/orders/${orderId}/redactions`),
        headers,
      });
      expect(orderRedactions.statusCode).toBe(404);
      for (const value of FIELD_VALUES) {
        const search = await harness.app.inject({
          ...get(`/api/search?q=${encodeURIComponent(value)}`),
          headers,
        });
        expect(search.json().total, `${value} found`).toBe(0);
      }
      // --- end field-redactions ---
      const file = await harness.app.inject({ ...get(`/api/documents/${documentId}/file`), headers });
      expect(file.statusCode).toBe(404);
      // --- redaction-finish ---
      // The PDF's public file is its rendition: pixels, with every planted value painted over.
      const pdfFile = await harness.app.inject({ ...get(`/api/documents/${pdfId}/file`), headers });
      expect(pdfFile.statusCode).toBe(303);
      const rendition = await harness.app.inject({ ...get(pdfFile.headers.location as string), headers });
      expect(rendition.statusCode).toBe(200);
      for (const value of PDF_VALUES) expect(rendition.rawPayload.includes(Buffer.from(value))).toBe(false);
      expect(rendition.rawPayload.includes(Buffer.from(WORD))).toBe(false);
      const pdfDetail = await harness.app.inject({ ...get(`/api/documents/${pdfId}`), headers });
      expect(pdfDetail.json().download).toMatchObject({ kind: 'rendition', rendition_status: 'made' });
      const pageImage = await harness.app.inject({
        ...get(`/api/documents/${pdfId}/pages/1/image`),
        headers,
      });
      expect(pageImage.statusCode).toBe(404);
      // --- end redaction-finish ---
      const redactions = await harness.app.inject({
        ...get(`/api/documents/${documentId}/redactions`),
        headers,
      });
      expect(redactions.statusCode).toBe(404);
      const found = await harness.app.inject({ ...get(`/api/search?q=${WORD}`), headers });
      expect(found.json().total).toBe(1);
      for (const value of VALUES) {
        const search = await harness.app.inject({
          ...get(`/api/search?q=${encodeURIComponent(value)}`),
          headers,
        });
        expect(search.json().total, `${value} found`).toBe(0);
        const pages = await harness.app.inject({
          ...get(`/api/search/pages?q=${encodeURIComponent(value)}`),
          headers,
        });
        expect(pages.json().total, `${value} found in pages`).toBe(0);
      }
    },
  );

  it('the outlet reads, downloads and finds every value', async () => {
    const document = await harness.app.inject({ ...get(`/api/documents/${documentId}`), headers: outletA });
    for (const value of VALUES) expect(document.body).toContain(value);
    const file = await harness.app.inject({ ...get(`/api/documents/${documentId}/file`), headers: outletA });
    expect(file.statusCode).toBe(200);
    // --- redaction-finish ---
    const pdf = await harness.app.inject({ ...get(`/api/documents/${pdfId}/file`), headers: outletA });
    expect(pdf.statusCode).toBe(200);
    const sha256 = createHash('sha256').update(pdf.rawPayload).digest('hex');
    expect(sha256).toBe(
      (await harness.app.inject({ ...get(`/api/documents/${pdfId}`), headers: outletA })).json().sha256,
    );
    const page = await harness.app.inject({
      ...get(`/api/documents/${pdfId}/pages/1/image`),
      headers: outletA,
    });
    expect(page.statusCode).toBe(200);
    // --- end redaction-finish ---
    for (const value of VALUES) {
      const search = await harness.app.inject({
        ...get(`/api/search?q=${encodeURIComponent(value)}&pages_per_hit=3`),
        headers: outletA,
      });
      expect(search.json().total, `${value} not found by its outlet`).toBe(1);
      const pages = await harness.app.inject({
        ...get(`/api/search/pages?q=${encodeURIComponent(value)}`),
        headers: outletA,
      });
      // The text's page, and the PDF's for the values it holds too.
      expect(pages.json().total).toBe(PDF_VALUES.includes(value) ? 2 : 1);
    }
    // --- field-redactions ---
    // The order's own summary, whole, in every answer the outlet gets, and found by each value.
    for (const url of [
      `/api/orders/${orderId}`,
      '/api/orders?limit=100',
      '/api/export.jsonl',
      '/api/export.csv',
      `/api/orders/${orderId}/lumen.json`,
      `/orders/${orderId}`,
    ]) {
      const response = await harness.app.inject({ ...get(url), headers: outletA });
      for (const value of FIELD_VALUES) expect(response.body, `${url} lacks ${value}`).toContain(value);
    }
    const orderPage = await harness.app.inject({ ...get(`/orders/${orderId}`), headers: outletA });
    expect(orderPage.body).toContain('Download the original file');
    expect(orderPage.body).not.toContain('Download the redacted copy (PDF)');
    for (const value of FIELD_VALUES) {
      const search = await harness.app.inject({
        ...get(`/api/search?q=${encodeURIComponent(value)}`),
        headers: outletA,
      });
      expect(search.json().total, `${value} not found by its outlet`).toBe(1);
    }
    // --- end field-redactions ---
    // One order, counted once, whichever copy matched.
    const all = await harness.app.inject({ ...get(`/api/search?q=${WORD}`), headers: outletA });
    expect(all.json().total).toBe(1);
  });

  it('a researcher reads and finds them once the outlet allows it for the order', async () => {
    await changeOrder(harness.app, outletA, orderId, { researchers_may_read_unredacted: true });
    await waitUntilSearchable(harness);
    const headers = callers.researcher;
    const document = await harness.app.inject({ ...get(`/api/documents/${documentId}`), headers });
    for (const value of VALUES) expect(document.body).toContain(value);
    const search = await harness.app.inject({
      ...get(`/api/search?q=${encodeURIComponent(PLANTED.iin)}`),
      headers,
    });
    expect(search.json().total).toBe(1);
    // Still nothing for the others.
    for (const other of [callers.anonymous, callers.outletB]) {
      const hidden = await harness.app.inject({
        ...get(`/api/search?q=${encodeURIComponent(PLANTED.iin)}`),
        headers: other,
      });
      expect(hidden.json().total).toBe(0);
    }
    await changeOrder(harness.app, outletA, orderId, { researchers_may_read_unredacted: false });
    await waitUntilSearchable(harness);
  });
});
