// The statistics page as a reader uses it: orders per authority per month first (the busiest authorities,
// the rest as "other"), outcomes read from what happened (not the status), a filter form with the search
// page's parameters that works without JavaScript and comes back filled in, in the reader's language, and
// each table as CSV.
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFilters } from '../../server/schemas/statistics.ts';
import { ADMIN_TOKEN, createOutletWithToken } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

const documentOf = (html: string) => new JSDOM(html).window.document;
const textOf = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

let harness: Awaited<ReturnType<typeof createTestApp>>;
let authorities: string[];

const get = (url: string, headers: Record<string, string> = {}) =>
  harness.app.inject({ method: 'GET', url, headers });

/** The rows of the table in the section headed `heading`, as [first cell, …other cells]. */
function tableOf(html: string, heading: string): string[][] {
  const section = [...documentOf(html).querySelectorAll('section')].find(
    (candidate) => textOf(candidate.querySelector('h2')) === heading,
  );
  expect(section, heading).toBeDefined();
  return [...section!.querySelectorAll('tr')].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => textOf(cell)),
  );
}

beforeAll(async () => {
  harness = await createTestApp({ ADMIN_TOKEN });
  const { rows } = await harness.db.query<{ slug: string }>(
    'SELECT slug FROM authorities ORDER BY id LIMIT 9',
  );
  authorities = rows.map((row) => row.slug);
  expect(authorities).toHaveLength(9);
  // Authority i has 10 - i public orders, spread over January to March 2024; all are 'received'.
  await harness.db.query(
    `INSERT INTO orders (public_id, authority_id, issued_on, status, visibility)
     SELECT 'TD-2024-' || lpad((a.i * 100 + n)::text, 5, '0'),
            (SELECT id FROM authorities WHERE slug = ($1::text[])[a.i + 1]),
            date '2024-01-05' + ((n % 3) * 31), 'received', 'public'
       FROM generate_series(0, 8) AS a(i), generate_series(1, 10) AS n
      WHERE n <= 10 - a.i`,
    [authorities],
  );
  // Outcomes from what happened: one order blocked, one fined and taken to court, one complied with; the
  // rest have none, although every order's status is 'received'.
  await harness.db.query(
    `WITH o AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM orders)
     INSERT INTO events (order_id, kind, occurred_at)
     SELECT id, kind, now() FROM o JOIN (VALUES (1, 'blocked'), (2, 'fined'), (2, 'court_ruling'), (3, 'ddos'))
       AS e(n, kind) USING (n)`,
  );
  await harness.db.query(
    `INSERT INTO responses (order_id, kind) SELECT id, 'partial_compliance' FROM orders ORDER BY id OFFSET 3 LIMIT 1`,
  );
});

afterAll(async () => harness?.close());

