// GET /api/stats: the counts a caller gets equal a direct count of the orders that caller may see, for
// every grouping and filter, while orders are filed, published, hidden, answered and deleted (the rollup
// follows each write).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../server/auth/caller.ts';
import { visibleOrdersSql } from '../../server/auth/orderAccess.ts';
import { ROLLUPS, rollupFor, type Fact } from '../../server/records/orderStatistics.ts';
import type { DataFilterValues, StatisticsGroup } from '../../server/schemas/statistics.ts';
import { createTestApp } from '../support/testApp.ts';
import { ADMIN_TOKEN, createOutletWithToken, editor } from '../support/apiClient.ts';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
let outletA: { outlet: { id: number; slug: string }; headers: Record<string, string> };
let outletB: { outlet: { id: number; slug: string }; headers: Record<string, string> };

const STATUSES = ['received', 'complied', 'refused', 'challenged'];
const ACTIONS = ['remove', 'block', 'restrict_access', 'deindex'];
const LAWS = ['RU/149-FZ/15.3', 'RU/149-FZ/15.1', 'RU/114-FZ/1', 'KZ/ON-COMMUNICATIONS/41-1'];

/** The facts of every order the caller may see, read plainly from `orders`: the oracle. */
async function visibleFacts(caller: Caller) {
  const params: unknown[] = [];
  const { rows } = await ctx.db.query<{
    authority: string | null;
    country: string | null;
    outlet: string | null;
    status: string;
    issued_on: string | null;
    legal_basis: string[];
    demanded_actions: string[];
    has_response: boolean;
    outcomes: string[];
  }>(
    `SELECT a.slug AS authority, a.country::text AS country, ou.slug AS outlet, o.status,
            to_char(o.issued_on, 'YYYY-MM-DD') AS issued_on, o.legal_basis, o.demanded_actions,
            EXISTS (SELECT 1 FROM responses r WHERE r.order_id = o.id) AS has_response,
            ARRAY(SELECT 'complied' FROM responses r
                   WHERE r.order_id = o.id AND r.kind IN ('compliance', 'partial_compliance')
                  UNION ALL SELECT 'refused' FROM responses r WHERE r.order_id = o.id AND r.kind = 'refusal'
                  UNION ALL SELECT e.kind FROM events e WHERE e.order_id = o.id AND e.kind IN ('blocked', 'fined')
                  UNION ALL SELECT 'court' FROM events e
                   WHERE e.order_id = o.id AND e.kind IN ('court_appeal', 'court_ruling')) AS outcomes
       FROM orders o LEFT JOIN authorities a ON a.id = o.authority_id LEFT JOIN outlets ou ON ou.id = o.outlet_id
      WHERE ${visibleOrdersSql(caller, 'o', params)}`,
    params,
  );
  return rows;
}

type OrderFact = Awaited<ReturnType<typeof visibleFacts>>[number];
const GROUP_VALUES: Record<string, (fact: OrderFact) => (string | boolean | null)[]> = {
  authority: (f) => [f.authority],
  country: (f) => [f.country],
  outlet: (f) => [f.outlet],
  status: (f) => [f.status],
  has_response: (f) => [f.has_response],
  month: (f) => [f.issued_on?.slice(0, 7) ?? null],
  year: (f) => [f.issued_on?.slice(0, 4) ?? null],
  demanded_action: (f) => (f.demanded_actions.length ? [...new Set(f.demanded_actions)] : [null]),
  legal_act: (f) =>
    f.legal_basis.length
      ? [...new Set(f.legal_basis.map((code) => code.split('/').slice(0, 2).join('/')))]
      : [null],
  outcome: (f) => (f.outcomes.length ? [...new Set(f.outcomes)] : [null]),
};

function directCount(facts: OrderFact[], groups: string[]) {
  const counts = new Map<string, number>();
  for (const fact of facts) {
    let keys: (string | boolean | null)[][] = [[]];
    for (const group of groups)
      keys = keys.flatMap((key) => GROUP_VALUES[group]!(fact).map((value) => [...key, value]));
    for (const key of keys) counts.set(JSON.stringify(key), (counts.get(JSON.stringify(key)) ?? 0) + 1);
  }
  return { total: facts.length, counts };
}

