// The pages through app.inject: each page in the reader's language (query, cookie, Accept-Language), a
// private order seen only by its outlet and never leaking to outsiders through any page, the search page's
// facets and pagination, the citation formats, and signing in and out with forms.
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/apiClient.ts';
import { createPerson, withCsrf, type TestPerson } from '../support/accounts.ts';
import { sessionCookieOf, setCookies } from '../support/browserSession.ts';
import { createTestApp } from '../support/testApp.ts';
import { waitUntilSearchable } from '../search/searchTestHelpers.ts';
import { fileWebFixtures, PRIVATE_MARKER, type WebFixtures } from './webFixtures.ts';

const documentOf = (html: string) => new JSDOM(html).window.document;

describe('web pages', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let fixtures: WebFixtures;
  let member: TestPerson;
  let outsider: TestPerson;

  const get = (url: string, headers: Record<string, string> = {}) =>
    harness.app.inject({ method: 'GET', url, headers });
  const postForm = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    harness.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(fields).toString(),
    });

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    fixtures = await fileWebFixtures(harness.app);
    member = await createPerson(harness.app, {
      email: 'member@vlast.example',
      displayName: 'Member of Vlast',
      memberships: [{ outletId: fixtures.outletA.outlet.id, role: 'member' }],
    });
    outsider = await createPerson(harness.app, {
      email: 'outsider@other.example',
      memberships: [{ outletId: fixtures.outletB.outlet.id, role: 'member' }],
    });
    await waitUntilSearchable(harness);
  });
  afterAll(() => harness?.close());

  const pages = () => ['/', `/orders/${fixtures.publicOrder}`, '/about', '/sign-in', '/no-such-page'];

  it('renders each page in the language chosen by ?lang=, the cookie, Accept-Language or English', async () => {
    for (const path of pages()) {
      const status = path === '/no-such-page' ? 404 : 200;
      const english = await get(path);
      expect(english.statusCode, path).toBe(status);
      expect(english.headers['content-type']).toMatch(/^text\/html/);
      expect(documentOf(english.body).documentElement.lang).toBe('en');

      const chosen = await get(`${path}${path.includes('?') ? '&' : '?'}lang=ru`);
      expect(chosen.statusCode).toBe(303);
      expect(chosen.headers.location).toBe(path);
      const cookie = setCookies(chosen).find((line) => line.startsWith('lang=ru'));
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Max-Age=31536000/);

      const byCookie = await get(path, { cookie: 'lang=kk' });
      expect(byCookie.statusCode).toBe(status);
      expect(documentOf(byCookie.body).documentElement.lang).toBe('kk');

      const byHeader = await get(path, { 'accept-language': 'de-DE,ru;q=0.9,en;q=0.8' });
      expect(documentOf(byHeader.body).documentElement.lang).toBe('ru');
      // The cookie wins over the header.
      const both = await get(path, { cookie: 'lang=en', 'accept-language': 'kk' });
      expect(documentOf(both.body).documentElement.lang).toBe('en');
    }
    const russian = documentOf((await get('/about', { cookie: 'lang=ru' })).body);
    expect(russian.querySelector('h1')?.textContent).toBe('Об архиве');
  });

  it('keeps a query when switching the language, and ignores an unknown language', async () => {
    const switched = await get('/?q=%D1%82%D0%B5%D1%81%D1%82&lang=kk');
    expect(switched.headers.location).toBe('/?q=%D1%82%D0%B5%D1%81%D1%82');
    const unknown = await get('/about?lang=xx');
    expect(unknown.statusCode).toBe(303);
    expect(unknown.headers.location).toBe('/about');
    expect(setCookies(unknown).some((line) => line.startsWith('lang='))).toBe(false);
  });

  it("shows a private order to its outlet only: 404 for anyone else, the marker on no outsider's page", async () => {
    const url = `/orders/${fixtures.privateOrder}`;
    const anonymous = await get(url);
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.body).not.toContain(PRIVATE_MARKER);
    expect(documentOf(anonymous.body).documentElement.lang).toBe('en');
    const other = await get(url, { cookie: outsider.cookie });
    expect(other.statusCode).toBe(404);
    const own = await get(url, { cookie: member.cookie });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain(PRIVATE_MARKER);
    expect(own.body).toContain('Member of Vlast');

    const reachable = [
      '/',
      '/?q=private',
      '/?q=demand',
      '/?authority=kz-mior',
      '/?issued_from=2024-01-01&issued_to=2024-12-31',
      `/orders/${fixtures.publicOrder}`,
      `/orders/${fixtures.secondOrder}`,
      '/about',
    ];
    for (const who of [{}, { cookie: outsider.cookie }] as Record<string, string>[]) {
      for (const path of reachable) {
        const answer = await get(path, who);
        expect(answer.statusCode, path).toBe(200);
        expect(answer.body, path).not.toContain(PRIVATE_MARKER);
        expect(answer.body, path).not.toContain(fixtures.privateOrder);
        const page = documentOf(answer.body);
        expect(page.querySelector('.facets')?.innerHTML ?? '', path).not.toContain('kz-mior');
        expect(page.querySelector('.cards')?.innerHTML ?? '', path).not.toContain('kz-mior');
      }
    }
    // Its outlet finds it in search, and its authority among the facets.
    const ownSearch = await get(`/?q=${PRIVATE_MARKER}`, { cookie: member.cookie });
    expect(ownSearch.body).toContain(fixtures.privateOrder);
    expect(ownSearch.body).toContain('authority=kz-mior');
  });

  it('shows results as cards with facets as links with counts, pagination and the feed of the same search', async () => {
    const answer = await get('/?q=%D1%82%D1%80%D0%B5%D0%B1%D0%BE%D0%B2%D0%B0%D0%BD%D0%B8%D0%B5&per_page=1');
    expect(answer.statusCode).toBe(200);
    const page = documentOf(answer.body);
    expect(page.querySelectorAll('.cards > li')).toHaveLength(1);
    const facetLinks = [...page.querySelectorAll<HTMLAnchorElement>('.facets a')].map((a) =>
      a.getAttribute('href'),
    );
    expect(facetLinks).toContain(
      '/?q=%D1%82%D1%80%D0%B5%D0%B1%D0%BE%D0%B2%D0%B0%D0%BD%D0%B8%D0%B5&per_page=1&authority=ru-roskomnadzor',
    );
    expect(facetLinks).toContain(
      '/?q=%D1%82%D1%80%D0%B5%D0%B1%D0%BE%D0%B2%D0%B0%D0%BD%D0%B8%D0%B5&per_page=1&legal_basis=RU%2F149-FZ%2F15.3',
    );
    expect(page.querySelector('#facet-authority')?.textContent).toBe('Authority');
    expect(page.querySelector('.facets')?.textContent).toContain('Federal Law 149-FZ, art. 15.3');
    expect(page.querySelector('.facets')?.textContent).toContain('2 orders');
    const next = page.querySelector<HTMLAnchorElement>('.pagination a[rel="next"]');
    expect(next?.getAttribute('href')).toBe(
      '/?q=%D1%82%D1%80%D0%B5%D0%B1%D0%BE%D0%B2%D0%B0%D0%BD%D0%B8%D0%B5&per_page=1&page=2',
    );
    expect(page.querySelector('.pagination')?.textContent).toContain('Page 1 of 2');
    expect(page.querySelector<HTMLAnchorElement>('a.feed-link')?.getAttribute('href')).toBe(
      '/api/search.atom?q=%D1%82%D1%80%D0%B5%D0%B1%D0%BE%D0%B2%D0%B0%D0%BD%D0%B8%D0%B5',
    );

    // A facet followed: the filter shows as chosen, with a link that takes it away.
    const filtered = documentOf((await get('/?legal_basis=RU%2F149-FZ&status=refused')).body);
    expect(filtered.querySelectorAll('.cards > li')).toHaveLength(1);
    expect(filtered.querySelector('.active-filters')?.textContent).toContain('Federal Law 149-FZ');
    expect(filtered.querySelector('.card')?.textContent).toContain('Federal Law 149-FZ, art. 15.3');

    const russian = documentOf((await get('/?status=refused', { cookie: 'lang=ru' })).body);
    expect(russian.querySelector('.card')?.textContent).toContain('Федеральный закон № 149-ФЗ, ст. 15.3');
    expect(russian.querySelector('.card h3')?.textContent).toContain('Роскомнадзор');
  });

  it("shows the document's words highlighted, never its markup", async () => {
    const answer = await get('/?q=script');
    const card = documentOf(answer.body).querySelector('.card');
    expect(card?.querySelector('.card-pages mark')?.textContent).toBe('script');
    expect(card?.querySelector('script')).toBeNull();
    expect(answer.body).not.toContain('<script>alert');
    expect(card?.textContent).toContain('<script>alert');
  });

  it('answers bad search input with the error page, in the layout and the language', async () => {
    const answer = await get('/?page=0', { cookie: 'lang=ru' });
    expect(answer.statusCode).toBe(400);
    const page = documentOf(answer.body);
    expect(page.documentElement.lang).toBe('ru');
    expect(page.querySelector('main')?.textContent).toContain('Адрес этой страницы неверен');
  });

  it('tells the whole story of an order, with page anchors, a download link and precedents', async () => {
    const answer = await get(`/orders/${fixtures.publicOrder}`);
    const page = documentOf(answer.body);
    expect(page.querySelectorAll('h1')).toHaveLength(1);
    expect(page.querySelector('h1')?.textContent).toBe('Roskomnadzor demanded of vlast-kz');
    expect(page.querySelector('.facts')?.textContent).toContain('Federal Law 149-FZ, art. 15.3');
    expect(page.querySelector('.targets a')?.getAttribute('href')).toBe(
      'https://vlast.kz/novosti/49000-war.html',
    );
    expect(page.querySelector('#page-1')).not.toBeNull();
    expect(page.querySelector(`#document-${fixtures.documentId}-page-1 .page-text`)?.textContent).toContain(
      '<script>alert("x")</script>',
    );
    // The original file is the outlet's and editors' (issue #16) until an editor marks it publishable.
    const fileLink = `a[href="/api/documents/${fixtures.documentId}/file"]`;
    expect(page.querySelector(fileLink)).toBeNull();
    const asOutlet = documentOf(
      (await get(`/orders/${fixtures.publicOrder}`, { cookie: member.cookie })).body,
    );
    expect(asOutlet.querySelector(fileLink)).not.toBeNull();
    const published = await harness.app.inject({
      method: 'PATCH',
      url: `/api/documents/${fixtures.documentId}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { original_publishable: true },
    });
    expect(published.statusCode, published.body).toBe(200);
    const afterwards = documentOf((await get(`/orders/${fixtures.publicOrder}`)).body);
    expect(afterwards.querySelector(fileLink)).not.toBeNull();
    expect(page.querySelector('.timeline')?.textContent).toContain('Order issued');
    expect(page.querySelector('.precedents')?.textContent).toContain(fixtures.secondOrder);
  });

  it('gives citations as plain text, BibTeX (one entry) and CSL-JSON, each with the permalink and sha256', async () => {
    const sha256 = (await get(`/api/documents/${fixtures.documentId}`)).json().sha256 as string;
    const page = documentOf((await get(`/orders/${fixtures.publicOrder}`)).body);
    const permalink = `http://localhost:80/orders/${fixtures.publicOrder}`;
    const plain = page.querySelector('#citation-plain')!.textContent!;
    expect(plain).toContain(permalink);
    expect(plain).toContain(sha256);

    const bibtex = page.querySelector('#citation-bibtex')!.textContent!;
    const entries = parseBibtex(bibtex);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.key).toBe(fixtures.publicOrder);
    expect(entries[0]!.fields.url).toBe(permalink);
    expect(entries[0]!.fields.note).toContain(sha256);
    expect(entries[0]!.fields.year).toBe('2022');

    const csl = JSON.parse(page.querySelector('#citation-csl')!.textContent!) as Record<string, unknown>[];
    expect(csl).toHaveLength(1);
    expect(csl[0]!.URL).toBe(permalink);
    expect(csl[0]!.note).toContain(sha256);
    expect(csl[0]!.issued).toEqual({ 'date-parts': [[2022, 3, 4]] });
  });

  it('signs in with the form: a wrong password shows the form again with the message beside the field', async () => {
    const form = documentOf((await get('/sign-in?next=%2Forders%2FTD-1')).body);
    expect(form.querySelector<HTMLInputElement>('input[name="next"]')?.value).toBe('/orders/TD-1');
    expect(form.querySelector('label[for="email"]')).not.toBeNull();
    expect(form.querySelector('input[name="_csrf"]')).toBeNull();

    const wrong = await postForm('/sign-in', {
      email: member.email,
      password: 'not the password',
      next: '/about',
    });
    expect(wrong.statusCode).toBe(401);
    const again = documentOf(wrong.body);
    expect(again.querySelector('#password-error')?.textContent).toBe('Wrong e-mail or password');
    expect(again.querySelector('#password')?.getAttribute('aria-invalid')).toBe('true');
    expect(again.querySelector('.error-summary a')?.getAttribute('href')).toBe('#password');
    expect(again.querySelector<HTMLInputElement>('#email')?.value).toBe(member.email);
    expect(sessionCookieOf(wrong)).toBeUndefined();

    const badEmail = await postForm(
      '/sign-in',
      { email: 'no at sign', password: 'x' },
      { cookie: 'lang=kk' },
    );
    expect(badEmail.statusCode).toBe(400);
    expect(documentOf(badEmail.body).querySelector('#email-error')?.textContent).toBe(
      'Тіркелгі ашылған пошта мекенжайын енгізіңіз',
    );

    const right = await postForm('/sign-in', {
      email: member.email,
      password: member.password,
      next: '/about',
    });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe('/about');
    const cookie = sessionCookieOf(right)!;
    expect(cookie).toMatch(/^ta_session=/);
    const signedIn = documentOf((await get('/about', { cookie })).body);
    expect(signedIn.querySelector('.signed-in')?.textContent).toContain('Member of Vlast');

    // Another site's address is never where sign-in leads.
    const elsewhere = await postForm('/sign-in', {
      email: outsider.email,
      password: outsider.password,
      next: '//evil.example/',
    });
    expect(elsewhere.headers.location).toBe('/');
  });

  it('signs out only with the form token (403 without it)', async () => {
    const person = await createPerson(harness.app, { email: 'leaving@vlast.example' });
    const refused = await postForm('/sign-out', {}, { cookie: person.cookie });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect((await get('/api/session', { cookie: person.cookie })).statusCode).toBe(200);

    const page = documentOf((await get('/about', { cookie: person.cookie })).body);
    const token = page.querySelector<HTMLInputElement>('form[action="/sign-out"] input[name="_csrf"]')!.value;
    const signedOut = await postForm('/sign-out', { _csrf: token }, { cookie: person.cookie });
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/');
    expect((await get('/api/session', { cookie: person.cookie })).statusCode).toBe(401);

    // The token the test helpers make is the same kind a page hands out.
    const other = await createPerson(harness.app, { email: 'leaving-too@vlast.example' });
    const viaHelper = await postForm(
      '/sign-out',
      { _csrf: withCsrf(other.cookie)['x-csrf-token']! },
      { cookie: other.cookie },
    );
    expect(viaHelper.statusCode).toBe(303);
  });

  it('hides the pages from the API description', async () => {
    const spec = (await get('/docs/json')).json() as { paths: Record<string, unknown> };
    for (const path of ['/', '/orders/{id}', '/sign-in', '/sign-out', '/about'])
      expect(spec.paths[path]).toBeUndefined();
    expect(spec.paths['/api/orders/{id}']).toBeDefined();
  });
});

/** A small BibTeX reader: entries `@type{key, name = {value}, …}` with balanced braces. */
function parseBibtex(text: string): { type: string; key: string; fields: Record<string, string> }[] {
  const entries: { type: string; key: string; fields: Record<string, string> }[] = [];
  let at = 0;
  for (;;) {
    const start = text.indexOf('@', at);
    if (start < 0) return entries;
    const head = /^@(\w+)\{([^,\s]+),/.exec(text.slice(start));
    if (!head) throw new Error(`not an entry at ${start}`);
    let depth = 0;
    let end = start;
    for (let i = start; i < text.length; i++) {
      if (text[i] === '\\') {
        i++;
        continue;
      }
      if (text[i] === '{') depth++;
      if (text[i] === '}' && --depth === 0) {
        end = i;
        break;
      }
    }
    if (depth !== 0) throw new Error('unbalanced braces');
    const body = text.slice(start + head[0].length, end);
    const fields: Record<string, string> = {};
    for (const match of body.matchAll(/(\w+)\s*=\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g)) {
      fields[match[1]!] = match[2]!.replace(/^\{(.*)\}$/s, '$1');
    }
    entries.push({ type: head[1]!, key: head[2]!, fields });
    at = end + 1;
  }
}
