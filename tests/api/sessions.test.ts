// Browser sessions as a person lives them: signing in sets a cookie the page cannot read, changes need the
// session's CSRF token, signing out and revoking end a session at once, the sessions are listed with
// device and last use, and a new password ends every other session. An unknown e-mail, a wrong password
// and a disabled user are told the same thing in the same time.
import { createHash } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/auth/sessions.ts';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { sessionCookieOf, setCookies, signInBrowser, signInRequest } from '../support/browserSession.ts';
import { createTestApp } from '../support/testApp.ts';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148 Safari/604.1';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('browser sessions', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let alpha: Awaited<ReturnType<typeof createOutletWithToken>>;
  let admin: TestPerson;
  let orderId: string;
  beforeAll(async () => {
    // The test's inject comes from 127.0.0.1: trusted as a proxy, so x-forwarded-proto says HTTPS.
    harness = await createTestApp({ ADMIN_TOKEN, TRUST_PROXY: '127.0.0.1' });
    alpha = await createOutletWithToken(harness.app, 'sessions-alpha');
    admin = await createPerson(harness.app, {
      email: 'Desk.Admin@Alpha.example',
      displayName: 'Aigerim',
      memberships: [{ outletId: alpha.outlet.id, role: 'admin' }],
    });
    const authority = (await authorityByAlias(harness.app, 'KZ-CERT')).slug;
    orderId = (await fileOrder(harness.app, alpha.headers, { authority })).id;
  });
  afterAll(() => harness.close());

  const inject = (options: InjectOptions) => harness.app.inject(options);
  const whoAmI = (cookie: string) => inject({ method: 'GET', url: '/api/session', headers: { cookie } });
  const audit = async (action: string, recordId: number | string) =>
    (
      await harness.db.query<{ actor: string; after: Record<string, unknown>; session_id: number | null }>(
        `SELECT actor, after, session_id FROM audit_log WHERE action = $1 AND record_id = $2 ORDER BY id`,
        [action, String(recordId)],
      )
    ).rows;
  const sessionRow = async (id: number) =>
    (
      await harness.db.query<{ ended_at: Date | null; end_reason: string | null }>(
        'SELECT ended_at, end_reason FROM sessions WHERE id = $1',
        [id],
      )
    ).rows[0]!;

  it('signs in: the answer names the person and their outlets, the cookie is HttpOnly, SameSite=Lax, Path=/, not Secure over http', async () => {
    const response = await inject(
      signInRequest('  desk.admin@ALPHA.example ', admin.password, { headers: { 'user-agent': FIREFOX } }),
    );
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.user).toEqual({
      id: admin.userId,
      email: 'desk.admin@alpha.example',
      display_name: 'Aigerim',
      is_editor: false,
      memberships: [{ outlet_id: alpha.outlet.id, outlet_slug: 'sessions-alpha', role: 'admin' }],
      researcher_until: null,
    });
    expect(body.csrf_token).toMatch(/\S{20,}/);
    const lifetime = Date.parse(body.session.expires_at) - Date.now();
    expect(Math.abs(lifetime - 720 * 3600_000)).toBeLessThan(60_000);

    const lines = setCookies(response).filter((line) => line.startsWith(`${SESSION_COOKIE}=`));
    expect(lines).toHaveLength(1);
    const attributes = lines[0]!.split(';').map((part) => part.trim());
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Lax');
    expect(attributes).toContain('Path=/');
    expect(attributes.some((part) => /^secure$/i.test(part))).toBe(false);
    const expires = attributes.find((part) => part.startsWith('Expires='))!;
    expect(Math.abs(Date.parse(expires.slice(8)) - Date.parse(body.session.expires_at))).toBeLessThan(2000);

    // Only the cookie's sha256 is stored, and the sign-in is audited with the session, never the password.
    const secret = lines[0]!.split(';')[0]!.slice(SESSION_COOKIE.length + 1);
    const stored = await harness.db.query('SELECT secret_hash FROM sessions WHERE id = $1', [
      body.session.id,
    ]);
    expect(stored.rows[0].secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    const [signedIn] = await audit('session.sign_in', admin.userId);
    expect(signedIn).toMatchObject({
      actor: 'user:Aigerim',
      session_id: body.session.id,
      after: { session_id: body.session.id, device: FIREFOX, address: '127.0.0.1' },
    });
    expect(JSON.stringify(signedIn)).not.toContain(admin.password);
  });

  it('sets a Secure cookie when the request came over HTTPS (through a trusted proxy)', async () => {
    const response = await inject(
      signInRequest(admin.email, admin.password, { headers: { 'x-forwarded-proto': 'https' } }),
    );
    expect(response.statusCode, response.body).toBe(201);
    const line = setCookies(response).find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))!;
    expect(line.split(';').map((part) => part.trim())).toEqual(
      expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/']),
    );
  });

  it('makes changes with the cookie and its CSRF token, and refuses them without it', async () => {
    const browser = await signInBrowser(harness.app, admin.email, admin.password);
    const event = { kind: 'blocked', occurred_at: '2026-03-01T00:00:00Z' };
    const url = `/api/orders/${orderId}/events`;
    const withToken = await inject({ method: 'POST', url, headers: browser.writes, payload: event });
    expect(withToken.statusCode, withToken.body).toBe(201);
    const without = await inject({
      method: 'POST',
      url,
      headers: { cookie: browser.cookie },
      payload: event,
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('csrf_invalid');
    // A fresh token from GET /api/session works as well; another session's token does not.
    const fresh = (await whoAmI(browser.cookie)).json().csrf_token as string;
    const other = await signInBrowser(harness.app, admin.email, admin.password);
    const withFresh = await inject({
      method: 'POST',
      url,
      headers: { cookie: browser.cookie, 'x-csrf-token': fresh },
      payload: event,
    });
    expect(withFresh.statusCode, withFresh.body).toBe(201);
    const crossed = await inject({
      method: 'POST',
      url,
      headers: { cookie: browser.cookie, 'x-csrf-token': other.csrf },
      payload: event,
    });
    expect(crossed.statusCode).toBe(403);
    expect(crossed.json().code).toBe('csrf_invalid');
  });

  it('answers GET /api/session with the person and a CSRF token; a token has no session (404)', async () => {
    const browser = await signInBrowser(harness.app, admin.email, admin.password);
    const response = await whoAmI(browser.cookie);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      user: { id: admin.userId, memberships: [{ outlet_slug: 'sessions-alpha' }] },
      session: { id: browser.sessionId },
      csrf_token: expect.any(String),
    });
    const byToken = await inject({ method: 'GET', url: '/api/session', headers: admin.headers });
    expect(byToken.statusCode).toBe(404);
    expect(byToken.json()).toMatchObject({
      code: 'not_found',
      message: 'no session: this request used a token',
    });
    expect((await inject({ method: 'GET', url: '/api/session' })).statusCode).toBe(401);
  });

  it('signs out: the session ends, the cookie is cleared, and the old cookie then does nothing', async () => {
    const browser = await signInBrowser(harness.app, admin.email, admin.password);
    expect(
      (await inject({ url: `/api/orders/${orderId}`, headers: { cookie: browser.cookie } })).statusCode,
    ).toBe(200);
    const refused = await inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie: browser.cookie },
    });
    expect(refused.json().code).toBe('csrf_invalid');
    expect((await sessionRow(browser.sessionId)).ended_at).toBeNull();

    const out = await inject({ method: 'DELETE', url: '/api/session', headers: browser.writes });
    expect(out.statusCode, out.body).toBe(204);
    const cleared = setCookies(out).find((line) => line.startsWith(`${SESSION_COOKIE}=;`));
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(await sessionRow(browser.sessionId)).toMatchObject({ end_reason: 'sign_out' });
    expect((await whoAmI(browser.cookie)).statusCode).toBe(401);
    // The cookie makes nobody: the private order is hidden again, and a change is refused as anonymous.
    expect(
      (await inject({ url: `/api/orders/${orderId}`, headers: { cookie: browser.cookie } })).statusCode,
    ).toBe(404);
    const change = await inject({
      method: 'POST',
      url: `/api/orders/${orderId}/events`,
      headers: browser.writes,
      payload: { kind: 'blocked', occurred_at: '2026-03-01T00:00:00Z' },
    });
    expect(change.statusCode).toBe(401);
    expect((await audit('session.sign_out', admin.userId)).at(-1)).toMatchObject({
      session_id: browser.sessionId,
      after: { session_id: browser.sessionId },
    });
    // A token has no session to end.
    const byToken = await inject({ method: 'DELETE', url: '/api/session', headers: admin.headers });
    expect(byToken.statusCode).toBe(404);
  });

  it('signing in again from a signed-in browser ends its old session', async () => {
    const first = await signInBrowser(harness.app, admin.email, admin.password);
    const again = await signInBrowser(harness.app, admin.email, admin.password, { headers: first.writes });
    expect(again.sessionId).not.toBe(first.sessionId);
    expect(await sessionRow(first.sessionId)).toMatchObject({ end_reason: 'sign_out' });
    expect((await whoAmI(again.cookie)).statusCode).toBe(200);
  });

  it('lists the sessions of the person who asks, live first, with device, address and last use, page by page', async () => {
    const person = await createPerson(harness.app, { email: 'lister@alpha.example' });
    const laptop = await signInBrowser(harness.app, person.email, person.password, {
      headers: { 'user-agent': FIREFOX },
      address: '198.51.100.20',
    });
    const phone = await signInBrowser(harness.app, person.email, person.password, {
      headers: { 'user-agent': PHONE },
      address: '198.51.100.21',
    });
    const gone = await signInBrowser(harness.app, person.email, person.password);
    await inject({ method: 'DELETE', url: '/api/session', headers: gone.writes });

    const seen: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const response = await inject({
        url: `/api/me/sessions?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: { cookie: phone.cookie },
      });
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { items: Record<string, unknown>[]; next_cursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    // createPerson's own session (live, oldest), the laptop, the phone; the one signed out comes last.
    expect(seen.map((s) => s.id)).toEqual([
      phone.sessionId,
      laptop.sessionId,
      person.sessionId,
      gone.sessionId,
    ]);
    expect(seen[0]).toMatchObject({ device: PHONE, address: '198.51.100.21', current: true, live: true });
    expect(seen[1]).toMatchObject({ device: FIREFOX, address: '198.51.100.20', current: false, live: true });
    expect(seen[3]).toMatchObject({ live: false, end_reason: 'sign_out', ended_at: expect.any(String) });
    for (const session of seen) {
      expect(Date.parse(session.last_used_at as string)).toBeGreaterThanOrEqual(
        Date.parse(session.created_at as string),
      );
    }
    // The last use moves on (to the minute): a session last used long ago shows when it was.
    await harness.db.query(`UPDATE sessions SET last_used_at = now() - interval '3 hours' WHERE id = $1`, [
      laptop.sessionId,
    ]);
    const before = (await inject({ url: '/api/me/sessions', headers: person.headers })).json().items;
    const stale = before.find((s: { id: number }) => s.id === laptop.sessionId).last_used_at;
    expect(Date.now() - Date.parse(stale)).toBeGreaterThan(2.9 * 3600_000);
    await whoAmI(laptop.cookie);
    await expect
      .poll(async () => {
        const items = (await inject({ url: '/api/me/sessions', headers: person.headers })).json().items;
        return (
          Date.now() - Date.parse(items.find((s: { id: number }) => s.id === laptop.sessionId).last_used_at)
        );
      })
      .toBeLessThan(60_000);
    // Someone else's sessions are not in anyone's list; ADMIN_TOKEN is no person.
    expect(seen.some((s) => s.id === admin.sessionId)).toBe(false);
    const byAdminToken = await inject({
      url: '/api/me/sessions',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(byAdminToken.statusCode).toBe(403);
  });

  it("revokes one of the person's sessions at once, and not another person's", async () => {
    const person = await createPerson(harness.app, {
      email: 'revoker@alpha.example',
      memberships: [{ outletId: alpha.outlet.id, role: 'member' }],
    });
    const desk = await signInBrowser(harness.app, person.email, person.password);
    const lost = await signInBrowser(harness.app, person.email, person.password);
    expect((await whoAmI(lost.cookie)).statusCode).toBe(200);

    const refused = await inject({
      method: 'DELETE',
      url: `/api/me/sessions/${lost.sessionId}`,
      headers: { cookie: desk.cookie },
    });
    expect(refused.json().code).toBe('csrf_invalid');
    expect((await whoAmI(lost.cookie)).statusCode).toBe(200);

    const revoked = await inject({
      method: 'DELETE',
      url: `/api/me/sessions/${lost.sessionId}`,
      headers: desk.writes,
    });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect((await whoAmI(lost.cookie)).statusCode).toBe(401);
    expect(
      (await inject({ url: `/api/orders/${orderId}`, headers: { cookie: lost.cookie } })).statusCode,
    ).toBe(404);
    expect(await sessionRow(lost.sessionId)).toMatchObject({ end_reason: 'revoked' });
    expect((await whoAmI(desk.cookie)).statusCode).toBe(200);
    expect((await audit('session.revoke', person.userId)).at(-1)).toMatchObject({
      session_id: desk.sessionId,
      after: { session_id: lost.sessionId },
    });
    // Again: it has ended already, nothing changes.
    const twice = await inject({
      method: 'DELETE',
      url: `/api/me/sessions/${lost.sessionId}`,
      headers: desk.writes,
    });
    expect(twice.statusCode).toBe(204);
    expect(await audit('session.revoke', person.userId)).toHaveLength(1);

    // Another person's session, or none: 404, and it stays live.
    const foreign = await inject({
      method: 'DELETE',
      url: `/api/me/sessions/${admin.sessionId}`,
      headers: desk.writes,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await sessionRow(admin.sessionId)).ended_at).toBeNull();
    const none = await inject({
      method: 'DELETE',
      url: '/api/me/sessions/999999999',
      headers: person.headers,
    });
    expect(none.statusCode).toBe(404);
    // With a token of the person's own, no CSRF token is needed.
    const byToken = await inject({
      method: 'DELETE',
      url: `/api/me/sessions/${desk.sessionId}`,
      headers: person.headers,
    });
    expect(byToken.statusCode).toBe(204);
    expect((await whoAmI(desk.cookie)).statusCode).toBe(401);
  });

  it('changing the password ends the other sessions but not the current one', async () => {
    const person = await createPerson(harness.app, { email: 'changer@alpha.example' });
    const current = await signInBrowser(harness.app, person.email, person.password);
    const other = await signInBrowser(harness.app, person.email, person.password);
    const newPassword = 'a much better passphrase';
    const change = (headers: Record<string, string>, payload: object) =>
      inject({ method: 'POST', url: '/api/me/password', headers, payload });

    const wrong = await change(current.writes, {
      current_password: 'not it at all',
      new_password: newPassword,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toMatch(/current_password/);
    const short = await change(current.writes, { current_password: person.password, new_password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toMatch(/new_password.*10 characters/);
    const noCsrf = await change(
      { cookie: current.cookie },
      {
        current_password: person.password,
        new_password: newPassword,
      },
    );
    expect(noCsrf.json().code).toBe('csrf_invalid');
    expect((await whoAmI(other.cookie)).statusCode).toBe(200);

    const changed = await change(current.writes, {
      current_password: person.password,
      new_password: newPassword,
    });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await whoAmI(current.cookie)).statusCode).toBe(200);
    expect((await whoAmI(other.cookie)).statusCode).toBe(401);
    expect((await whoAmI(person.cookie)).statusCode).toBe(401);
    expect(await sessionRow(other.sessionId)).toMatchObject({ end_reason: 'password_changed' });
    // The person's token stays; the old password no longer signs in, the new one does.
    expect((await inject({ url: '/api/me/sessions', headers: person.headers })).statusCode).toBe(200);
    expect((await inject(signInRequest(person.email, person.password))).statusCode).toBe(401);
    await signInBrowser(harness.app, person.email, newPassword);

    const [changeRecord] = await audit('user.password_change', person.userId);
    expect(changeRecord).toMatchObject({
      session_id: current.sessionId,
      after: { sessions_ended: 2, kept_session_id: current.sessionId },
    });
    const [failedRecord] = await audit('user.password_change_failed', person.userId);
    expect(failedRecord).toMatchObject({ after: { reason: 'wrong_password', failed_sign_ins: 1 } });

    // With a token (no session of its own) every session ends.
    const fourth = await signInBrowser(harness.app, person.email, newPassword);
    const byToken = await change(person.headers, {
      current_password: newPassword,
      new_password: person.password,
    });
    expect(byToken.statusCode, byToken.body).toBe(204);
    expect((await whoAmI(fourth.cookie)).statusCode).toBe(401);
    expect((await whoAmI(current.cookie)).statusCode).toBe(401);
  });

  it('never stores or records a password, a cookie or a CSRF secret in clear', async () => {
    const person = await createPerson(harness.app, { email: 'secretive@alpha.example' });
    const browser = await signInBrowser(harness.app, person.email, person.password);
    await inject(signInRequest(person.email, 'a wrong password, typed'));
    await inject({
      method: 'POST',
      url: '/api/me/password',
      headers: browser.writes,
      payload: { current_password: person.password, new_password: 'the next passphrase' },
    });
    const secret = browser.cookie.slice(SESSION_COOKIE.length + 1);
    for (const table of ['users', 'sessions', 'audit_log']) {
      const { rows } = await harness.db.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
      const dump = rows.map((r) => r.row).join('\n');
      for (const clear of [
        person.password,
        'a wrong password, typed',
        'the next passphrase',
        secret,
        browser.csrf,
      ]) {
        expect(dump, `${table} holds ${clear}`).not.toContain(clear);
      }
    }
  });

  describe('an unknown e-mail, a wrong password and a disabled user', () => {
    it('get the same 401 "wrong e-mail or password", each audited without the password', async () => {
      const person = await createPerson(harness.app, { email: 'told-the-same@alpha.example' });
      const disabled = await createPerson(harness.app, { email: 'gone@alpha.example' });
      await harness.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.userId]);
      const answers = [
        await inject(signInRequest('nobody@alpha.example', 'some password here')),
        await inject(signInRequest(person.email, 'some password here')),
        await inject(signInRequest(disabled.email, disabled.password)),
      ];
      for (const answer of answers) {
        expect(answer.statusCode).toBe(401);
        expect(answer.json()).toMatchObject({ code: 'unauthorized', message: 'wrong e-mail or password' });
        expect(sessionCookieOf(answer)).toBeUndefined();
      }
      const records = await harness.db.query<{
        record_type: string;
        record_id: string;
        after: { reason: string };
      }>(
        `SELECT record_type, record_id, after FROM audit_log WHERE action = 'session.sign_in_failed'
          AND record_id IN ('nobody@alpha.example', $1, $2) ORDER BY id`,
        [String(person.userId), String(disabled.userId)],
      );
      expect(records.rows.map((r) => [r.record_type, r.record_id, r.after.reason])).toEqual([
        ['sign_in', 'nobody@alpha.example', 'unknown_email'],
        ['user', String(person.userId), 'wrong_password'],
        ['user', String(disabled.userId), 'disabled'],
      ]);
      expect(JSON.stringify(records.rows)).not.toMatch(/some password here|pw-gone/);
    });

    it('take as long: one argon2 verification either way', async () => {
      const person = await createPerson(harness.app, { email: 'timed@alpha.example' });
      const timed = async (email: string) => {
        const started = process.hrtime.bigint();
        const response = await inject(signInRequest(email, 'not the password at all'));
        expect(response.statusCode).toBe(401);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      await timed('warm-up@nowhere.example');
      const known: number[] = [];
      const unknown: number[] = [];
      for (let round = 0; round < 10; round++) {
        known.push(await timed(person.email));
        unknown.push(await timed(`nobody-${round}@nowhere.example`));
      }
      // Generous bounds, for a shared machine: what matters is that the unknown e-mail paid for a hash too.
      expect(median(unknown)).toBeGreaterThanOrEqual(0.5 * median(known));
      expect(median(known)).toBeGreaterThanOrEqual(0.5 * median(unknown));
      console.log(
        `sign-in refused: known e-mail ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms (medians)`,
      );
    });
  });
});