describe('/stats', () => {
  it('opens with orders per authority per month: the busiest six authorities, the rest as "other"', async () => {
    const page = await get('/stats');
    expect(page.statusCode).toBe(200);
    const document = documentOf(page.body);
    const headings = [...document.querySelectorAll('main section h2')].map((h2) => textOf(h2));
    expect(headings[0]).toBe('Orders per authority per month');

    const [header, ...rows] = tableOf(page.body, 'Orders per authority per month');
    expect(header).toHaveLength(1 + 6 + 1 + 1);
    expect(header![7]).toBe('3 other authorities');
    expect(rows.map((row) => row[0])).toEqual(['2024-01', '2024-02', '2024-03']);
    // Authority 0 (10 orders: n = 1..10, n % 3 = 0 in January) and the three smallest (4 + 3 + 2 orders).
    const january = rows[0]!;
    expect(january[1]).toBe('3');
    expect(january[7]).toBe(String(1 + 1 + 0));
    expect(rows.reduce((sum, row) => sum + Number(row[8]), 0)).toBe(54);

    const csv = await get('/stats.csv?group=authority,month');
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('authority,month,orders');
    expect(lines).toContain(`"${authorities[0]}","2024-01",3`);
    expect(lines.slice(1).reduce((sum, line) => sum + Number(line.split(',').at(-1)), 0)).toBe(54);
  });

  it('counts outcomes from responses and events, an order in each of its outcomes, and those with none', async () => {
    const page = await get('/stats');
    const rows = Object.fromEntries(tableOf(page.body, 'Outcome').slice(1) as [string, string][]);
    expect(rows).toEqual({
      Blocked: '1',
      Complied: '1',
      Fined: '1',
      'Went to court': '1',
      'No outcome recorded': '51',
    });
    const csv = await get('/stats.csv?group=outcome');
    expect(csv.body.trim().split('\r\n')).toEqual([
      'outcome,orders',
      '"blocked",1',
      '"complied",1',
      '"court",1',
      '"fined",1',
      '"",51',
    ]);
  });

  it('has a GET form with the search filters, filled in from the address, that narrows every count', async () => {
    const page = await get(`/stats?authority=${authorities[0]}&status=received&issued_from=2024-02-01`);
    expect(page.statusCode).toBe(200);
    const document = documentOf(page.body);
    const form = document.querySelector('form[action="/stats"]')!;
    expect(form.getAttribute('method')).toBe('get');
    const names = [...form.querySelectorAll('select, input')].map((field) => field.getAttribute('name'));
    expect(new Set(names)).toEqual(new Set(Object.keys(DataFilters)));
    for (const field of form.querySelectorAll('select, input'))
      expect(document.querySelector(`label[for="${field.id}"]`), field.id).not.toBeNull();
    const selected = (name: string) =>
      [...form.querySelectorAll(`select[name="${name}"] option`)]
        .filter((option) => (option as HTMLOptionElement).selected)
        .map((option) => option.getAttribute('value'));
    expect(selected('authority')).toEqual([authorities[0]]);
    expect(selected('status')).toEqual(['received']);
    expect(selected('country')).toEqual(['']);
    expect(form.querySelector<HTMLInputElement>('input[name="issued_from"]')!.value).toBe('2024-02-01');
    // The other authorities stay on offer, to change the filter.
    expect(form.querySelectorAll('select[name="authority"] option')).toHaveLength(1 + 9);
    // February and March of authority 0: n = 1, 4, 7, 10 and n = 2, 5, 8.
    expect(textOf(document.querySelector('main p'))).toMatch(/^7 orders/);
    // The link back to search carries the same filters.
    expect(page.body).toContain(
      `href="/?authority=${authorities[0]}&amp;status=received&amp;issued_from=2024-02-01"`,
    );

    // Several values of one filter come back as a multiple choice.
    const two = documentOf(
      (await get(`/stats?authority=${authorities[0]}&authority=${authorities[1]}`)).body,
    );
    const multiple = two.querySelector('select[name="authority"]')!;
    expect(multiple.hasAttribute('multiple')).toBe(true);
    expect(textOf(two.querySelector('main p'))).toMatch(/^19 orders/);
  });

  it('reads the fields left at "any" (sent empty by the form) as no filter', async () => {
    const empty = await get(
      '/stats?authority=&country=&outlet=&legal_basis=&demanded_action=&status=&has_response=&issued_from=&issued_to=',
    );
    expect(empty.statusCode).toBe(200);
    expect(textOf(documentOf(empty.body).querySelector('main p'))).toMatch(/^54 orders/);
    const csv = await get('/stats.csv?group=outcome&authority=&issued_to=');
    expect(csv.statusCode).toBe(200);
    expect(await get('/stats?issued_from=2024-02-30')).toMatchObject({ statusCode: 400 });
  });

  it('speaks Russian and Kazakh: the form, the outcomes and the table', async () => {
    for (const [language, words] of [
      ['ru', ['Выдано с', 'Исход не записан', 'Требования по органам и месяцам', '3 других органа']],
      [
        'kk',
        [
          'Мына күннен бастап берілген',
          'Нәтиже жазылмаған',
          'Органдар мен айлар бойынша талаптар',
          'басқа 3 орган',
        ],
      ],
    ] as const) {
      const page = await get('/stats', { 'accept-language': language });
      for (const word of words) expect(page.body, `${language}: ${word}`).toContain(word);
      expect(page.body).not.toContain('No outcome recorded');
    }
  });

  it('offers in the form only the outlets whose orders the reader may see', async () => {
    const hidden = await createOutletWithToken(harness.app, 'stats-hidden', ['hidden.example']);
    await harness.db.query(
      `INSERT INTO orders (public_id, authority_id, outlet_id, issued_on, status, visibility)
       VALUES ('TD-2024-09001', (SELECT id FROM authorities WHERE slug = $1), $2, '2024-02-10', 'received', 'private')`,
      [authorities[0], hidden.outlet.id],
    );
    const outletsFor = async (headers: Record<string, string>) =>
      [
        ...documentOf((await get('/stats', headers)).body).querySelectorAll('select[name="outlet"] option'),
      ].map((option) => option.getAttribute('value'));
    expect(await outletsFor({})).toEqual(['']);
    expect(await outletsFor(hidden.headers)).toEqual(['', 'stats-hidden']);
    // Each outlet is offered by its name, its slug the value sent.
    await harness.db.query(`UPDATE outlets SET name = 'Hidden Weekly' WHERE id = $1`, [hidden.outlet.id]);
    const option = documentOf((await get('/stats', hidden.headers)).body).querySelector(
      'select[name="outlet"] option[value="stats-hidden"]',
    );
    expect(option?.textContent?.trim()).toBe('Hidden Weekly');
    // The same with a filter set (the lists are then counted without it).
    const filtered = await get('/stats?status=refused', hidden.headers);
    expect(filtered.body).toContain('value="stats-hidden"');
  });
});
