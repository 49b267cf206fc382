// The exports (GET /api/export.jsonl and .csv) and an order as a Lumen notice: every order a caller may
// see, across many batches, in order, nothing else; as the public reads it (no hidden value; each original
// named by its sha256, and the file the caller may download by its own) for whoever may not read
// unredacted; a CSV that parses back.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_BATCH_SIZE } from '../../server/records/orderExport.ts';
import type { ExportedOrder } from '../../server/schemas/exports.ts';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
let home: Awaited<ReturnType<typeof createOutletWithToken>>;
let other: Awaited<ReturnType<typeof createOutletWithToken>>;

const BULK = EXPORT_BATCH_SIZE * 3 + 137;
const PRIVATE_MARKER = 'zqexportprivate4471';
const EMBARGO_MARKER = 'zqexportembargo4471';
const HIDDEN_PHONE = '+7 701 555 01 99';
const ORIGINAL_SHA = 'a'.repeat(63) + '1';
const RENDITION_SHA = 'b'.repeat(63) + '2';
const PUBLISHED_SHA = 'c'.repeat(63) + '3';

async function exportOf(format: 'jsonl' | 'csv', headers: Record<string, string> = {}, query = '') {
  const response = await ctx.app.inject({ method: 'GET', url: `/api/export.${format}${query}`, headers });
  expect(response.statusCode, response.body).toBe(200);
  return response;
}

const linesOf = (body: string) =>
  body
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExportedOrder);

async function publicIdsVisibleTo(where: string, params: unknown[] = []) {
  const { rows } = await ctx.db.query<{ public_id: string }>(
    `SELECT public_id FROM orders o WHERE ${where} ORDER BY id`,
    params,
  );
  return rows.map((row) => row.public_id);
}

beforeAll(async () => {
  ctx = await createTestApp({ ADMIN_TOKEN });
  home = await createOutletWithToken(ctx.app, 'export-home', ['export-home.example']);
  other = await createOutletWithToken(ctx.app, 'export-other', ['export-other.example']);
  // More orders than two batches, as an importer writes them; one in seven private, one in seven embargoed.
  await ctx.db.query(
    `INSERT INTO orders (public_id, authority_id, outlet_id, issued_on, status, visibility, embargo_until,
                         summary, legal_basis, demanded_actions)
     SELECT 'TD-2024-' || lpad(n::text, 5, '0'), (SELECT id FROM authorities ORDER BY id OFFSET n % 4 LIMIT 1),
            CASE WHEN n % 2 = 0 THEN $1::bigint ELSE $2::bigint END, date '2020-01-01' + n,
            CASE WHEN n % 3 = 0 THEN 'refused' ELSE 'received' END,
            CASE n % 7 WHEN 0 THEN 'private' WHEN 1 THEN 'embargoed' ELSE 'public' END,
            CASE WHEN n % 7 = 1 THEN now() + interval '1 year' END,
            CASE n % 7 WHEN 0 THEN $3 WHEN 1 THEN $4 ELSE 'order ' || n END,
            ARRAY['RU/149-FZ/15.3'], ARRAY['remove']
       FROM generate_series(1, $5::int) AS n`,
    [home.outlet.id, other.outlet.id, PRIVATE_MARKER, EMBARGO_MARKER, BULK],
  );
});

afterAll(async () => ctx?.close());

