// The people story of issue 15: an editor invites an outlet's admin, who accepts and signs in, and
// invites a member; the member works on the outlet's order and nowhere else; taking the member off the
// outlet ends their sessions and tokens at once; a researcher's access ends at its time, by itself.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/auth/apiTokens.ts';
import { createPerson, withCsrf, type TestPerson } from '../support/accounts.ts';
import { signInBrowser } from '../support/browserSession.ts';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  bearer,
  createOutletWithToken,
  editor as adminToken,
  fileOrder,
} from '../support/apiClient.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';

describe('people: invitations, sessions, membership and researcher access', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let alpha: Awaited<ReturnType<typeof createOutletWithToken>>;
  let beta: Awaited<ReturnType<typeof createOutletWithToken>>;
  let editor: TestPerson;
  let alphaOrder: string;
  let betaOrder: string;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    alpha = await createOutletWithToken(harness.app, 'story-alpha');
    beta = await createOutletWithToken(harness.app, 'story-beta');
    const authority = (await authorityByAlias(harness.app, 'KZ-CERT')).slug;
    alphaOrder = (await fileOrder(harness.app, alpha.headers, { authority })).id;
    betaOrder = (await fileOrder(harness.app, beta.headers, { authority })).id;
    editor = await createPerson(harness.app, { email: 'desk@archive.example', editor: true });
  });
  afterAll(() => harness.close());

  const inject = (options: InjectOptions) => harness.app.inject(options);
  /** Signs in through POST /api/session, as a browser: the session cookie it sets. */
  const signIn = async (email: string, password: string) =>
    (await signInBrowser(harness.app, email, password)).cookie;
  const accept = (token: string, displayName: string, password: string) =>
    inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token, display_name: displayName, password },
    });
  const upload = (orderId: string, headers: Record<string, string>) => {
    const body = multipartBody([
      { name: 'evidence', filename: 'screenshot.txt', content: 'the page, blocked' },
    ]);
    return inject({
      method: 'POST',
      url: `/api/orders/${orderId}/documents`,
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
  };

  let adminCookie: string;
  let adminId: number;
  let memberId: number;
  let memberCookie: string;
  let memberToken: Record<string, string>;

  it('an editor invites an outlet admin, who accepts with a password and signs in', async () => {
    const invited = await inject({
      method: 'POST',
      url: '/api/invitations',
      headers: editor.headers,
      payload: { email: 'Aigerim@Alpha.example', role: 'admin', outlet: 'story-alpha' },
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const invitation = invited.json();
    expect(invitation).toMatchObject({
      email: 'aigerim@alpha.example',
      role: 'admin',
      outlet: { id: alpha.outlet.id, slug: 'story-alpha' },
      state: 'pending',
      invited_by: { user_id: editor.userId },
    });
    expect(invitation.token).toMatch(/^tal_[A-Za-z0-9_-]{43}$/);
    expect(invitation.accept_path).toBe(`/invitations/accept#${invitation.token}`);
    // A week, unless said otherwise.
    const hours = (Date.parse(invitation.expires_at) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(167.9);
    expect(hours).toBeLessThanOrEqual(168);

    const accepted = await accept(invitation.token, 'Aigerim', 'alpha admin password 1');
    expect(accepted.statusCode, accepted.body).toBe(201);
    const { user } = accepted.json();
    expect(user).toMatchObject({
      email: 'aigerim@alpha.example',
      display_name: 'Aigerim',
      is_editor: false,
      password_set: true,
      memberships: [{ outlet_id: alpha.outlet.id, outlet_slug: 'story-alpha', role: 'admin' }],
    });
    expect(user).not.toHaveProperty('password_hash');
    adminId = user.id;

    adminCookie = await signIn('aigerim@alpha.example', 'alpha admin password 1');
    const me = await inject({ url: '/api/me', headers: { cookie: adminCookie } });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({
      kind: 'account',
      user: { id: adminId, email: 'aigerim@alpha.example' },
      memberships: [{ outlet_id: alpha.outlet.id, outlet_slug: 'story-alpha', role: 'admin' }],
      is_editor: false,
      researcher: false,
      credential: 'session',
      read_only: false,
    });
    expect(await auditActions('account_link', invitation.id)).toEqual([
      'invitation.create',
      'invitation.accept',
    ]);
  });

  it('the admin invites a member of their outlet (with the CSRF token), and nothing beyond it', async () => {
    const invite = (headers: Record<string, string>, payload: object) =>
      inject({ method: 'POST', url: '/api/invitations', headers, payload });
    const member = { email: 'bolat@alpha.example', role: 'member', outlet: String(alpha.outlet.id) };
    const noCsrf = await invite({ cookie: adminCookie }, member);
    expect(noCsrf.statusCode, noCsrf.body).toBe(403);
    expect(noCsrf.json().code).toBe('csrf_invalid');
    expect((await invite(withCsrf(adminCookie), { ...member, outlet: 'story-beta' })).statusCode).toBe(403);
    expect(
      (await invite(withCsrf(adminCookie), { ...member, role: 'editor', outlet: undefined })).statusCode,
    ).toBe(403);

    const invited = await invite(withCsrf(adminCookie), member);
    expect(invited.statusCode, invited.body).toBe(201);
    const accepted = await accept(invited.json().token, 'Bolat', 'alpha member password 1');
    expect(accepted.statusCode, accepted.body).toBe(201);
    memberId = accepted.json().user.id;
    memberCookie = await signIn('bolat@alpha.example', 'alpha member password 1');
    memberToken = bearer(
      (await createApiToken(harness.app.db, { name: 'Bolat script', role: 'user', userId: memberId })).token,
    );

    const members = await inject({
      url: '/api/outlets/story-alpha/members',
      headers: { cookie: adminCookie },
    });
    expect(members.statusCode, members.body).toBe(200);
    expect(members.json().items).toEqual([
      expect.objectContaining({ user_id: adminId, role: 'admin', disabled: false }),
      expect.objectContaining({ user_id: memberId, role: 'member', email: 'bolat@alpha.example' }),
    ]);
  });

  it("the member uploads to the outlet's order, and cannot touch another outlet's", async () => {
    const uploaded = await upload(alphaOrder, withCsrf(memberCookie));
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json().documents).toHaveLength(1);
    expect((await upload(alphaOrder, memberToken)).statusCode).toBe(201);

    const before = (await inject({ url: `/api/orders/${betaOrder}`, headers: adminToken })).body;
    expect((await upload(betaOrder, withCsrf(memberCookie))).statusCode).toBe(404);
    expect((await upload(betaOrder, memberToken)).statusCode).toBe(404);
    const event = await inject({
      method: 'POST',
      url: `/api/orders/${betaOrder}/events`,
      headers: withCsrf(memberCookie),
      payload: { kind: 'blocked', occurred_at: '2026-01-02T00:00:00Z' },
    });
    expect(event.statusCode, event.body).toBe(404);
    expect((await inject({ url: `/api/orders/${betaOrder}`, headers: memberToken })).statusCode).toBe(404);
    const after = (await inject({ url: `/api/orders/${betaOrder}`, headers: adminToken })).body;
    expect(after).toBe(before);
    const documents = await harness.app.db.query(
      `SELECT count(*)::int AS n FROM documents d JOIN orders o ON o.id = d.order_id WHERE o.public_id = $1`,
      [betaOrder],
    );
    expect(documents.rows[0].n).toBe(0);
  });

  it('taking the member off the outlet ends their sessions and tokens at once', async () => {
    expect(
      (await inject({ url: `/api/orders/${alphaOrder}`, headers: { cookie: memberCookie } })).statusCode,
    ).toBe(200);
    const removed = await inject({
      method: 'DELETE',
      url: `/api/outlets/${alpha.outlet.id}/members/${memberId}`,
      headers: withCsrf(adminCookie),
    });
    expect(removed.statusCode, removed.body).toBe(204);

    // The very next request: the cookie makes nobody, the token is refused.
    const byCookie = await inject({ url: `/api/orders/${alphaOrder}`, headers: { cookie: memberCookie } });
    expect(byCookie.statusCode).toBe(404);
    expect((await inject({ url: `/api/orders/${alphaOrder}`, headers: memberToken })).statusCode).toBe(401);
    expect((await inject({ url: '/api/me', headers: { cookie: memberCookie } })).statusCode).toBe(401);
    expect((await upload(alphaOrder, withCsrf(memberCookie))).statusCode).toBe(401);

    const sessions = await harness.app.db.query('SELECT end_reason FROM sessions WHERE user_id = $1', [
      memberId,
    ]);
    expect(sessions.rows).toEqual([{ end_reason: 'membership_removed' }]);
    const tokens = await harness.app.db.query('SELECT revoke_reason FROM api_tokens WHERE user_id = $1', [
      memberId,
    ]);
    expect(tokens.rows).toEqual([{ revoke_reason: 'membership_removed' }]);
    const audit = await harness.app.db.query(
      `SELECT actor, user_id, session_id, before, after FROM audit_log
        WHERE action = 'membership.remove' AND record_id = $1`,
      [String(memberId)],
    );
    expect(audit.rows).toEqual([
      {
        actor: 'user:Aigerim',
        user_id: adminId,
        session_id: expect.any(Number),
        before: { outlet_id: alpha.outlet.id, role: 'member' },
        after: { sessions_ended: 1, tokens_revoked: [expect.any(Number)] },
      },
    ]);
    const members = await inject({
      url: '/api/outlets/story-alpha/members',
      headers: { cookie: adminCookie },
    });
    expect(members.json().items.map((member: { user_id: number }) => member.user_id)).toEqual([adminId]);
  });

  it("an outlet's last admin stays: their admin may not remove or demote them, an editor may", async () => {
    const self = `/api/outlets/story-alpha/members/${adminId}`;
    const leave = await inject({ method: 'DELETE', url: self, headers: withCsrf(adminCookie) });
    expect(leave.statusCode, leave.body).toBe(409);
    expect(leave.json().message).toMatch(/last admin/);
    const demote = await inject({
      method: 'PATCH',
      url: self,
      headers: withCsrf(adminCookie),
      payload: { role: 'member' },
    });
    expect(demote.statusCode, demote.body).toBe(409);
    const other = await inject({ url: '/api/outlets/story-beta/members', headers: { cookie: adminCookie } });
    expect(other.statusCode).toBe(403);
    const byEditor = await inject({
      method: 'PATCH',
      url: self,
      headers: editor.headers,
      payload: { role: 'member' },
    });
    expect(byEditor.statusCode, byEditor.body).toBe(200);
    expect(byEditor.json()).toMatchObject({ user_id: adminId, role: 'member' });
    // No longer an admin: the route itself refuses.
    expect(
      (await inject({ url: '/api/outlets/story-alpha/members', headers: { cookie: adminCookie } }))
        .statusCode,
    ).toBe(403);
  });

  it("a researcher's access ends at its time, without anyone acting", async () => {
    const invited = await inject({
      method: 'POST',
      url: '/api/invitations',
      headers: adminToken,
      payload: { email: 'scholar@uni.example', role: 'researcher' },
    });
    expect(invited.statusCode, invited.body).toBe(201);
    expect(invited.json()).toMatchObject({ researcher_until: 'infinity', outlet: null });
    const accepted = await accept(invited.json().token, 'Scholar', 'researcher password 1');
    expect(accepted.statusCode, accepted.body).toBe(201);
    const researcherId = accepted.json().user.id;
    const cookie = await signIn('scholar@uni.example', 'researcher password 1');

    const until = new Date(Date.now() + 2000);
    const grant = await inject({
      method: 'PATCH',
      url: `/api/users/${researcherId}`,
      headers: editor.headers,
      payload: { researcher_until: until.toISOString() },
    });
    expect(grant.statusCode, grant.body).toBe(200);
    const me = await inject({ url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ researcher: true, user: { researcher: true } });
    expect(Date.parse(me.json().researcher_until)).toBe(until.getTime());

    await new Promise((resolve) => setTimeout(resolve, until.getTime() - Date.now() + 100));
    const later = await inject({ url: '/api/me', headers: { cookie } });
    expect(later.statusCode).toBe(200);
    expect(later.json()).toMatchObject({ researcher: false, user: { researcher: false } });
    const researchers = await inject({ url: '/api/users?role=researcher', headers: editor.headers });
    expect(researchers.json().items).toEqual([]);
  });

  async function auditActions(recordType: string, recordId: number): Promise<string[]> {
    const { rows } = await harness.app.db.query<{ action: string }>(
      'SELECT action FROM audit_log WHERE record_type = $1 AND record_id = $2 ORDER BY id',
      [recordType, String(recordId)],
    );
    return rows.map((row) => row.action);
  }
});
