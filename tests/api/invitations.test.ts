// One-time links: invitations expire, work once and only for what their maker may grant; an existing
// user accepts with their own password; a disabled user can do nothing; a password reset ends sessions and
// lifts a lock; and no secret is kept in clear.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../server/auth/secrets.ts';
import { verifyPassword } from '../../server/auth/passwords.ts';
import { createPerson, withCsrf, type TestPerson } from '../support/accounts.ts';
import { ADMIN_TOKEN, createOutletWithToken, editor as adminToken } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

describe('invitations and password resets', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let alpha: Awaited<ReturnType<typeof createOutletWithToken>>;
  let beta: Awaited<ReturnType<typeof createOutletWithToken>>;
  let editor: TestPerson;
  let alphaAdmin: TestPerson;
  let betaAdmin: TestPerson;
  /** Every secret and password this file handles: none may be found in the database. */
  const secrets: string[] = [];
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    alpha = await createOutletWithToken(harness.app, 'links-alpha');
    beta = await createOutletWithToken(harness.app, 'links-beta');
    editor = await createPerson(harness.app, { email: 'editor@links.example', editor: true });
    alphaAdmin = await createPerson(harness.app, {
      email: 'admin@alpha.example',
      memberships: [{ outletId: alpha.outlet.id, role: 'admin' }],
    });
    betaAdmin = await createPerson(harness.app, {
      email: 'admin@beta.example',
      memberships: [{ outletId: beta.outlet.id, role: 'admin' }],
    });
    for (const person of [editor, alphaAdmin, betaAdmin]) {
      secrets.push(person.password, person.headers.authorization!.slice(7), person.cookie.split('=')[1]!);
    }
  });
  afterAll(() => harness.close());

  const inject = (options: InjectOptions) => harness.app.inject(options);
  const invite = async (headers: Record<string, string>, payload: object) => {
    const response = await inject({ method: 'POST', url: '/api/invitations', headers, payload });
    if (response.statusCode === 201) secrets.push(response.json().token);
    return response;
  };
  const accept = (payload: object) => {
    const { password } = payload as { password?: string };
    if (password) secrets.push(password);
    return inject({ method: 'POST', url: '/api/invitations/accept', payload });
  };
  const db = () => harness.app.db;

  it('refuses an invitation past its time, and lists it as expired', async () => {
    const invited = await invite(editor.headers, {
      email: 'late@alpha.example',
      role: 'member',
      outlet: 'links-alpha',
      expires_in_hours: 1,
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const { id, token } = invited.json();
    // An hour passes.
    await db().query(`UPDATE account_links SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    const late = await accept({ token, display_name: 'Late', password: 'late but long enough' });
    expect(late.statusCode, late.body).toBe(410);
    expect(late.json()).toMatchObject({
      code: 'link_used_or_expired',
      message: expect.stringMatching(/expired/),
    });
    const expired = await inject({ url: '/api/invitations?state=expired', headers: editor.headers });
    expect(expired.json().items.map((item: { id: number }) => item.id)).toEqual([id]);
    expect((await db().query('SELECT 1 FROM users WHERE email = $1', ['late@alpha.example'])).rowCount).toBe(
      0,
    );
  });

  it('works once, even when two people race with the same link', async () => {
    const { token } = (
      await invite(alphaAdmin.headers, { email: 'once@alpha.example', role: 'member', outlet: 'links-alpha' })
    ).json();
    const nameless = await accept({ token, password: 'a password, long enough' });
    expect(nameless.statusCode, nameless.body).toBe(400);
    expect(nameless.json().message).toMatch(/^body\/display_name: /);
    const racing = await Promise.all(
      ['first', 'second'].map((name) =>
        accept({ token, display_name: name, password: `${name} password, long` }),
      ),
    );
    expect(racing.map((response) => response.statusCode).sort()).toEqual([201, 410]);
    const again = await accept({ token, display_name: 'Third', password: 'third password, long' });
    expect(again.statusCode).toBe(410);
    const users = await db().query('SELECT display_name FROM users WHERE email = $1', ['once@alpha.example']);
    expect(users.rowCount).toBe(1);
  });

  it("lets an outlet's admin invite only admins and members of their own outlet", async () => {
    for (const [payload, status] of [
      [{ email: 'x@alpha.example', role: 'editor' }, 403],
      [{ email: 'x@alpha.example', role: 'researcher' }, 403],
      [{ email: 'x@beta.example', role: 'member', outlet: 'links-beta' }, 403],
      [{ email: 'x@beta.example', role: 'admin', outlet: String(beta.outlet.id) }, 403],
      [{ email: 'x@alpha.example', role: 'admin', outlet: 'links-alpha' }, 201],
    ] as const) {
      const response = await invite(alphaAdmin.headers, payload);
      expect(response.statusCode, `${JSON.stringify(payload)}: ${response.body}`).toBe(status);
      if (status === 403) expect(response.json().code).toBe('forbidden');
    }
    // A member of an outlet, or an outlet's token, invites nobody.
    const member = await createPerson(harness.app, {
      email: 'member@alpha.example',
      memberships: [{ outletId: alpha.outlet.id, role: 'member' }],
    });
    const byMember = await invite(member.headers, {
      email: 'y@alpha.example',
      role: 'member',
      outlet: 'links-alpha',
    });
    expect(byMember.statusCode).toBe(403);
    const byDesk = await invite(alpha.headers, {
      email: 'y@alpha.example',
      role: 'member',
      outlet: 'links-alpha',
    });
    expect(byDesk.statusCode).toBe(403);
    // An editor invites to anything, ADMIN_TOKEN too.
    expect(
      (await invite(adminToken, { email: 'new-editor@archive.example', role: 'editor' })).statusCode,
    ).toBe(201);
  });

  it("shows an admin only their outlets' invitations, never a secret, and lets them revoke those alone", async () => {
    const mine = (
      await invite(alphaAdmin.headers, {
        email: 'revoke-me@alpha.example',
        role: 'member',
        outlet: 'links-alpha',
      })
    ).json();
    const theirs = (
      await invite(betaAdmin.headers, { email: 'keep@beta.example', role: 'member', outlet: 'links-beta' })
    ).json();
    const listed = await inject({
      url: '/api/invitations?state=pending&limit=100',
      headers: alphaAdmin.headers,
    });
    expect(listed.statusCode, listed.body).toBe(200);
    const items = listed.json().items as { id: number; outlet: { id: number } }[];
    expect(items.map((item) => item.id)).toContain(mine.id);
    expect(items.every((item) => item.outlet.id === alpha.outlet.id)).toBe(true);
    expect(listed.body).not.toContain(mine.token);
    expect(listed.body).not.toMatch(/tal_/);
    const byEditor = await inject({ url: `/api/invitations?outlet=links-beta`, headers: editor.headers });
    expect(byEditor.json().items.map((item: { id: number }) => item.id)).toContain(theirs.id);

    const revokeTheirs = await inject({
      method: 'DELETE',
      url: `/api/invitations/${theirs.id}`,
      headers: alphaAdmin.headers,
    });
    expect(revokeTheirs.statusCode).toBe(404);
    const revoked = await inject({
      method: 'DELETE',
      url: `/api/invitations/${mine.id}`,
      headers: alphaAdmin.headers,
    });
    expect(revoked.statusCode, revoked.body).toBe(204);
    const late = await accept({ token: mine.token, display_name: 'Too late', password: 'revoked but long' });
    expect(late.statusCode).toBe(410);
    const accepted = await accept({
      token: theirs.token,
      display_name: 'Kept',
      password: 'kept and long enough',
    });
    expect(accepted.statusCode).toBe(201);
    const revokeUsed = await inject({
      method: 'DELETE',
      url: `/api/invitations/${theirs.id}`,
      headers: betaAdmin.headers,
    });
    expect(revokeUsed.statusCode).toBe(409);
  });

  it('adds the role to an existing user who gives their own password, and keeps their name', async () => {
    const existing = await createPerson(harness.app, {
      email: 'Two.Hats@example.org',
      displayName: 'Two Hats',
      memberships: [{ outletId: alpha.outlet.id, role: 'member' }],
    });
    secrets.push(existing.password);
    const { id, token } = (
      await invite(betaAdmin.headers, { email: 'two.hats@EXAMPLE.org', role: 'admin', outlet: 'links-beta' })
    ).json();
    const wrong = await accept({ token, display_name: 'Impostor', password: 'not their password at all' });
    expect(wrong.statusCode, wrong.body).toBe(403);
    expect(wrong.json().message).toMatch(/already an account/);
    const failures = async () =>
      (await db().query('SELECT failed_sign_ins FROM users WHERE id = $1', [existing.userId])).rows[0]
        .failed_sign_ins;
    // A wrong password counts as a failed sign-in: the 20th in a row locks the account, as at sign-in,
    // and then not even the right password is taken.
    expect(await failures()).toBe(1);
    await db().query('UPDATE users SET failed_sign_ins = 19 WHERE id = $1', [existing.userId]);
    const twentieth = await accept({ token, display_name: 'Impostor', password: 'still not theirs, no' });
    expect(twentieth.statusCode, twentieth.body).toBe(403);
    const guessing = await accept({ token, display_name: 'Impostor', password: existing.password });
    expect(guessing.statusCode, guessing.body).toBe(423);
    expect(guessing.json().code).toBe('account_locked');
    expect(guessing.headers['retry-after']).toMatch(/^\d+$/);
    await db().query('UPDATE users SET failed_sign_ins = 3, locked_until = NULL WHERE id = $1', [
      existing.userId,
    ]);
    const right = await accept({ token, display_name: 'Impostor', password: existing.password });
    expect(right.statusCode, right.body).toBe(201);
    expect(right.json().user).toMatchObject({
      id: existing.userId,
      display_name: 'Two Hats',
      memberships: [
        { outlet_id: alpha.outlet.id, role: 'member' },
        { outlet_id: beta.outlet.id, role: 'admin' },
      ],
    });
    expect(await failures()).toBe(0);
    // Their token carries the new role from the next request on.
    const me = await inject({ url: '/api/me', headers: existing.headers });
    expect(me.json().memberships).toEqual([
      { outlet_id: alpha.outlet.id, outlet_slug: 'links-alpha', role: 'member' },
      { outlet_id: beta.outlet.id, outlet_slug: 'links-beta', role: 'admin' },
    ]);
    const audit = await db().query(
      `SELECT action, actor FROM audit_log WHERE (record_type = 'account_link' AND record_id = $1)
          OR (record_type = 'user' AND record_id = $2
              AND action IN ('membership.add', 'invitation.accept_refused', 'user.lock')) ORDER BY id`,
      [String(id), String(existing.userId)],
    );
    expect(audit.rows).toEqual([
      { action: 'membership.add', actor: 'editor:test set-up' },
      { action: 'invitation.create', actor: 'user:admin' },
      { action: 'invitation.accept_refused', actor: 'anonymous' },
      { action: 'invitation.accept_refused', actor: 'anonymous' },
      { action: 'user.lock', actor: 'anonymous' },
      { action: 'membership.add', actor: 'user:Two Hats' },
      { action: 'invitation.accept', actor: 'user:Two Hats' },
    ]);
  });

  it('gives a disabled user nothing: no access, no invitation, no reset', async () => {
    const leaving = await createPerson(harness.app, {
      email: 'leaving@alpha.example',
      memberships: [{ outletId: alpha.outlet.id, role: 'member' }],
    });
    secrets.push(leaving.password);
    const self = await inject({
      method: 'PATCH',
      url: `/api/users/${editor.userId}`,
      headers: editor.headers,
      payload: { disabled: true },
    });
    expect(self.statusCode, self.body).toBe(409);
    const disabled = await inject({
      method: 'PATCH',
      url: `/api/users/${leaving.userId}`,
      headers: withCsrf(editor.cookie),
      payload: { disabled: true },
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ disabled: true, disabled_at: expect.any(String) });

    expect((await inject({ url: '/api/me', headers: leaving.headers })).statusCode).toBe(401);
    expect((await inject({ url: '/api/me', headers: { cookie: leaving.cookie } })).statusCode).toBe(401);
    const session = await db().query('SELECT end_reason FROM sessions WHERE id = $1', [leaving.sessionId]);
    expect(session.rows).toEqual([{ end_reason: 'disabled' }]);

    const { token } = (
      await invite(editor.headers, { email: leaving.email, role: 'member', outlet: 'links-beta' })
    ).json();
    const accepted = await accept({ token, password: leaving.password });
    expect(accepted.statusCode, accepted.body).toBe(403);
    expect(accepted.json().message).toMatch(/disabled/);
    const reset = await inject({
      method: 'POST',
      url: `/api/users/${leaving.userId}/password-reset`,
      headers: editor.headers,
    });
    expect(reset.statusCode).toBe(409);
    const asked = await inject({
      method: 'POST',
      url: '/api/password-resets',
      payload: { email: leaving.email },
    });
    expect(asked.statusCode).toBe(202);
    const links = await db().query(
      `SELECT 1 FROM account_links WHERE purpose = 'password_reset' AND user_id = $1`,
      [leaving.userId],
    );
    expect(links.rowCount).toBe(0);
    const audit = await db().query(
      `SELECT before, after FROM audit_log WHERE action = 'user.update' AND record_id = $1`,
      [String(leaving.userId)],
    );
    expect(audit.rows).toEqual([
      { before: { disabled: false }, after: { disabled: true, sessions_ended: 1 } },
    ]);
  });

  it('resets a password: the old sessions end, the lock lifts, the link works once', async () => {
    const locked = await createPerson(harness.app, { email: 'forgetful@alpha.example' });
    secrets.push(locked.password);
    await db().query(
      `UPDATE users SET failed_sign_ins = 20, locked_until = now() + interval '1 hour' WHERE id = $1`,
      [locked.userId],
    );
    const made = await inject({
      method: 'POST',
      url: `/api/users/${locked.userId}/password-reset`,
      headers: editor.headers,
    });
    expect(made.statusCode, made.body).toBe(201);
    const { token, accept_path: acceptPath } = made.json();
    secrets.push(token);
    expect(acceptPath).toBe(`/password-reset#${token}`);
    const user = await inject({ url: `/api/users/${locked.userId}`, headers: editor.headers });
    expect(user.json().locked_until).toEqual(expect.any(String));

    const password = 'a brand new password';
    secrets.push(password);
    const complete = (payload: object) =>
      inject({ method: 'POST', url: '/api/password-resets/complete', payload });
    const done = await complete({ token, password });
    expect(done.statusCode, done.body).toBe(204);
    expect((await inject({ url: '/api/me', headers: { cookie: locked.cookie } })).statusCode).toBe(401);
    // Tokens are credentials of their own: they stay.
    expect((await inject({ url: '/api/me', headers: locked.headers })).statusCode).toBe(200);
    const { rows } = await db().query(
      'SELECT password_hash, failed_sign_ins, locked_until FROM users WHERE id = $1',
      [locked.userId],
    );
    expect(rows[0]).toMatchObject({ failed_sign_ins: 0, locked_until: null });
    expect(await verifyPassword(rows[0].password_hash, password)).toBe(true);
    expect(await verifyPassword(rows[0].password_hash, locked.password)).toBe(false);
    const session = await db().query('SELECT end_reason FROM sessions WHERE id = $1', [locked.sessionId]);
    expect(session.rows).toEqual([{ end_reason: 'password_changed' }]);
    const twice = await complete({ token, password: 'yet another password' });
    expect(twice.statusCode).toBe(410);
    const audit = await db().query(
      `SELECT actor, after FROM audit_log WHERE action = 'user.password_reset' AND record_id = $1`,
      [String(locked.userId)],
    );
    expect(audit.rows).toEqual([
      {
        actor: 'user:forgetful',
        after: { link_id: expect.any(Number), sessions_ended: 1, lock_cleared: true },
      },
    ]);
  });

  it('answers a reset request alike whether or not the address has an account', async () => {
    const ask = (email: string) =>
      inject({ method: 'POST', url: '/api/password-resets', payload: { email } });
    const known = await ask('ADMIN@alpha.example');
    const unknown = await ask('nobody@alpha.example');
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(known.json().message).toMatch(/ask an editor/);
    const links = await db().query(
      `SELECT email FROM account_links WHERE purpose = 'password_reset' AND created_by_user_id IS NULL`,
    );
    expect(links.rows).toEqual([{ email: 'admin@alpha.example' }]);
  });

  it('shows editors every user, filtered, and a person only their own account', async () => {
    const page = async (query: string) => {
      const response = await inject({ url: `/api/users?${query}`, headers: editor.headers });
      expect(response.statusCode, response.body).toBe(200);
      return (response.json().items as { email: string }[]).map((user) => user.email);
    };
    expect(await page('q=ADMIN%40')).toEqual(['admin@alpha.example', 'admin@beta.example']);
    expect(await page('q=%25')).toEqual([]);
    expect(await page('outlet=links-beta&q=admin')).toEqual(['admin@beta.example']);
    // Invited as editor is not yet an editor: only accepting makes one.
    expect(await page('role=editor')).toEqual(['editor@links.example']);
    const first = await inject({ url: '/api/users?limit=2', headers: editor.headers });
    const second = await inject({
      url: `/api/users?limit=2&cursor=${first.json().next_cursor}`,
      headers: editor.headers,
    });
    expect(second.json().items[0].id).toBeGreaterThan(first.json().items[1].id);
    expect(first.body).not.toMatch(/argon2|password_hash/);

    expect((await inject({ url: '/api/users', headers: alphaAdmin.headers })).statusCode).toBe(403);
    expect(
      (await inject({ url: `/api/users/${alphaAdmin.userId}`, headers: alphaAdmin.headers })).statusCode,
    ).toBe(200);
    expect(
      (await inject({ url: `/api/users/${betaAdmin.userId}`, headers: alphaAdmin.headers })).statusCode,
    ).toBe(404);
    expect((await inject({ url: `/api/users/${betaAdmin.userId}` })).statusCode).toBe(401);
  });

  it('keeps no secret in clear: links, sessions and tokens only as sha256, passwords only as argon2id', async () => {
    const tables = ['users', 'sessions', 'account_links', 'api_tokens', 'audit_log', 'memberships'];
    const dump = (
      await Promise.all(
        tables.map(
          async (table) => (await db().query(`SELECT row_to_json(t)::text AS row FROM ${table} t`)).rows,
        ),
      )
    )
      .flat()
      .map((row) => row.row as string)
      .join('\n');
    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(dump.includes(secret), secret.slice(0, 6)).toBe(false);
    expect(dump).not.toMatch(/tal_|tas_|ta_[A-Za-z0-9_-]{20}/);
    const hashes = await db().query<{ secret_hash: string }>('SELECT secret_hash FROM account_links');
    const linkSecrets = secrets.filter((secret) => secret.startsWith('tal_'));
    expect(linkSecrets.length).toBeGreaterThan(5);
    for (const secret of linkSecrets)
      expect(hashes.rows.map((row) => row.secret_hash)).toContain(hashSecret(secret));
    const passwords = await db().query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE password_hash IS NOT NULL',
    );
    for (const row of passwords.rows) expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });
});