describe('GET /api/export.jsonl', () => {
  it('streams every order the caller may see across batches, in order, each once', async () => {
    const anonymous = linesOf((await exportOf('jsonl')).body).map((order) => order.id);
    expect(anonymous.length).toBeGreaterThan(EXPORT_BATCH_SIZE * 2);
    expect(anonymous).toEqual(await publicIdsVisibleTo(`visibility = 'public'`));
    const ofHome = linesOf((await exportOf('jsonl', home.headers)).body).map((order) => order.id);
    expect(ofHome).toEqual(
      await publicIdsVisibleTo(`visibility = 'public' OR outlet_id = $1`, [home.outlet.id]),
    );
    const everything = linesOf((await exportOf('jsonl', editor)).body).map((order) => order.id);
    expect(everything).toEqual(await publicIdsVisibleTo('TRUE'));
  });

  it('gives an anonymous caller no private or embargoed order; an outlet its own and no other’s', async () => {
    const anonymous = (await exportOf('jsonl')).body;
    expect(anonymous).not.toContain(PRIVATE_MARKER);
    expect(anonymous).not.toContain(EMBARGO_MARKER);
    const ofHome = linesOf((await exportOf('jsonl', home.headers)).body);
    const hiddenOfHome = ofHome.filter((order) => order.visibility !== 'public');
    expect(hiddenOfHome.length).toBeGreaterThan(0);
    expect(hiddenOfHome.every((order) => order.outlet?.slug === 'export-home')).toBe(true);
    const hiddenOfOther = linesOf((await exportOf('jsonl', other.headers)).body).filter(
      (order) => order.visibility !== 'public',
    );
    expect(hiddenOfOther.every((order) => order.outlet?.slug === 'export-other')).toBe(true);
  });

  it('applies the filters, and agrees with the statistics on how many orders they match', async () => {
    for (const query of [
      '?status=refused',
      '?outlet=export-home&issued_from=2020-06-01&issued_to=2021-02-10',
      '?legal_basis=RU/149-FZ&demanded_action=remove&has_response=false',
    ]) {
      for (const headers of [{}, home.headers]) {
        const orders = linesOf((await exportOf('jsonl', headers, query)).body);
        const stats = await ctx.app.inject({ method: 'GET', url: `/api/stats${query}`, headers });
        expect(orders.length, query).toBe(stats.json().total);
        expect(orders.length, query).toBeGreaterThan(0);
      }
    }
    const refused = linesOf((await exportOf('jsonl', {}, '?status=refused')).body);
    expect(refused.every((order) => order.status === 'refused')).toBe(true);
  });
});

