// The account pages through app.inject, as a browser without JavaScript uses them: the account and its
// password form, sessions (end one, sign out everywhere else), tokens (the secret shown once, narrowed,
// read-only, revoked), an outlet's people (invite, remove), accepting an invitation and resetting a
// password with a link. Every form posts with its _csrf field, and a bad input comes back beside its field.
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, createOutletWithToken } from '../support/apiClient.ts';
import { createPerson, withCsrf, type TestPerson } from '../support/accounts.ts';
import { sessionCookieOf } from '../support/browserSession.ts';
import { createTestApp } from '../support/testApp.ts';
import { linkPath } from '../../server/commands/accountLinks.ts';
import { requestLinkByMail } from '../../server/commands/passwordResets.ts';

const documentOf = (html: string) => new JSDOM(html).window.document;

describe('account pages', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let outletA: { id: number; slug: string };
  let outletB: { id: number; slug: string };
  let adminA: TestPerson;
  let memberA: TestPerson;
  let adminB: TestPerson;

  const get = (url: string, cookie?: string) =>
    harness.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  /** A form posted by the browser holding `cookie`, with the session's form token (as the page has it). */
  const post = (
    url: string,
    fields: Record<string, string>,
    cookie?: string,
    extra: Record<string, string> = {},
  ) =>
    harness.app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie ? { cookie } : {}),
        ...extra,
      },
      payload: new URLSearchParams({
        ...(cookie ? { _csrf: withCsrf(cookie)['x-csrf-token']! } : {}),
        ...fields,
      }).toString(),
    });
  const alive = async (cookie: string) => (await get('/api/session', cookie)).statusCode === 200;

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    outletA = (await createOutletWithToken(harness.app, 'vlast-kz')).outlet;
    outletB = (await createOutletWithToken(harness.app, 'kloop-kg')).outlet;
    adminA = await createPerson(harness.app, {
      email: 'admin@vlast.example',
      displayName: 'Aigerim Admin',
      memberships: [{ outletId: outletA.id, role: 'admin' }],
    });
    memberA = await createPerson(harness.app, {
      email: 'member@vlast.example',
      displayName: 'Marat Member',
      memberships: [{ outletId: outletA.id, role: 'member' }],
    });
    adminB = await createPerson(harness.app, {
      email: 'admin@kloop.example',
      memberships: [{ outletId: outletB.id, role: 'admin' }],
    });
  });
  afterAll(() => harness?.close());

  it('sends an anonymous reader to sign in, and back to the page after', async () => {
    for (const path of ['/account', '/account/sessions', '/account/tokens', '/outlets/vlast-kz/people']) {
      const answer = await get(path);
      expect(answer.statusCode, path).toBe(303);
      expect(answer.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    const form = documentOf((await get('/sign-in?next=%2Faccount')).body);
    expect(form.querySelector<HTMLInputElement>('input[name="next"]')?.value).toBe('/account');
    expect(form.querySelector('a[href="/password-reset/request"]')).not.toBeNull();
  });

  it('shows the account: name, e-mail, the outlets and roles, and its own menu', async () => {
    const page = documentOf((await get('/account', adminA.cookie)).body);
    expect(page.querySelector('h1')?.textContent).toBe('Your account');
    expect(page.querySelector('.facts')?.textContent).toContain('Aigerim Admin');
    expect(page.querySelector('.facts')?.textContent).toContain('admin@vlast.example');
    expect(page.querySelector('.memberships')?.textContent).toContain('Administrator of vlast-kz.');
    expect(page.querySelector('a[href="/outlets/vlast-kz/people"]')).not.toBeNull();
    expect(page.querySelector('.account-nav a[aria-current="page"]')?.getAttribute('href')).toBe('/account');
    expect(page.querySelector('.signed-in a[href="/account"]')?.textContent).toContain('Aigerim Admin');

    const member = documentOf((await get('/account', memberA.cookie)).body);
    expect(member.querySelector('.memberships')?.textContent).toContain('Member of vlast-kz.');
    expect(member.querySelector('a[href="/outlets/vlast-kz/people"]')).toBeNull();

    const russian = documentOf((await get('/account', `${memberA.cookie}; lang=ru`)).body);
    expect(russian.querySelector('h1')?.textContent).toBe('Ваша учётная запись');
  });

  it('changes the password with the form: problems beside their fields, then the other sessions end', async () => {
    const person = await createPerson(harness.app, { email: 'changer@vlast.example' });
    const elsewhere = await createPerson(harness.app, { email: 'other-changer@vlast.example' });
    const secondSession = (await post('/sign-in', { email: person.email, password: person.password }))
      .headers['set-cookie'];
    const second = String(secondSession).split(';')[0]!;
    expect(await alive(second)).toBe(true);

    const wrong = await post(
      '/account/password',
      { current_password: 'not it at all', new_password: 'a long new password' },
      person.cookie,
    );
    expect(wrong.statusCode).toBe(400);
    const wrongPage = documentOf(wrong.body);
    expect(wrongPage.querySelector('#current_password-error')?.textContent).toBe(
      'This is not your current password',
    );
    expect(wrongPage.querySelector('.error-summary a')?.getAttribute('href')).toBe('#current_password');

    const short = await post(
      '/account/password',
      { current_password: person.password, new_password: 'short' },
      person.cookie,
    );
    expect(short.statusCode).toBe(400);
    expect(documentOf(short.body).querySelector('#new_password-error')?.textContent).toBe(
      'At least 10 characters',
    );

    const noToken = await harness.app.inject({
      method: 'POST',
      url: '/account/password',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: person.cookie },
      payload: new URLSearchParams({
        current_password: person.password,
        new_password: 'a long new password',
      }).toString(),
    });
    expect(noToken.statusCode).toBe(403);

    const changed = await post(
      '/account/password',
      { current_password: person.password, new_password: 'a long new password' },
      person.cookie,
    );
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe('/account?done=password');
    expect(await alive(person.cookie)).toBe(true);
    expect(await alive(second)).toBe(false);
    expect(await alive(elsewhere.cookie)).toBe(true);
    const notice = documentOf((await get('/account?done=password', person.cookie)).body);
    expect(notice.querySelector('.notice')?.textContent).toContain('Your password is changed');
    const signIn = await post('/sign-in', { email: person.email, password: 'a long new password' });
    expect(signIn.statusCode).toBe(303);
  });

  it('lists the sessions with device and last use, ends one, and signs out everywhere else', async () => {
    const person = await createPerson(harness.app, { email: 'traveller@vlast.example' });
    const signInFrom = async (userAgent: string) => {
      const answer = await post('/sign-in', { email: person.email, password: person.password }, undefined, {
        'user-agent': userAgent,
      });
      return sessionCookieOf(answer)!;
    };
    const laptop = await signInFrom('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0');
    const phone = await signInFrom(
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
    );
    const tablet = await signInFrom(
      'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Version/17.0 Safari/605.1.15',
    );

    const page = documentOf((await get('/account/sessions', laptop)).body);
    const rows = [...page.querySelectorAll('tbody tr')].map((row) => row.textContent ?? '');
    expect(rows.some((row) => row.includes('Firefox · Linux') && row.includes('This browser'))).toBe(true);
    expect(rows.some((row) => row.includes('Chrome · Android') && row.includes('Signed in'))).toBe(true);
    expect(rows.some((row) => row.includes('Safari · iOS'))).toBe(true);
    expect(page.querySelector('tbody')?.textContent).toContain('UTC');

    // End the phone's session from the laptop: the phone is signed out at once.
    const phoneId = await sessionIdOf(phone);
    const ended = await post(`/account/sessions/${phoneId}/end`, {}, laptop);
    expect(ended.statusCode).toBe(303);
    expect(ended.headers.location).toBe('/account/sessions?done=ended');
    expect(await alive(phone)).toBe(false);
    expect(await alive(laptop)).toBe(true);

    // Another person's session is not found, and stays.
    const foreign = await post(`/account/sessions/${memberA.sessionId}/end`, {}, laptop);
    expect(foreign.statusCode).toBe(404);
    expect(await alive(memberA.cookie)).toBe(true);

    const everywhere = await post('/account/sessions/end-others', {}, laptop);
    expect(everywhere.headers.location).toBe('/account/sessions?done=endedOthers');
    expect(await alive(tablet)).toBe(false);
    expect(await alive(person.cookie)).toBe(false);
    expect(await alive(laptop)).toBe(true);
    const after = documentOf((await get('/account/sessions?done=endedOthers', laptop)).body);
    expect(after.querySelector('.notice')?.textContent).toBe('You are signed out everywhere else.');
    expect(after.querySelector('form[action="/account/sessions/end-others"]')).toBeNull();
    expect(after.querySelector('tbody')?.textContent).toContain('Ended by you');

    // Ending this browser's own session signs it out.
    const own = await post(`/account/sessions/${await sessionIdOf(laptop)}/end`, {}, laptop);
    expect(own.headers.location).toBe('/');
    expect(await alive(laptop)).toBe(false);
  });

  it('makes a token whose secret is shown once, narrowed and read-only, and revokes it', async () => {
    const bad = await post(
      '/account/tokens',
      { name: '', outlet: 'kloop-kg', expires_on: '2001-01-01' },
      memberA.cookie,
    );
    expect(bad.statusCode).toBe(400);
    const badPage = documentOf(bad.body);
    expect(badPage.querySelector('#name-error')?.textContent).toBe(
      'Give the token a name of up to 200 characters',
    );
    expect(badPage.querySelector('#expires_on-error')).toBeNull();

    const past = await post('/account/tokens', { name: 'old', expires_on: '2001-01-01' }, memberA.cookie);
    expect(past.statusCode).toBe(400);
    expect(documentOf(past.body).querySelector('#expires_on-error')?.textContent).toBe(
      'Enter a day in the future, within two years',
    );

    const notOwn = await post('/account/tokens', { name: 'sneaky', outlet: 'kloop-kg' }, memberA.cookie);
    expect(notOwn.statusCode).toBe(400);
    expect(documentOf(notOwn.body).querySelector('#outlet-error')?.textContent).toBe(
      'Choose one of your own outlets',
    );

    const nextYear = `${new Date().getUTCFullYear() + 1}-06-30`;
    const made = await post(
      '/account/tokens',
      { name: 'laptop script', outlet: 'vlast-kz', read_only: 'true', expires_on: nextYear },
      memberA.cookie,
    );
    expect(made.statusCode).toBe(201);
    expect(made.headers['cache-control']).toContain('no-store');
    const page = documentOf(made.body);
    const secret = page.querySelector('#token-secret')?.textContent ?? '';
    expect(secret).toMatch(/^ta_/);
    const me = await harness.app.inject({ method: 'GET', url: '/api/me', headers: bearer(secret) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ read_only: true, memberships: [{ outlet_slug: 'vlast-kz' }] });
    const row = [...page.querySelectorAll('tbody tr')].find((tr) =>
      tr.textContent?.includes('laptop script'),
    )!;
    expect(row.textContent).toContain('Only for vlast-kz; read only');
    expect(row.textContent).toContain('Working');

    // The list never shows it again.
    const listed = await get('/account/tokens', memberA.cookie);
    expect(listed.body).not.toContain(secret);
    expect(listed.body).toContain('laptop script');

    const tokenId = row.id.replace('token-', '');
    const revoked = await post(`/account/tokens/${tokenId}/revoke`, {}, memberA.cookie);
    expect(revoked.headers.location).toBe('/account/tokens?done=revoked');
    expect(
      (await harness.app.inject({ method: 'GET', url: '/api/me', headers: bearer(secret) })).statusCode,
    ).toBe(401);
    const after = documentOf((await get('/account/tokens?done=revoked', memberA.cookie)).body);
    expect(after.querySelector(`#token-${tokenId}`)?.textContent).toContain('Revoked');
    expect(after.querySelector(`form[action="/account/tokens/${tokenId}/revoke"]`)).toBeNull();

    // Another person's token: not found.
    const foreign = await post(`/account/tokens/${adminB.tokenId}/revoke`, {}, memberA.cookie);
    expect(foreign.statusCode).toBe(404);
  });

  // --- desk-finish ---
  it("lets an outlet's admin (or an editor) make the outlet's own token, secret shown once, and revoke it; a member may not", async () => {
    // A member sees no outlet token form, and one posted anyway is refused and makes nothing.
    const memberPage = documentOf((await get('/account/tokens', memberA.cookie)).body);
    expect(memberPage.querySelector('form[action="/account/tokens/outlet"]')).toBeNull();
    const forged = await post(
      '/account/tokens/outlet',
      { outlet_name: 'sneaky automation', outlet_slug: 'vlast-kz' },
      memberA.cookie,
    );
    expect(forged.statusCode).toBe(400);
    expect(documentOf(forged.body).querySelector('.error-summary')?.textContent).toContain(
      'Choose an outlet you are an admin of',
    );
    expect((await get('/account/tokens', adminA.cookie)).body).not.toContain('sneaky automation');

    const page = documentOf((await get('/account/tokens', adminA.cookie)).body);
    const form = page.querySelector('form[action="/account/tokens/outlet"]')!;
    expect([...form.querySelectorAll('#outlet_slug option')].map((option) => option.textContent)).toEqual([
      'vlast-kz',
    ]);
    const unnamed = await post(
      '/account/tokens/outlet',
      { outlet_name: '', outlet_slug: 'vlast-kz' },
      adminA.cookie,
    );
    expect(unnamed.statusCode).toBe(400);
    const unnamedPage = documentOf(unnamed.body);
    expect(unnamedPage.querySelector('#outlet_name-error')?.textContent).toBe(
      'Give the token a name of up to 200 characters',
    );
    expect(unnamedPage.querySelector('.error-summary a')?.getAttribute('href')).toBe('#outlet_name');
    // Another outlet's token: refused beside the outlet.
    const foreign = await post(
      '/account/tokens/outlet',
      { outlet_name: 'x', outlet_slug: 'kloop-kg' },
      adminA.cookie,
    );
    expect(documentOf(foreign.body).querySelector('#outlet_slug-error')).not.toBeNull();

    const made = await post(
      '/account/tokens/outlet',
      { outlet_name: 'newsroom import', outlet_slug: 'vlast-kz', outlet_read_only: 'true' },
      adminA.cookie,
    );
    expect(made.statusCode).toBe(201);
    expect(made.headers['cache-control']).toContain('no-store');
    const madePage = documentOf(made.body);
    const secret = madePage.querySelector('#token-secret')?.textContent ?? '';
    expect(secret).toMatch(/^ta_/);
    const me = await harness.app.inject({ method: 'GET', url: '/api/me', headers: bearer(secret) });
    expect(me.json()).toMatchObject({ read_only: true, memberships: [{ outlet_slug: 'vlast-kz' }] });
    const row = [...madePage.querySelectorAll('tbody tr')].find((tr) =>
      tr.textContent?.includes('newsroom import'),
    )!;
    expect(row.textContent).toContain('Automation of vlast-kz; read only');
    expect((await get('/account/tokens', adminA.cookie)).body).not.toContain(secret);
    // The member neither sees nor revokes the outlet's token.
    const tokenId = row.id.replace('token-', '');
    expect((await get('/account/tokens', memberA.cookie)).body).not.toContain('newsroom import');
    expect((await post(`/account/tokens/${tokenId}/revoke`, {}, memberA.cookie)).statusCode).toBe(404);

    const revoked = await post(`/account/tokens/${tokenId}/revoke`, {}, adminA.cookie);
    expect(revoked.headers.location).toBe('/account/tokens?done=revoked');
    expect(
      (await harness.app.inject({ method: 'GET', url: '/api/me', headers: bearer(secret) })).statusCode,
    ).toBe(401);

    // An editor may make any outlet's token.
    const editor = await createPerson(harness.app, { email: 'tokens-editor@example.org', editor: true });
    const editorPage = documentOf((await get('/account/tokens', editor.cookie)).body);
    expect(
      [...editorPage.querySelectorAll('#outlet_slug option')].map((option) => option.textContent),
    ).toEqual(expect.arrayContaining(['vlast-kz', 'kloop-kg']));
    const forKloop = await post(
      '/account/tokens/outlet',
      { outlet_name: 'kloop feed', outlet_slug: 'kloop-kg' },
      editor.cookie,
    );
    expect(forKloop.statusCode).toBe(201);
    expect((await get('/account/tokens', adminB.cookie)).body).toContain('kloop feed');
  });

  it("lets an outlet's admin invite and remove people; the invited person accepts and is signed in", async () => {
    expect((await get('/outlets/vlast-kz/people', memberA.cookie)).statusCode).toBe(403);
    expect((await get('/outlets/vlast-kz/people', adminB.cookie)).statusCode).toBe(403);
    expect((await get('/outlets/no-such-outlet/people', adminA.cookie)).statusCode).toBe(404);
    const people = documentOf((await get('/outlets/vlast-kz/people', adminA.cookie)).body);
    expect(people.querySelector('h1')?.textContent).toBe('People of vlast-kz');
    expect(people.querySelector('tbody')?.textContent).toContain('Marat Member');
    expect(people.querySelector('tbody')?.textContent).not.toContain('admin@kloop.example');

    const bad = await post(
      '/outlets/vlast-kz/people',
      { email: 'not an address', role: 'member' },
      adminA.cookie,
    );
    expect(bad.statusCode).toBe(400);
    expect(documentOf(bad.body).querySelector('#email-error')?.textContent).toContain(
      'Enter an e-mail address',
    );

    const invited = await post(
      '/outlets/vlast-kz/people',
      { email: 'Newcomer@Vlast.example', role: 'member' },
      adminA.cookie,
    );
    expect(invited.statusCode).toBe(201);
    const link = documentOf(invited.body).querySelector('#invitation-url')?.textContent ?? '';
    expect(link).toMatch(/^\/invitations\/accept#tal_/);
    const code = link.split('#')[1]!;
    const listed = documentOf((await get('/outlets/vlast-kz/people', adminA.cookie)).body);
    expect(listed.body.textContent).toContain('newcomer@vlast.example, as Member');
    expect(listed.body.innerHTML).not.toContain(code);

    // The invited person opens the link: a form; a bad field comes back beside it, keeping the code.
    const form = documentOf((await get('/invitations/accept')).body);
    expect(form.querySelector('[data-link-code] input#token')).not.toBeNull();
    const short = await post('/invitations/accept', {
      token: code,
      display_name: 'Nurlan New',
      password: 'short',
    });
    expect(short.statusCode).toBe(400);
    const shortPage = documentOf(short.body);
    expect(shortPage.querySelector('#password-error')?.textContent).toBe('At least 10 characters');
    expect(shortPage.querySelector<HTMLInputElement>('#token')?.value).toBe(code);
    expect(shortPage.querySelector<HTMLInputElement>('#display_name')?.value).toBe('Nurlan New');

    const accepted = await post('/invitations/accept', {
      token: code,
      display_name: 'Nurlan New',
      password: 'newcomer password',
    });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/account?done=welcome');
    const cookie = sessionCookieOf(accepted)!;
    const account = documentOf((await get('/account?done=welcome', cookie)).body);
    expect(account.querySelector('.notice')?.textContent).toContain('Welcome');
    expect(account.querySelector('.memberships')?.textContent).toContain('Member of vlast-kz.');

    const again = await post('/invitations/accept', {
      token: code,
      display_name: 'X',
      password: 'newcomer password',
    });
    expect(again.statusCode).toBe(410);
    expect(documentOf(again.body).querySelector('#token-error')?.textContent).toContain('already used');

    // The admin removes them: their session ends at once.
    const newcomerId = (await get('/api/session', cookie)).json().user.id as number;
    const removed = await post(`/outlets/vlast-kz/people/${newcomerId}/remove`, {}, adminA.cookie);
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toBe('/outlets/vlast-kz/people?done=removed');
    expect(await alive(cookie)).toBe(false);
    const after = documentOf((await get('/outlets/vlast-kz/people?done=removed', adminA.cookie)).body);
    expect(after.querySelector('tbody')?.textContent).not.toContain('Nurlan New');

    // The last admin cannot remove themself; another outlet's admin cannot remove anyone here.
    const last = await post(`/outlets/vlast-kz/people/${adminA.userId}/remove`, {}, adminA.cookie);
    expect(last.statusCode).toBe(409);
    expect(documentOf(last.body).querySelector('.error-summary')?.textContent).toContain(
      'last administrator',
    );
    const foreign = await post(`/outlets/vlast-kz/people/${memberA.userId}/remove`, {}, adminB.cookie);
    expect(foreign.statusCode).toBe(403);
    expect(await alive(memberA.cookie)).toBe(true);
  });

  it('resets a password with a link: the request form, then the new password, then sign-in', async () => {
    const person = await createPerson(harness.app, { email: 'forgetful@vlast.example' });
    const asked = await post('/password-reset/request', { email: person.email });
    expect(asked.statusCode).toBe(200);
    expect(documentOf(asked.body).querySelector('.notice')?.textContent).toContain('ask one of its editors');
    const unknown = await post('/password-reset/request', { email: 'nobody@nowhere.example' });
    expect(documentOf(unknown.body).querySelector('.notice')?.textContent).toBe(
      documentOf(asked.body).querySelector('.notice')?.textContent,
    );
    const badEmail = await post('/password-reset/request', { email: 'nope' }, undefined, {
      cookie: 'lang=ru',
    });
    expect(badEmail.statusCode).toBe(400);
    expect(documentOf(badEmail.body).querySelector('#email-error')?.textContent).toBe(
      'Введите адрес почты, на который создана учётная запись',
    );

    const link = await harness.app.inject({
      method: 'POST',
      url: `/api/users/${person.userId}/password-reset`,
      headers: bearer(ADMIN_TOKEN),
    });
    const code = link.json().token as string;
    const badCode = await post('/password-reset', { token: 'tal_nope', password: 'a brand new password' });
    expect(badCode.statusCode).toBe(400);
    expect(documentOf(badCode.body).querySelector('#token-error')?.textContent).toContain('starts with tal_');

    const reset = await post('/password-reset', { token: `#${code}`, password: 'a brand new password' });
    expect(reset.statusCode).toBe(303);
    expect(reset.headers.location).toBe('/sign-in?done=password_reset');
    expect(await alive(person.cookie)).toBe(false);
    const signInPage = documentOf((await get('/sign-in?done=password_reset')).body);
    expect(signInPage.querySelector('.notice')?.textContent).toContain('Your new password is set');
    const signedIn = await post('/sign-in', { email: person.email, password: 'a brand new password' });
    expect(signedIn.statusCode).toBe(303);

    const twice = await post('/password-reset', { token: code, password: 'another new password' });
    expect(twice.statusCode).toBe(410);
  });

  it('signs in with a mailed sign-in link at the page the mail leads to, once', async () => {
    const person = await createPerson(harness.app, { email: 'by-mail@vlast.example' });
    const link = (await requestLinkByMail(harness.app.db, {
      purpose: 'sign_in',
      email: person.email,
      expiresInMinutes: 15,
    }))!;
    // The mail's address is PUBLIC_URL + linkPath: the page must exist, with the code field JS fills.
    const [pagePath, code] = linkPath('sign_in', link.token).split('#') as [string, string];
    const page = await get(pagePath);
    expect(page.statusCode).toBe(200);
    expect(documentOf(page.body).querySelector('[data-link-code] input[name="token"]')).not.toBeNull();

    const badCode = await post(pagePath, { token: 'tal_nope' }, undefined, { cookie: 'lang=kk' });
    expect(badCode.statusCode).toBe(400);
    expect(documentOf(badCode.body).querySelector('#token-error')?.textContent).toContain('tal_');

    const signedIn = await post(pagePath, { token: `#${code}` });
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/');
    const cookie = sessionCookieOf(signedIn);
    expect((await get('/api/session', cookie)).json().user.email).toBe(person.email);

    const twice = await post(pagePath, { token: code });
    expect(twice.statusCode).toBe(410);
    expect(documentOf(twice.body).querySelector('#token-error')?.textContent).toContain('already used');
  });

  /** The id of the session a cookie carries, as GET /api/session says. */
  async function sessionIdOf(cookie: string): Promise<number> {
    return (await get('/api/session', cookie)).json().session.id as number;
  }
});