async function statsFor(headers: Record<string, string>, query: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/api/stats?${query}`, headers });
  expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
  const body = response.json() as { groups: string[]; rows: Record<string, unknown>[]; total: number };
  const counts = new Map(
    body.rows.map((row) => [JSON.stringify(body.groups.map((group) => row[group])), row.orders as number]),
  );
  return { total: body.total, counts };
}

const callers = () => [
  { name: 'anonymous', headers: {}, caller: { kind: 'anonymous' } as Caller },
  {
    name: 'outlet A',
    headers: outletA.headers,
    caller: {
      kind: 'account',
      outletIds: [outletA.outlet.id],
      adminOf: [],
      researcher: false,
      name: 'a',
      userId: null,
      tokenId: null,
      sessionId: null,
      readOnly: false,
    } as Caller,
  },
  { name: 'editor', headers: editor, caller: { kind: 'editor' } as Caller },
];

// Between them (and with the filters below) they pick every rollup (checked by a test below); the
// comment names the rollup each picks without a filter.
const GROUPINGS = [
  'authority', // by_action (the smallest that holds the authority)
  'country,status', // by_outcome
  'outlet,month', // by_outlet_month
  'demanded_action', // by_action
  'legal_act,year', // by_month_law
  'demanded_action,legal_act,has_response', // by_fact
  'outcome', // by_outcome
  'outcome,authority,month', // the fine rollup
  'country,year', // by_month
  'authority,month', // by_month
  'outlet', // by_outlet
  'demanded_action,year', // by_month_action
  'outcome,month,has_response', // by_month_outcome
  'legal_act,authority,status', // by_law
];

async function expectCountsMatch(filter: (fact: OrderFact) => boolean = () => true, query = '') {
  for (const { name, headers, caller } of callers()) {
    const facts = (await visibleFacts(caller)).filter(filter);
    for (const group of GROUPINGS) {
      const answer = await statsFor(headers, `group=${group}${query}`);
      const expected = directCount(facts, group.split(','));
      expect({ caller: name, group, ...answer }).toEqual({ caller: name, group, ...expected });
    }
  }
}

beforeAll(async () => {
  ctx = await createTestApp({ ADMIN_TOKEN });
  outletA = await createOutletWithToken(ctx.app, 'stats-a', ['a.example']);
  outletB = await createOutletWithToken(ctx.app, 'stats-b', ['b.example']);
  // 300 orders in one statement, as an importer writes them: every visibility, some without a date, with
  // repeated and missing actions and laws.
  await ctx.db.query(
    `INSERT INTO orders (public_id, authority_id, outlet_id, issued_on, legal_basis, demanded_actions, status,
                         visibility, embargo_until)
     SELECT 'TD-2025-' || lpad(n::text, 5, '0'),
            (SELECT id FROM authorities ORDER BY id OFFSET n % 5 LIMIT 1),
            CASE n % 3 WHEN 0 THEN NULL WHEN 1 THEN $1::bigint ELSE $2::bigint END,
            CASE WHEN n % 17 = 0 THEN NULL ELSE date '2023-01-01' + (n * 7) END,
            CASE n % 4 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY[($3::text[])[1 + n % 4]]
                       ELSE ARRAY[($3::text[])[1 + n % 4], ($3::text[])[1 + (n / 4) % 4], ($3::text[])[1 + n % 4]] END,
            CASE n % 5 WHEN 0 THEN '{}'::text[] ELSE ARRAY[($4::text[])[1 + n % 4], ($4::text[])[1 + (n / 3) % 4]] END,
            ($5::text[])[1 + n % 4],
            CASE n % 7 WHEN 0 THEN 'private' WHEN 1 THEN 'embargoed' ELSE 'public' END,
            CASE n % 7 WHEN 1 THEN (CASE WHEN n % 2 = 0 THEN now() - interval '1 day' ELSE now() + interval '30 days' END) END
       FROM generate_series(1, 300) AS n`,
    [outletA.outlet.id, outletB.outlet.id, LAWS, ACTIONS, STATUSES],
  );
  await ctx.db.query(
    `INSERT INTO responses (order_id, kind) SELECT id, 'refusal' FROM orders WHERE id % 6 = 0`,
  );
  // Some lapsed embargoes are held by an undecided redaction of the order's own text: the public does not
  // see them yet, and their outlet counts each once (as its own order, not as a lapsed embargo).
  await ctx.db.query(
    `INSERT INTO redactions (order_id, field, start_offset, end_offset, kind, redacted_text, source)
     SELECT id, 'summary', 0, 4, 'other', 'name', 'person' FROM orders
      WHERE visibility = 'embargoed' AND embargo_until < now() AND id % 4 = 0`,
  );
  // Outcomes: compliance of both kinds, events that are outcomes and events that are not, and orders
  // with several outcomes (a refusal and a fine, a block and a court ruling).
  await ctx.db.query(
    `INSERT INTO responses (order_id, kind)
     SELECT id, CASE WHEN id % 2 = 0 THEN 'compliance' ELSE 'partial_compliance' END FROM orders WHERE id % 8 = 3`,
  );
  await ctx.db.query(
    `INSERT INTO events (order_id, kind, occurred_at)
     SELECT id, (ARRAY['blocked', 'fined', 'court_appeal', 'court_ruling', 'unblocked', 'ddos'])[1 + id % 6], now()
       FROM orders WHERE id % 4 <> 1`,
  );
});

afterAll(async () => ctx?.close());

describe('GET /api/stats', () => {
  it('counts exactly what each caller may see, for every grouping', async () => {
    await expectCountsMatch();
  });

  it('filters like search: authority, country, outlet, status, action, law, response, a range cutting months', async () => {
    const { rows } = await ctx.db.query<{ slug: string; country: string }>(
      'SELECT slug, country::text FROM authorities ORDER BY id LIMIT 2',
    );
    const cases: [string, (fact: OrderFact) => boolean][] = [
      [
        `&authority=${rows[0]!.slug}&authority=${rows[1]!.slug}`,
        (f) => [rows[0]!.slug, rows[1]!.slug].includes(f.authority!),
      ],
      [`&country=${rows[0]!.country}`, (f) => f.country === rows[0]!.country],
      [`&outlet=stats-a`, (f) => f.outlet === 'stats-a'],
      ['&status=refused&status=complied', (f) => ['refused', 'complied'].includes(f.status)],
      ['&demanded_action=block', (f) => f.demanded_actions.includes('block')],
      ['&legal_basis=RU/149-FZ', (f) => f.legal_basis.some((code) => code.startsWith('RU/149-FZ/'))],
      ['&legal_basis=RU/114-FZ/1', (f) => f.legal_basis.includes('RU/114-FZ/1')],
      ['&has_response=true', (f) => f.has_response],
      // Whole months, then a range that cuts a month at both ends, then one inside a single month.
      [
        '&issued_from=2023-03-01&issued_to=2024-02-29',
        (f) => f.issued_on !== null && f.issued_on >= '2023-03-01' && f.issued_on <= '2024-02-29',
      ],
      [
        '&issued_from=2023-03-10&issued_to=2024-02-20',
        (f) => f.issued_on !== null && f.issued_on >= '2023-03-10' && f.issued_on <= '2024-02-20',
      ],
      [
        '&issued_from=2023-05-03&issued_to=2023-05-25',
        (f) => f.issued_on !== null && f.issued_on >= '2023-05-03' && f.issued_on <= '2023-05-25',
      ],
      ['&issued_from=2024-01-15', (f) => f.issued_on !== null && f.issued_on >= '2024-01-15'],
    ];
    for (const [query, filter] of cases) await expectCountsMatch(filter, query);
  });

  it('follows every write: publishing, hiding, a new status, a response given and withdrawn, a deletion', async () => {
    await ctx.db.query(`UPDATE orders SET visibility = 'public' WHERE visibility = 'private' AND id % 2 = 0`);
    await ctx.db.query(`UPDATE orders SET visibility = 'private' WHERE visibility = 'public' AND id % 5 = 0`);
    await ctx.db.query(
      `UPDATE orders SET status = 'withdrawn', demanded_actions = '{deindex}' WHERE id % 9 = 0`,
    );
    await ctx.db.query(
      `INSERT INTO responses (order_id, kind) SELECT id, 'appeal' FROM orders WHERE id % 4 = 1`,
    );
    await ctx.db.query(`DELETE FROM responses WHERE order_id % 12 = 0`);
    await ctx.db.query(`DELETE FROM orders WHERE id % 11 = 0`);
    // Outcomes follow their responses and events: added, changed, removed.
    await ctx.db.query(
      `INSERT INTO events (order_id, kind, occurred_at) SELECT id, 'fined', now() FROM orders WHERE id % 10 = 7`,
    );
    await ctx.db.query(`UPDATE events SET kind = 'court_ruling' WHERE kind = 'blocked' AND order_id % 3 = 0`);
    await ctx.db.query(
      `UPDATE responses SET kind = 'compliance' WHERE kind = 'refusal' AND order_id % 5 = 1`,
    );
    await ctx.db.query(`DELETE FROM events WHERE kind = 'court_appeal'`);
    await expectCountsMatch();
    // An order filed and answered through the API counts as well, for its outlet and not for the public.
    const filed = await ctx.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: outletA.headers,
      payload: { authority: 'ru-roskomnadzor', issued_on: '2024-06-01', demanded_actions: ['remove'] },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const answered = await ctx.app.inject({
      method: 'POST',
      url: `/api/orders/${filed.json().id}/responses`,
      headers: outletA.headers,
      payload: { kind: 'refusal' },
    });
    expect(answered.statusCode, answered.body).toBe(201);
    await expectCountsMatch();
    // The rollups a date range or an outlet and a status pick, after the writes too.
    await expectCountsMatch(
      (f) => f.issued_on !== null && f.issued_on >= '2023-03-10' && f.issued_on <= '2024-02-20',
      '&issued_from=2023-03-10&issued_to=2024-02-20',
    );
    await expectCountsMatch(
      (f) => f.outlet === 'stats-a' && f.status === 'refused',
      '&outlet=stats-a&status=refused',
    );
  });

  it('keeps every rollup equal to a recount of the orders after those writes', async () => {
    // Each fact as a rollup holds it, recounted from the orders and their responses and events (not from
    // the columns the triggers keep).
    const recounted: Record<Fact, string> = {
      authority_id: 'o.authority_id',
      outlet_id: 'o.outlet_id',
      status: 'o.status',
      issued_month: `date_trunc('month', o.issued_on)::date`,
      has_response: 'EXISTS (SELECT 1 FROM responses r WHERE r.order_id = o.id)',
      legal_basis: 'statistics_set(o.legal_basis)',
      demanded_actions: 'statistics_set(o.demanded_actions)',
      legal_acts: 'statistics_acts(o.legal_basis)',
      outcomes: 'order_outcomes(o.id)',
    };
    for (const { table, facts } of ROLLUPS) {
      const kept = await ctx.db.query(
        `SELECT public, ${facts.join(', ')}, orders::int FROM ${table} WHERE orders <> 0 ORDER BY 1, ${facts.map((_, index) => index + 2).join(', ')}`,
      );
      const recount = await ctx.db.query(
        `SELECT o.visibility = 'public' AS public, ${facts.map((fact) => `${recounted[fact]} AS ${fact}`).join(', ')},
                count(*)::int AS orders
           FROM orders o GROUP BY ${facts.map((_, index) => index + 2).join(', ')}, 1
          ORDER BY 1, ${facts.map((_, index) => index + 2).join(', ')}`,
      );
      expect(recount.rows.length, table).toBeGreaterThan(1);
      expect({ table, rows: kept.rows }).toEqual({ table, rows: recount.rows });
    }
  });

  it('reads every rollup in the comparisons after the writes', () => {
    // The groupings unfiltered, under a date range and under an outlet and a status, as compared above.
    const filterSets: DataFilterValues[] = [
      {},
      { issued_from: '2023-03-10', issued_to: '2024-02-20' },
      { outlet: ['stats-a'], status: ['refused'] },
    ];
    const read = new Set(
      filterSets.flatMap((filters) =>
        GROUPINGS.map((group) => rollupFor(group.split(',') as StatisticsGroup[], filters).table),
      ),
    );
    expect([...read].sort()).toEqual(ROLLUPS.map(({ table }) => table).sort());
  });

  it("answers each of the statistics page's counts, unfiltered or by a date range, from a coarse rollup", () => {
    const pageGroups: StatisticsGroup[][] = [
      ['authority', 'month'],
      ...(
        [
          'month',
          'authority',
          'country',
          'legal_act',
          'demanded_action',
          'outcome',
          'status',
          'outlet',
        ] as const
      ).map((group) => [group]),
    ];
    for (const filters of [{}, { issued_from: '2023-03-10', issued_to: '2024-02-20' }])
      for (const group of pageGroups)
        expect({ group, filters, table: rollupFor(group, filters).table }).not.toEqual({
          group,
          filters,
          table: 'order_statistics',
        });
  });

  it('refuses an unknown group, more than three groups, and a bad filter with 400', async () => {
    for (const query of [
      'group=colour',
      'group=authority,month,year,status',
      'group=authority&status=lost',
      'group=authority&issued_from=2023-02-30',
    ]) {
      const response = await ctx.app.inject({ method: 'GET', url: `/api/stats?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code).toBe('invalid_input');
    }
  });
});
