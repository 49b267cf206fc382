// The audit log for editors: nobody else reads it; its filters and pages agree with the table itself; bad
// filters are refused; and a page stays an index walk on a log of hundreds of thousands of entries.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { auditPageSql } from '../../server/records/auditRecords.ts';
import type { AuditQuery } from '../../server/schemas/history.ts';
import { createTestApp } from '../support/testApp.ts';

type Headers = Record<string, string>;
interface Entry {
  id: number;
  at: string;
  actor: string;
  user_id: number | null;
  token_id: number | null;
  session_id: number | null;
  action: string;
  record_type: string;
  record_id: string;
  before: unknown;
  after: unknown;
}

describe('the audit log', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let alpha: Awaited<ReturnType<typeof createOutletWithToken>>;
  let member: TestPerson;
  let editorPerson: TestPerson;
  let researcher: TestPerson;
  let start: string;

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    start = new Date(Date.now() - 1000).toISOString();
    alpha = await createOutletWithToken(harness.app, 'audit-alpha');
    member = await createPerson(harness.app, {
      email: 'member@audit.example',
      displayName: 'Audit Member',
      memberships: [{ outletId: alpha.outlet.id, role: 'member' }],
    });
    editorPerson = await createPerson(harness.app, { email: 'chief@audit.example', editor: true });
    researcher = await createPerson(harness.app, { email: 'r@audit.example', researcherUntil: 'infinity' });
    const authority = (await authorityByAlias(harness.app, 'KZ-CERT')).slug;
    // Orders with targets make several entries in one transaction: the same `at`, told apart by the id.
    for (const [index, headers] of [alpha.headers, member.headers, editor, editorPerson.headers].entries()) {
      const order = await fileOrder(harness.app, headers, {
        authority,
        outlet: 'audit-alpha',
        targets: [{ url: `https://audit.example/${index}/a` }, { url: `https://audit.example/${index}/b` }],
      });
      const changed = await harness.app.inject({
        method: 'PATCH',
        url: `/api/orders/${order.id}`,
        headers: { ...headers, 'if-match': '*' },
        payload: { status: 'refused' },
      });
      expect(changed.statusCode, changed.body).toBe(200);
    }
    for (const name of ['first', 'second', 'third']) {
      const made = await harness.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: member.headers,
        payload: { name },
      });
      expect(made.statusCode, made.body).toBe(201);
    }
  });
  afterAll(() => harness.close());

  const get = (query: string, headers: Headers = editor) =>
    harness.app.inject({ method: 'GET', url: `/api/audit${query ? `?${query}` : ''}`, headers });

  /** Every entry under `query`, page by page. */
  async function walk(query: string, limit: number): Promise<Entry[]> {
    const entries: Entry[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const response: LightMyRequestResponse = await get(
        `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { items: Entry[]; next_cursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(limit);
      entries.push(...page.items);
      cursor = page.next_cursor;
      if (!cursor) return entries;
    }
    throw new Error('the cursor never ended');
  }

  /** The ids the table itself holds under `where`, newest first. */
  async function idsWhere(where: string, values: unknown[] = []): Promise<number[]> {
    const { rows } = await harness.app.db.query<{ id: string }>(
      `SELECT id FROM audit_log WHERE ${where} ORDER BY at DESC, id DESC`,
      values,
    );
    return rows.map((row) => Number(row.id));
  }

  it('is for editors only', async () => {
    expect((await get('')).statusCode).toBe(200);
    expect((await get('', editorPerson.headers)).statusCode).toBe(200);
    expect((await get('', {})).statusCode).toBe(401);
    for (const headers of [member.headers, researcher.headers, alpha.headers]) {
      const response = await get('', headers);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('forbidden');
    }
  });

  it('names who acted: actor, user, token', async () => {
    const tokens = (await get('action=token.create&limit=100')).json().items as Entry[];
    expect(tokens).toHaveLength(3);
    for (const entry of tokens) {
      expect(entry).toMatchObject({
        actor: 'user:Audit Member',
        user_id: member.userId,
        token_id: member.tokenId,
        session_id: null,
        record_type: 'token',
        before: null,
      });
      expect(entry.after).toMatchObject({ user_id: member.userId, read_only: false });
      expect(Number.isNaN(Date.parse(entry.at))).toBe(false);
    }
  });

  it('walks every page of the whole log, in the order of the table', async () => {
    const entries = await walk('', 7);
    expect(entries.map((entry) => entry.id)).toEqual(await idsWhere('TRUE'));
    expect(entries.length).toBeGreaterThan(20);
    // Entries of one transaction share their time and still each appear once.
    const times = entries.map((entry) => entry.at);
    expect(new Set(times).size).toBeLessThan(times.length);
  });

  it('filters, alone and together, as SQL would', async () => {
    const cases: [string, string, unknown[]][] = [
      ['action=order.update', `action = 'order.update'`, []],
      ['action=order.*', `action LIKE 'order.%'`, []],
      ['action=order*', `action LIKE 'order%'`, []],
      ['action=nothing.*', 'FALSE', []],
      ['record_type=order', `record_type = 'order'`, []],
      ['record_type=order&record_id=1', `record_type = 'order' AND record_id = '1'`, []],
      [`user=${member.userId}`, 'user_id = $1', [member.userId]],
      [`user=${member.userId}&action=order.*`, `user_id = $1 AND action LIKE 'order.%'`, [member.userId]],
      ['actor=admin_token', `actor ILIKE '%admin\\_token%'`, []],
      ['actor=%25', `actor LIKE '%\\%%'`, []],
      [`since=${encodeURIComponent(start)}`, 'at >= $1', [start]],
      [
        `since=${encodeURIComponent(start)}&until=${encodeURIComponent(new Date().toISOString())}&action=token.*`,
        `at >= $1 AND at < now() AND action LIKE 'token.%'`,
        [start],
      ],
      ['until=2000-01-01T00:00:00Z', `at < '2000-01-01T00:00:00Z'`, []],
    ];
    for (const [query, where, values] of cases) {
      const entries = await walk(query, 3);
      expect(
        entries.map((entry) => entry.id),
        query,
      ).toEqual(await idsWhere(where, values));
    }
    expect((await walk('action=order.*', 100)).length).toBeGreaterThan(10);
  });

  it('refuses bad filters with 400, naming them', async () => {
    for (const [query, name] of [
      ['action=Order.Create', 'action'],
      ['action=order.**', 'action'],
      ['action=*', 'action'],
      ['action=order%20create', 'action'],
      ["action=order.create'--", 'action'],
      ['record_type=order;drop', 'record_type'],
      ['record_id=', 'record_id'],
      ['record_id=a%00b', 'record_id'],
      ['actor=%00', 'actor'],
      ['user=0', 'user'],
      ['user=alice', 'user'],
      ['user=99999999999999999999', 'user'],
      ['since=yesterday', 'since'],
      ['since=0000-01-01T00:00:00Z', 'since'],
      ['until=2026-02-30T00:00:00Z', 'until'],
      ['since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'since'],
      ['cursor=abc', 'cursor'],
      ['cursor=1-2-3', 'cursor'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['acton=token.create', 'acton'],
    ]) {
      const response = await get(query!);
      expect(response.statusCode, `${query}: ${response.body}`).toBe(400);
      expect(response.json()).toMatchObject({ code: 'invalid_input' });
      expect(response.json().message, query).toContain(name!);
    }
  });

  it('stays an index walk on a big log', async () => {
    const db = harness.app.db;
    await db.query(
      `INSERT INTO audit_log (actor, action, record_type, record_id, after, at)
       SELECT CASE WHEN g % 20000 = 7 THEN 'editor:seldom-seen' WHEN g % 97 = 0 THEN 'editor:bulk'
                   ELSE 'worker:extraction' END,
              CASE WHEN g % 2000 = 0 THEN 'bench.rare' WHEN g % 10 = 0 THEN 'order.update'
                   ELSE 'document.extract' END,
              CASE WHEN g % 10 = 0 THEN 'order' ELSE 'document' END,
              (g % 20000)::text, '{"status": "done"}'::jsonb,
              now() - interval '1 day' - g * interval '1 second'
         FROM generate_series(1, 120000) g`,
    );
    await db.query('ANALYZE audit_log');
    const base: AuditQuery = { limit: 20 };
    const first = (await get('limit=20')).json() as { next_cursor: string };
    const queries: [string, AuditQuery][] = [
      ['no filter', base],
      ['a later page', { ...base, cursor: first.next_cursor }],
      ['a rare action', { ...base, action: 'bench.rare' }],
      ['a rare prefix', { ...base, action: 'bench.*' }],
      ['a common prefix', { ...base, action: 'document.*' }],
      ['a token prefix', { ...base, action: 'token.*' }],
      ['one record', { ...base, record_type: 'order', record_id: '10' }],
      ['a user', { ...base, user: member.userId }],
      ['a week', { ...base, since: '2020-01-01T00:00:00Z', until: '2020-01-08T00:00:00Z' }],
      ['a rare actor', { ...base, actor: 'seldom' }],
      [
        'an actor since a date',
        { ...base, actor: 'bulk', since: new Date(Date.now() - 86_400_000 * 2).toISOString() },
      ],
    ];
    for (const [name, query] of queries) {
      const { text, values } = await auditPageSql(db, query);
      const plan = (await db.query(`EXPLAIN ${text}`, values)).rows
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      expect(plan, `${name}:\n${plan}`).not.toMatch(/Seq Scan on audit_log/);
      expect(plan, `${name}:\n${plan}`).toMatch(/audit_log_(at|action|record|user|actor_trgm)_idx/);
      // A rare actor is found through the trigram index, not by walking the whole log backwards.
      if (name === 'a rare actor') expect(plan, plan).toMatch(/audit_log_actor_trgm_idx/);
    }
    for (const [name, query] of [
      ['no filter', 'limit=50'],
      ['a rare action', 'action=bench.rare'],
      ['a prefix', 'action=bench.*'],
      ['a user', `user=${member.userId}`],
      ['a rare actor', 'actor=seldom'],
    ]) {
      const started = performance.now();
      const response = await get(query!);
      const took = performance.now() - started;
      expect(response.statusCode, name).toBe(200);
      expect(took, `${name}: ${took.toFixed(0)} ms`).toBeLessThan(1000);
    }
    const rare = await walk('action=bench.*', 100);
    expect(rare).toHaveLength(60);
  });
});