describe('redaction in the export', () => {
  let publicOrder: string;

  beforeAll(async () => {
    const authority = await authorityByAlias(ctx.app, 'Роскомнадзор');
    publicOrder = (
      await fileOrder(ctx.app, home.headers, {
        authority: authority.slug,
        visibility: 'public',
        summary: `Call the editor on ${HIDDEN_PHONE} before the deadline`,
        targets: [{ url: 'https://export-home.example/news/1', title: 'The story' }],
      })
    ).id;
    await ctx.app.inject({
      method: 'POST',
      url: `/api/orders/${publicOrder}/responses`,
      headers: home.headers,
      payload: { kind: 'refusal', text: `We refused; reach us at ${HIDDEN_PHONE}` },
    });
    const { rows } = await ctx.db.query<{ id: number }>('SELECT id FROM orders WHERE public_id = $1', [
      publicOrder,
    ]);
    const orderId = rows[0]!.id;
    await ctx.db.query(`INSERT INTO blobs (sha256, size) VALUES ($1, 10), ($2, 10), ($3, 10)`, [
      ORIGINAL_SHA,
      RENDITION_SHA,
      PUBLISHED_SHA,
    ]);
    const { rows: documents } = await ctx.db.query<{ id: number }>(
      `INSERT INTO documents (order_id, sha256, size, mime, role, ocr_languages, original_filename, status,
                              page_count, metadata, original_publishable, rendition_status, rendition_sha256)
       VALUES ($1, $2, 10, 'application/pdf', 'order', 'rus', $4, 'extracted', 1, $5, false, 'made', $3),
              ($1, $6, 10, 'application/pdf', 'evidence', 'rus', 'published.pdf', 'extracted', 1, '{}', true,
               NULL, NULL)
       RETURNING id`,
      [
        orderId,
        ORIGINAL_SHA,
        RENDITION_SHA,
        `letter to ${HIDDEN_PHONE}.pdf`,
        JSON.stringify({ from: `desk ${HIDDEN_PHONE}` }),
        PUBLISHED_SHA,
      ],
    );
    await ctx.db.query(
      `INSERT INTO redactions (document_id, page, start_offset, end_offset, kind, redacted_text, source, state,
                               decided_by, decided_at)
       VALUES ($1, 1, 0, $2, 'phone', $3, 'person', 'accepted', 'test', now())`,
      [documents[0]!.id, HIDDEN_PHONE.length, HIDDEN_PHONE],
    );
  });

  // The rule (docs/ARCHITECTURE.md, "Redactions"): an original's sha256 is public whenever its document's
  // metadata is, as in the document's JSON, its citation and its transparency-log entry; what the public
  // may not have is the original itself, so its download is the redacted rendition, with that file's sha256.
  it('replaces a hidden value everywhere, and gives the public the rendition where the original is not published', async () => {
    for (const format of ['jsonl', 'csv'] as const) {
      const body = (await exportOf(format)).body;
      expect(body).toContain(publicOrder);
      expect(body).not.toContain(HIDDEN_PHONE);
      expect(body).toContain(ORIGINAL_SHA);
      expect(body).toContain(RENDITION_SHA);
      expect(body).toContain(PUBLISHED_SHA);
    }
    const order = linesOf((await exportOf('jsonl')).body).find((line) => line.id === publicOrder)!;
    expect(order.summary).toContain('[redacted');
    expect(order.redacted).toBe(true);
    const [unpublished, published] = order.documents;
    expect([unpublished!.sha256, unpublished!.original_available, unpublished!.download]).toEqual([
      ORIGINAL_SHA,
      false,
      {
        kind: 'rendition',
        url: `/api/documents/${unpublished!.id}/file`,
        sha256: RENDITION_SHA,
        rendition_status: 'made',
      },
    ]);
    expect([published!.sha256, published!.original_available, published!.download.sha256]).toEqual([
      PUBLISHED_SHA,
      true,
      PUBLISHED_SHA,
    ]);
    // The same as GET /api/documents/:id answers the same caller.
    const detail = await ctx.app.inject({ method: 'GET', url: `/api/documents/${unpublished!.id}` });
    expect([detail.json().sha256, detail.json().download]).toEqual([
      unpublished!.sha256,
      unpublished!.download,
    ]);
    const rows = parse((await exportOf('csv')).body, { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    const row = rows.find((line) => line.id === publicOrder)!;
    expect(row.document_sha256!.split('\n')).toEqual([ORIGINAL_SHA, PUBLISHED_SHA]);
    expect(row.document_download_sha256!.split('\n')).toEqual([RENDITION_SHA, PUBLISHED_SHA]);
  });

  it('gives the order’s outlet and editors the unredacted order and the original to download', async () => {
    for (const headers of [home.headers, editor]) {
      const order = linesOf((await exportOf('jsonl', headers)).body).find((line) => line.id === publicOrder)!;
      expect(order.summary).toContain(HIDDEN_PHONE);
      expect(order.responses[0]!.text).toContain(HIDDEN_PHONE);
      expect(order.documents[0]!.sha256).toBe(ORIGINAL_SHA);
      expect(order.documents[0]!.download).toMatchObject({ kind: 'original', sha256: ORIGINAL_SHA });
      expect(order.redacted).toBe(false);
    }
    // Another outlet reads it as the public does.
    const body = (await exportOf('jsonl', other.headers)).body;
    expect(body).not.toContain(HIDDEN_PHONE);
    const order = linesOf(body).find((line) => line.id === publicOrder)!;
    expect(order.documents[0]!.download).toMatchObject({ kind: 'rendition', sha256: RENDITION_SHA });
  });
});

describe('GET /api/export.csv', () => {
  it('parses back into the same orders as the JSON lines, one row each', async () => {
    const csv = (await exportOf('csv', home.headers)).body;
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    const orders = linesOf((await exportOf('jsonl', home.headers)).body);
    expect(rows.map((row) => row.id)).toEqual(orders.map((order) => order.id));
    for (const [row, order] of rows.map((row, index) => [row, orders[index]!] as const)) {
      expect(row.summary).toBe(order.summary ?? '');
      expect(row.authority).toBe(order.authority?.slug ?? '');
      expect(row.outlet).toBe(order.outlet?.slug ?? '');
      expect(row.legal_basis!.split('\n').filter(Boolean)).toEqual(order.legal_basis);
      expect(Number(row.target_count)).toBe(order.targets.length);
      expect(row.target_urls!.split('\n').filter(Boolean)).toEqual(order.targets.map((t) => t.url));
    }
  });

  it('keeps a spreadsheet from running a summary as a formula', async () => {
    const authority = await authorityByAlias(ctx.app, 'Роскомнадзор');
    const { id } = await fileOrder(ctx.app, editor, {
      authority: authority.slug,
      visibility: 'public',
      summary: '=HYPERLINK("https://evil.example","click")',
    });
    const rows = parse((await exportOf('csv')).body, { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.find((row) => row.id === id)!.summary).toBe(`'=HYPERLINK("https://evil.example","click")`);
  });
});

describe('GET /api/orders/:id/lumen.json', () => {
  // The fields of a Lumen notice as Lumen's API serialises a government's request
  // (app/serializers/notice_serializer.rb + law_enforcement_request_serializer.rb in lumendatabase).
  const fixture = {
    government_request: {
      type: 'GovernmentRequest',
      explanation: 'Demand to remove coverage of the war',
      date_sent: '2022-03-04T00:00:00.000Z',
      date_received: '2022-03-05T00:00:00.000Z',
      recipient_name: 'export-home',
      works: [
        {
          subject_of_enforcement_request: 'unreliable socially significant information',
          original_work_urls: [],
          urls_in_request: [{ url: 'https://export-home.example/news/war' }],
        },
      ],
      tags: ['remove'],
      jurisdictions: ['RU'],
      action_taken: 'No',
      language: 'ru',
      case_id_number: '04-37/1234',
      regulations: ['RU/149-FZ/15.3'],
      request_type: 'Agency',
    },
  };

  it('round-trips the fields of a Lumen notice through an order', async () => {
    const notice = fixture.government_request;
    const authority = await authorityByAlias(ctx.app, 'Генпрокуратура');
    const { id } = await fileOrder(ctx.app, home.headers, {
      authority: authority.slug,
      visibility: 'public',
      summary: notice.explanation,
      stated_reason: notice.works[0]!.subject_of_enforcement_request,
      issued_on: notice.date_sent.slice(0, 10),
      received_on: notice.date_received.slice(0, 10),
      targets: notice.works[0]!.urls_in_request.map(({ url }) => ({ url })),
      demanded_actions: notice.tags,
      status: 'refused',
      language: notice.language,
      reference_number: notice.case_id_number,
      legal_basis: notice.regulations,
    });
    const response = await ctx.app.inject({ method: 'GET', url: `/api/orders/${id}/lumen.json` });
    expect(response.statusCode, response.body).toBe(200);
    const ours = response.json().government_request;
    expect(ours).toMatchObject({ ...notice, recipient_name: 'export-home' });
    const { rows } = await ctx.db.query('SELECT name FROM authorities WHERE slug = $1', [authority.slug]);
    expect(ours.sender_name).toBe(rows[0].name);
    expect(typeof ours.id).toBe('number');
    expect(ours.archive_id).toBe(id);
  });

  it('answers 404 for an order the caller may not see', async () => {
    const { rows } = await ctx.db.query<{ public_id: string }>(
      `SELECT public_id FROM orders WHERE visibility = 'private' AND outlet_id = $1 LIMIT 1`,
      [home.outlet.id],
    );
    const url = `/api/orders/${rows[0]!.public_id}/lumen.json`;
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url, headers: other.headers })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url, headers: home.headers })).statusCode).toBe(200);
  });
});
