// Tokens made, used, listed and revoked by their owners through the API: a token carries its maker's
// rights or fewer (read-only, one outlet, an expiry), never more than the credential that made it, stops
// at once when revoked, never shows its secret again, and every change is in the audit log.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  bearer,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { hashToken } from '../../server/auth/apiTokens.ts';
import { createTestApp } from '../support/testApp.ts';

type Headers = Record<string, string>;

describe('API tokens made through the API', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let alpha: Awaited<ReturnType<typeof createOutletWithToken>>;
  let beta: Awaited<ReturnType<typeof createOutletWithToken>>;
  let admin: TestPerson;
  let member: TestPerson;
  let twoOutlets: TestPerson;
  let editorPerson: TestPerson;
  let authority: string;
  let alphaOrder: string;
  let betaOrder: string;
  /** Every secret made in this file: none may appear in a listing or the audit log. */
  const secrets: string[] = [];

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    alpha = await createOutletWithToken(harness.app, 'tokens-alpha');
    beta = await createOutletWithToken(harness.app, 'tokens-beta');
    authority = (await authorityByAlias(harness.app, 'KZ-CERT')).slug;
    admin = await createPerson(harness.app, {
      email: 'admin@alpha.example',
      displayName: 'Alpha Admin',
      memberships: [{ outletId: alpha.outlet.id, role: 'admin' }],
    });
    member = await createPerson(harness.app, {
      email: 'member@alpha.example',
      displayName: 'Alpha Member',
      memberships: [{ outletId: alpha.outlet.id, role: 'member' }],
    });
    twoOutlets = await createPerson(harness.app, {
      email: 'both@tokens.example',
      memberships: [
        { outletId: alpha.outlet.id, role: 'member' },
        { outletId: beta.outlet.id, role: 'member' },
      ],
    });
    editorPerson = await createPerson(harness.app, { email: 'editor@archive.example', editor: true });
    alphaOrder = (await fileOrder(harness.app, alpha.headers, { authority })).id;
    betaOrder = (await fileOrder(harness.app, beta.headers, { authority })).id;
  });
  afterAll(() => harness.close());

  const mint = (headers: Headers, payload: object) =>
    harness.app.inject({ method: 'POST', url: '/api/tokens', headers, payload });

  /** Makes a token and returns its answer and the headers to call with it. */
  async function minted(headers: Headers, payload: object) {
    const response = await mint(headers, payload);
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    secrets.push(body.token);
    return { body, headers: bearer(body.token) };
  }

  const status = async (url: string, headers: Headers) =>
    (await harness.app.inject({ method: 'GET', url, headers })).statusCode;
  const fileFor = (headers: Headers, outlet?: string) =>
    harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers,
      payload: { authority, ...(outlet ? { outlet } : {}) },
    });
  const revoke = (headers: Headers, id: number) =>
    harness.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers });

  it("makes a person's token that works with their rights, and shows its secret once", async () => {
    const { body, headers } = await minted(member.headers, { name: 'laptop script' });
    expect(body).toMatchObject({
      name: 'laptop script',
      role: 'user',
      owner: { kind: 'user', id: member.userId, display_name: 'Alpha Member' },
      outlet: null,
      read_only: false,
      state: 'live',
      expires_at: null,
      revoked_at: null,
      created_by: { id: member.userId },
    });
    expect(body.token).toMatch(/^ta_/);
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(200);
    expect(await status(`/api/orders/${betaOrder}`, headers)).toBe(404);
    expect((await fileFor(headers)).statusCode).toBe(201);
    expect((await fileFor(headers, 'tokens-beta')).statusCode).toBe(403);
    const stored = await harness.app.db.query('SELECT token_hash FROM api_tokens WHERE id = $1', [body.id]);
    expect(stored.rows[0].token_hash).toBe(hashToken(body.token));
    expect(JSON.stringify(stored.rows)).not.toContain(body.token);
  });

  it('makes a read-only token that reads but cannot write, not even another token', async () => {
    const { body, headers } = await minted(member.headers, { name: 'reader', read_only: true });
    expect(body.read_only).toBe(true);
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(200);
    const write = await fileFor(headers);
    expect(write.statusCode).toBe(403);
    expect(write.json().message).toMatch(/read-only/);
    expect((await mint(headers, { name: 'escape' })).statusCode).toBe(403);
    expect((await revoke(headers, body.id)).statusCode).toBe(403);
  });

  it('narrows a token to one outlet, and a narrowed token makes only narrowed tokens', async () => {
    const narrowed = await minted(twoOutlets.headers, { name: 'alpha only', outlet: 'tokens-alpha' });
    expect(narrowed.body.outlet).toMatchObject({ id: alpha.outlet.id, slug: 'tokens-alpha' });
    expect(await status(`/api/orders/${alphaOrder}`, narrowed.headers)).toBe(200);
    expect(await status(`/api/orders/${betaOrder}`, narrowed.headers)).toBe(404);
    expect((await fileFor(narrowed.headers, 'tokens-beta')).statusCode).toBe(403);

    const child = await minted(narrowed.headers, { name: 'child of a narrowed token' });
    expect(child.body.outlet).toMatchObject({ id: alpha.outlet.id });
    expect(await status(`/api/orders/${betaOrder}`, child.headers)).toBe(404);
    const wider = await mint(narrowed.headers, { name: 'wider', outlet: 'tokens-beta' });
    expect(wider.statusCode, wider.body).toBe(403);
    expect(wider.json().message).toMatch(/one outlet/);

    // Not even an editor's narrowed token gives back the editor's rights.
    const editorNarrowed = await minted(editorPerson.headers, {
      name: 'editor at alpha',
      outlet: 'tokens-alpha',
    });
    expect(await status(`/api/orders/${betaOrder}`, editorNarrowed.headers)).toBe(404);
    expect(await status('/api/audit', editorNarrowed.headers)).toBe(403);
    const editorChild = await minted(editorNarrowed.headers, { name: 'editor child' });
    expect(editorChild.body.outlet).toMatchObject({ id: alpha.outlet.id });
    expect(await status(`/api/orders/${betaOrder}`, editorChild.headers)).toBe(404);
    expect(await status('/api/audit', editorChild.headers)).toBe(403);
    // …and the same editor's own token still sees everything.
    expect(await status(`/api/orders/${betaOrder}`, editorPerson.headers)).toBe(200);
  });

  it("keeps a token narrowed to one outlet away from its person's other tokens, sessions and password", async () => {
    const unnarrowed = await minted(twoOutlets.headers, { name: 'everything I have' });
    const narrowed = await minted(twoOutlets.headers, { name: 'alpha desk only', outlet: 'tokens-alpha' });
    const sibling = await minted(twoOutlets.headers, { name: 'alpha script', outlet: 'tokens-alpha' });

    const listedBy = async (headers: Headers) => {
      const response = await harness.app.inject({ url: '/api/tokens?limit=100', headers });
      expect(response.statusCode, response.body).toBe(200);
      return (response.json().items as { id: number }[]).map((token) => token.id);
    };
    const seen = await listedBy(narrowed.headers);
    // Itself and the person's other tokens for the same outlet; not the person's wider tokens.
    expect(seen).toEqual(expect.arrayContaining([narrowed.body.id, sibling.body.id]));
    expect(seen).not.toContain(unnarrowed.body.id);
    expect(seen).not.toContain(twoOutlets.tokenId);
    expect(await status(`/api/tokens/${unnarrowed.body.id}`, narrowed.headers)).toBe(404);
    expect((await revoke(narrowed.headers, unnarrowed.body.id)).statusCode).toBe(404);
    expect(await status(`/api/orders/${alphaOrder}`, unnarrowed.headers)).toBe(200);

    // The person's account is not the outlet's business: sessions and password stay with the person.
    expect(await status('/api/me/sessions', narrowed.headers)).toBe(403);
    const password = await harness.app.inject({
      method: 'POST',
      url: '/api/me/password',
      headers: narrowed.headers,
      payload: { current_password: 'whatever it is', new_password: 'a long enough new password' },
    });
    expect(password.statusCode, password.body).toBe(403);
    expect(password.json().message).toMatch(/one outlet/);

    // The wider token still manages them all.
    expect(await listedBy(unnarrowed.headers)).toEqual(
      expect.arrayContaining([narrowed.body.id, sibling.body.id, unnarrowed.body.id]),
    );
    expect(await status('/api/me/sessions', unnarrowed.headers)).toBe(200);
  });

  it('refuses a token for an outlet its maker does not act for', async () => {
    const response = await mint(member.headers, { name: 'foreign', outlet: 'tokens-beta' });
    expect(response.statusCode, response.body).toBe(403);
    const unknown = await mint(member.headers, { name: 'nowhere', outlet: 'no-such-outlet' });
    expect(unknown.statusCode, unknown.body).toBe(400);
  });

  it('stops a token at its expiry, and a token cannot outlive the one that made it', async () => {
    const soon = new Date(Date.now() + 2000).toISOString();
    const { body, headers } = await minted(member.headers, { name: 'two seconds', expires_at: soon });
    expect(Date.parse(body.expires_at)).toBe(Date.parse(soon));
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(200);

    const inherits = await minted(headers, { name: 'inherits' });
    expect(inherits.body.expires_at).toBe(body.expires_at);
    const later = await mint(headers, {
      name: 'outlives',
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(later.statusCode, later.body).toBe(403);
    expect(later.json().message).toMatch(/outlive/);

    await new Promise((resolve) => setTimeout(resolve, Date.parse(soon) - Date.now() + 300));
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(401);
    expect(await status(`/api/orders/${alphaOrder}`, inherits.headers)).toBe(401);
    const listed = await harness.app.inject({
      url: `/api/tokens?state=expired`,
      headers: member.headers,
    });
    expect(listed.json().items.map((token: { id: number }) => token.id)).toContain(body.id);
  });

  it('refuses an expiry in the past or more than two years ahead', async () => {
    for (const expires_at of [
      new Date(Date.now() - 1000).toISOString(),
      new Date(Date.now() + 3 * 366 * 24 * 3600 * 1000).toISOString(),
      'tomorrow',
    ]) {
      const response = await mint(member.headers, { name: 'bad expiry', expires_at });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().message).toMatch(/expires_at/);
    }
  });

  it('revokes a token at once; revoking it again changes nothing', async () => {
    const { body, headers } = await minted(member.headers, { name: 'short lived' });
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(200);
    expect((await revoke(member.headers, body.id)).statusCode).toBe(204);
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(401);
    expect((await revoke(member.headers, body.id)).statusCode).toBe(204);
    const audit = await harness.app.inject({
      url: `/api/audit?action=token.revoke&record_type=token&record_id=${body.id}`,
      headers: editor,
    });
    expect(audit.json().items).toHaveLength(1);
    const row = await harness.app.db.query('SELECT revoke_reason FROM api_tokens WHERE id = $1', [body.id]);
    expect(row.rows[0].revoke_reason).toBe('revoked');
  });

  it("answers 404 for a token nobody lets you see, and lets nobody revoke another's", async () => {
    const { body, headers } = await minted(admin.headers, { name: "admin's own" });
    expect((await revoke(member.headers, body.id)).statusCode).toBe(404);
    expect((await revoke(alpha.headers, body.id)).statusCode).toBe(404);
    expect((await revoke(member.headers, 999_999_999)).statusCode).toBe(404);
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(200);
    // A token may revoke itself.
    expect((await revoke(headers, body.id)).statusCode).toBe(204);
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(401);
  });

  it("lets an outlet's admin make and revoke the outlet's token, and a plain member neither", async () => {
    const refused = await mint(member.headers, { name: 'desk', owner: 'outlet', outlet: 'tokens-alpha' });
    expect(refused.statusCode, refused.body).toBe(403);
    const elsewhere = await mint(admin.headers, { name: 'desk', owner: 'outlet', outlet: 'tokens-beta' });
    expect(elsewhere.statusCode).toBe(403);
    const noOutlet = await mint(admin.headers, { name: 'desk', owner: 'outlet' });
    expect(noOutlet.statusCode).toBe(400);

    const { body, headers } = await minted(admin.headers, {
      name: 'alpha automation',
      owner: 'outlet',
      outlet: String(alpha.outlet.id),
    });
    expect(body).toMatchObject({
      role: 'outlet',
      owner: { kind: 'outlet', id: alpha.outlet.id, slug: 'tokens-alpha' },
      outlet: { id: alpha.outlet.id },
      created_by: { id: admin.userId, display_name: 'Alpha Admin' },
    });
    expect((await fileFor(headers)).statusCode).toBe(201);
    // An outlet's token has no person: it makes no token of its own, and no outlet token either.
    const own = await mint(headers, { name: 'mine' });
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toMatch(/cli/i);
    expect(own.json().message).toMatch(/never by an outlet’s token/);
    expect((await mint(headers, { name: 'x', owner: 'outlet', outlet: 'tokens-alpha' })).statusCode).toBe(
      403,
    );

    expect((await revoke(member.headers, body.id)).statusCode).toBe(404);
    expect((await revoke(admin.headers, body.id)).statusCode).toBe(204);
    expect((await fileFor(headers)).statusCode).toBe(401);
  });

  it('lists the tokens one may manage, with their last use, never a secret', async () => {
    const { body, headers } = await minted(member.headers, { name: 'used once' });
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(200);
    // The last use is written in the background, after the request.
    let listed: { id: number; last_used_at: string | null; owner: { id: number } | null }[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      const response = await harness.app.inject({ url: '/api/tokens?limit=100', headers: member.headers });
      expect(response.statusCode, response.body).toBe(200);
      listed = response.json().items;
      if (listed.find((token) => token.id === body.id)?.last_used_at) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const entry = listed.find((token) => token.id === body.id)!;
    expect(Date.parse(entry.last_used_at!)).toBeGreaterThan(Date.now() - 60_000);
    expect(listed.some((token) => token.id === member.tokenId)).toBe(true);
    // Only the member's own tokens, none of the outlet's or of other people.
    expect(listed.every((token) => token.owner?.id === member.userId)).toBe(true);

    const byAdmin = (
      await harness.app.inject({ url: '/api/tokens?limit=100', headers: admin.headers })
    ).json().items as { role: string; outlet: { id: number } | null; owner: { id: number } }[];
    expect(byAdmin.some((token) => token.role === 'outlet' && token.outlet?.id === alpha.outlet.id)).toBe(
      true,
    );
    expect(byAdmin.some((token) => token.owner?.id === member.userId)).toBe(false);
    expect(byAdmin.every((token) => token.outlet?.id !== beta.outlet.id)).toBe(true);

    const everything = await harness.app.inject({ url: '/api/tokens?limit=100', headers: editor });
    const all = everything.json().items as { id: number }[];
    const count = await harness.app.db.query('SELECT count(*)::int AS n FROM api_tokens');
    expect(all).toHaveLength(count.rows[0].n);
    for (const response of [everything.body, JSON.stringify(listed), JSON.stringify(byAdmin)]) {
      for (const secret of secrets) {
        expect(response).not.toContain(secret);
        expect(response).not.toContain(hashToken(secret));
      }
      expect(response).not.toMatch(/token_hash|"token"/);
    }
  });

  it('filters and pages the listing', async () => {
    const get = async (query: string, headers: Headers = editor) => {
      const response = await harness.app.inject({ url: `/api/tokens?${query}`, headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as {
        items: { id: number; state: string; owner: { id: number } | null; outlet: { id: number } | null }[];
        next_cursor: string | null;
      };
    };
    const members = await get(`user=${member.userId}&limit=100`);
    expect(members.items.length).toBeGreaterThan(3);
    expect(members.items.every((token) => token.owner?.id === member.userId)).toBe(true);
    const revoked = await get('state=revoked&limit=100');
    expect(revoked.items.length).toBeGreaterThan(0);
    expect(revoked.items.every((token) => token.state === 'revoked')).toBe(true);
    const live = await get('state=live&outlet=tokens-beta&limit=100');
    expect(live.items.every((token) => token.state === 'live' && token.outlet?.id === beta.outlet.id)).toBe(
      true,
    );
    // Another person's id as a filter shows nothing of theirs to a member.
    expect((await get(`user=${admin.userId}`, member.headers)).items).toEqual([]);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof get>> = await get(
        `limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        member.headers,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((token) => token.id));
      cursor = page.next_cursor;
    } while (cursor);
    const whole = await get('limit=100', member.headers);
    expect(seen).toEqual(whole.items.map((token) => token.id));
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it('keeps ADMIN_TOKEN working, which makes outlet tokens but has no tokens of its own', async () => {
    expect(await status(`/api/orders/${betaOrder}`, editor)).toBe(200);
    const own = await mint(editor, { name: 'admin own' });
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toMatch(/npm run cli -- token create/);
    const { body } = await minted(editor, {
      name: 'beta automation',
      owner: 'outlet',
      outlet: 'tokens-beta',
    });
    expect(body.created_by).toBeNull();
    expect((await revoke(editor, body.id)).statusCode).toBe(204);
    expect((await revoke(editor, member.tokenId)).statusCode).toBe(204);
    expect(await status(`/api/orders/${alphaOrder}`, member.headers)).toBe(401);
    expect(await status(`/api/orders/${alphaOrder}`, editor)).toBe(200);
  });

  it('revokes with the CLI at the server too, and says so in the audit log', async () => {
    const { body, headers } = await minted(admin.headers, { name: 'lost laptop' });
    const cli = (id: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'token', 'revoke', '--id', id], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { PATH: process.env.PATH, DATABASE_URL: harness.databaseUrl, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      });
    const revoked = cli(String(body.id));
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stderr).toMatch(/revoked/);
    expect(await status(`/api/orders/${alphaOrder}`, headers)).toBe(401);
    const again = cli(String(body.id));
    expect(again.stderr).toMatch(/No live token/);
    const audit = await harness.app.inject({
      url: `/api/audit?action=token.revoke&record_id=${body.id}`,
      headers: editor,
    });
    expect(audit.json().items).toEqual([expect.objectContaining({ actor: 'editor:npm run cli' })]);
  });

  it('refuses the anonymous, and a session cookie without its CSRF token', async () => {
    expect((await mint({}, { name: 'x' })).statusCode).toBe(401);
    expect(await status('/api/tokens', {})).toBe(401);
    expect((await revoke({}, 1)).statusCode).toBe(401);
    const byCookie = await mint({ cookie: admin.cookie }, { name: 'from the browser' });
    expect(byCookie.statusCode, byCookie.body).toBe(403);
    expect(byCookie.json().code).toBe('csrf_invalid');
    expect((await revoke({ cookie: admin.cookie }, admin.tokenId)).json().code).toBe('csrf_invalid');
    expect(await status('/api/tokens', { cookie: admin.cookie })).toBe(200);
  });

  it('records every token made and revoked in the audit log, without a secret', async () => {
    const entries: { action: string; record_id: string; record_type: string; after: unknown }[] = [];
    let cursor: string | null = null;
    do {
      const response: LightMyRequestResponse = await harness.app.inject({
        url: `/api/audit?action=token.*&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        headers: editor,
      });
      expect(response.statusCode, response.body).toBe(200);
      entries.push(...response.json().items);
      cursor = response.json().next_cursor;
    } while (cursor);
    expect(entries.every((entry) => entry.record_type === 'token')).toBe(true);
    const created = entries
      .filter((entry) => entry.action === 'token.create')
      .map((entry) => entry.record_id);
    const revoked = entries
      .filter((entry) => entry.action === 'token.revoke')
      .map((entry) => entry.record_id);
    // Every token made here went through the API (the set-up's tokens did not), and each was revoked here.
    expect(created).toHaveLength(secrets.length);
    const { rows } = await harness.app.db.query<{ id: string }>(
      'SELECT id::text FROM api_tokens WHERE revoked_at IS NOT NULL ORDER BY id',
    );
    expect([...revoked].sort()).toEqual(rows.map((row) => row.id).sort());
    const text = JSON.stringify(entries);
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(hashToken(secret));
    }
  });
});
