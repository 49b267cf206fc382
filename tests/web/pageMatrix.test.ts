// The authorization matrix over the pages, as tests/api/authorizationMatrix.test.ts is over the API:
// every GET page the app registers outside /api, /docs, /health and /assets (taken from the app, so a
// new page without cases fails here) × the callers that matter — anonymous, outlet A's member and admin,
// outlet B's member, an editor and a researcher, each by a browser session. Each cell checks the status
// (signed-in pages send the anonymous to /sign-in), and that a private order of A — its marker, its
// public id — and another person's e-mail appear on no page of a caller who may not see them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { createTestApp } from '../support/testApp.ts';
import { waitUntilSearchable } from '../search/searchTestHelpers.ts';
import { fileWebFixtures, PRIVATE_MARKER, type WebFixtures } from './webFixtures.ts';

type CallerName = 'anonymous' | 'memberA' | 'adminA' | 'memberB' | 'editor' | 'researcher';
const CALLERS: CallerName[] = ['anonymous', 'memberA', 'adminA', 'memberB', 'editor', 'researcher'];
/** Who may see outlet A's private order. */
const SEES_PRIVATE = new Set<CallerName>(['memberA', 'adminA', 'editor']);

/** What a caller gets: a status, or 'sign-in' (303 to /sign-in?next=<the page>). */
type Outcome = number | 'sign-in';
interface PageCase {
  /** The address to open (fixtures filled in). */
  url: (fixtures: WebFixtures) => string;
  /** The outcome for each caller. */
  expect: (caller: CallerName) => Outcome;
  /** Whether the page, for a caller who may see it, shows the private order (proving the check can fail). */
  showsPrivate?: boolean;
}

const everyone = (): Outcome => 200;
const people = (caller: CallerName): Outcome => (caller === 'anonymous' ? 'sign-in' : 200);
const privateOrder = (caller: CallerName): Outcome => (SEES_PRIVATE.has(caller) ? 200 : 404);
const members = (caller: CallerName): Outcome =>
  caller === 'anonymous' ? 'sign-in' : caller === 'researcher' ? 403 : 200;
const outletA = (caller: CallerName): Outcome =>
  caller === 'anonymous' ? 'sign-in' : caller === 'researcher' ? 403 : SEES_PRIVATE.has(caller) ? 200 : 404;

/** Each GET page route's cases, by the route's path as registered. */
const CASES: Record<string, PageCase[]> = {
  '/': [
    { url: () => '/', expect: everyone, showsPrivate: true },
    { url: () => `/?q=${PRIVATE_MARKER}`, expect: everyone, showsPrivate: true },
    { url: () => '/?authority=kz-mior', expect: everyone, showsPrivate: true },
  ],
  '/orders/:id': [
    { url: (f) => `/orders/${f.publicOrder}`, expect: everyone },
    { url: (f) => `/orders/${f.privateOrder}`, expect: privateOrder, showsPrivate: true },
  ],
  '/about': [{ url: () => '/about', expect: everyone }],
  '/sign-in': [{ url: () => '/sign-in?next=%2Faccount', expect: everyone }],
  '/account': [{ url: () => '/account', expect: people }],
  '/account/sessions': [{ url: () => '/account/sessions', expect: people }],
  '/account/tokens': [{ url: () => '/account/tokens', expect: people }],
  '/outlets/:outlet/people': [
    {
      url: () => '/outlets/vlast-kz/people',
      expect: (caller) =>
        caller === 'anonymous' ? 'sign-in' : caller === 'adminA' || caller === 'editor' ? 200 : 403,
    },
    {
      url: () => '/outlets/other-outlet/people',
      expect: (caller) => (caller === 'anonymous' ? 'sign-in' : caller === 'editor' ? 200 : 403),
    },
  ],
  '/stats': [
    { url: () => '/stats', expect: everyone },
    { url: () => '/stats?authority=kz-mior', expect: everyone },
  ],
  '/stats.csv': [{ url: () => '/stats.csv?group=authority', expect: everyone }],
  '/invitations/accept': [{ url: () => '/invitations/accept', expect: everyone }],
  '/password-reset': [{ url: () => '/password-reset', expect: everyone }],
  '/password-reset/request': [{ url: () => '/password-reset/request', expect: everyone }],
  '/sign-in/link': [{ url: () => '/sign-in/link', expect: everyone }],
  // The outlet's pages: for members of an outlet and editors (a researcher is neither: 403); an order or
  // document of outlet A is there only for A's people and editors.
  '/upload': [{ url: () => '/upload', expect: members }],
  '/desk': [{ url: () => '/desk', expect: members, showsPrivate: true }],
  '/desk/orders/:id': [
    { url: (f) => `/desk/orders/${f.privateOrder}`, expect: outletA, showsPrivate: true },
    // A public order B's member may read, but not change: 403 tells nothing it could not see.
    {
      url: (f) => `/desk/orders/${f.publicOrder}`,
      expect: (caller) => (caller === 'memberB' ? 403 : outletA(caller)),
    },
  ],
  '/desk/documents/:id/redactions': [
    { url: (f) => `/desk/documents/${f.documentId}/redactions`, expect: outletA },
  ],
  // --- desk-finish ---
  // The order's own texts under review: only for who reads the order unredacted (B's member: 404).
  '/desk/orders/:id/redactions': [
    { url: (f) => `/desk/orders/${f.privateOrder}/redactions`, expect: outletA, showsPrivate: true },
    { url: (f) => `/desk/orders/${f.publicOrder}/redactions`, expect: outletA },
  ],
};

/**
 * Whether a caller's page may name another person: an editor sees every token and every outlet's people
 * (TOKEN_RULE, OUTLET_PEOPLE_RULE); outlet A's admin sees A's people. Nobody else sees anyone.
 */
function mayName(caller: CallerName, other: CallerName, route: string, url: string): boolean {
  if (caller === 'editor') return route === '/account/tokens' || route === '/outlets/:outlet/people';
  const ofA = other === 'memberA' || other === 'adminA';
  return caller === 'adminA' && route === '/outlets/:outlet/people' && url.includes('vlast-kz') && ofA;
}

const NOT_PAGES = /^\/(api|docs|health|assets)(\/|$)/;

describe('the authorization matrix over the pages', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let fixtures: WebFixtures;
  const persons = new Map<CallerName, TestPerson>();

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    fixtures = await fileWebFixtures(harness.app);
    const a = fixtures.outletA.outlet.id;
    const b = fixtures.outletB.outlet.id;
    const nextYear = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    persons.set(
      'memberA',
      await createPerson(harness.app, {
        email: 'member-a@matrix.example',
        memberships: [{ outletId: a, role: 'member' }],
      }),
    );
    persons.set(
      'adminA',
      await createPerson(harness.app, {
        email: 'admin-a@matrix.example',
        memberships: [{ outletId: a, role: 'admin' }],
      }),
    );
    persons.set(
      'memberB',
      await createPerson(harness.app, {
        email: 'member-b@matrix.example',
        memberships: [{ outletId: b, role: 'member' }],
      }),
    );
    persons.set('editor', await createPerson(harness.app, { email: 'editor@matrix.example', editor: true }));
    persons.set(
      'researcher',
      await createPerson(harness.app, { email: 'researcher@matrix.example', researcherUntil: nextYear }),
    );
    await waitUntilSearchable(harness);
  }, 120_000);
  afterAll(() => harness?.close());

  const pageRoutes = () =>
    [
      ...new Set(
        harness.app.routeAccess
          .filter((route) => route.method === 'GET' && !NOT_PAGES.test(route.url))
          .map((route) => route.url),
      ),
    ].sort();

  it('has cases for exactly the GET pages the app registers', () => {
    const routes = pageRoutes();
    expect(routes.length).toBeGreaterThan(8);
    expect(
      routes.filter((route) => !CASES[route]?.length),
      'pages the matrix does not know how to open',
    ).toEqual([]);
    expect(
      Object.keys(CASES).filter((route) => !routes.includes(route)),
      'cases for pages that no longer exist',
    ).toEqual([]);
  });

  it('gives every caller the right status, and shows a private order or a person only to who may see them', async () => {
    const tally = { cells: 0, wrongStatuses: [] as string[], leaks: [] as string[], privateSeen: 0 };
    for (const route of pageRoutes()) {
      for (const pageCase of CASES[route] ?? []) {
        const url = pageCase.url(fixtures);
        for (const caller of CALLERS) {
          const person = persons.get(caller);
          const answer = await harness.app.inject({
            method: 'GET',
            url,
            headers: person ? { cookie: person.cookie } : {},
          });
          tally.cells += 1;
          const expected = pageCase.expect(caller);
          const cell = `${caller} GET ${url}`;
          if (expected === 'sign-in') {
            if (
              answer.statusCode !== 303 ||
              answer.headers.location !== `/sign-in?next=${encodeURIComponent(url)}`
            )
              tally.wrongStatuses.push(
                `${cell}: ${answer.statusCode} ${String(answer.headers.location)}, not sent to sign in`,
              );
            continue;
          }
          if (answer.statusCode !== expected)
            tally.wrongStatuses.push(`${cell}: ${answer.statusCode}, not ${expected}`);
          const body = answer.body;
          // What would show the private order, leaving out what the address itself carries (echoed by
          // the search box, the language links and the way back from sign-in).
          const signals = [PRIVATE_MARKER, fixtures.privateOrder].filter((signal) => !url.includes(signal));
          const shown = signals.some((signal) => body.includes(signal));
          if (shown && !SEES_PRIVATE.has(caller)) tally.leaks.push(`${cell}: shows the private order`);
          if (shown) tally.privateSeen += 1;
          if (pageCase.showsPrivate && SEES_PRIVATE.has(caller) && !shown && url.includes(PRIVATE_MARKER))
            tally.wrongStatuses.push(`${cell}: its own private order is missing`);
          for (const [other, otherPerson] of persons) {
            if (other !== caller && body.includes(otherPerson.email) && !mayName(caller, other, route, url))
              tally.leaks.push(`${cell}: shows ${other}'s e-mail`);
          }
          if (person && expected === 200 && route === '/account' && !body.includes(person.email))
            tally.wrongStatuses.push(`${cell}: not the caller's own account`);
          if (person && expected === 200 && route === '/account/sessions') {
            if (!body.includes(`id="session-${person.sessionId}"`))
              tally.wrongStatuses.push(`${cell}: the caller's own session is missing`);
            for (const [other, otherPerson] of persons)
              if (other !== caller && body.includes(`id="session-${otherPerson.sessionId}"`))
                tally.leaks.push(`${cell}: shows ${other}'s session`);
          }
        }
      }
    }
    console.log(
      `page matrix: ${pageRoutes().length} pages × ${CALLERS.length} callers, ${tally.cells} cells: ` +
        `${tally.leaks.length} leaks, ${tally.wrongStatuses.length} wrong statuses`,
    );
    expect(tally.leaks).toEqual([]);
    expect(tally.wrongStatuses).toEqual([]);
    // The private order was seen where it should be: the leak check looks at pages that do show it.
    expect(tally.privateSeen).toBeGreaterThanOrEqual(6);
  }, 120_000);

  it('counts on /stats and in its CSV only the orders each caller may see', async () => {
    const statsOf = async (caller: CallerName) => {
      const cookie = persons.get(caller)?.cookie;
      const headers = cookie ? { cookie } : {};
      const page = await harness.app.inject({ method: 'GET', url: '/stats', headers });
      const csv = await harness.app.inject({ method: 'GET', url: '/stats.csv?group=authority', headers });
      return { page: page.body, csv: csv.body, csvType: String(csv.headers['content-type']) };
    };
    for (const caller of CALLERS) {
      const { page, csv, csvType } = await statsOf(caller);
      const sees = SEES_PRIVATE.has(caller);
      expect(page, caller).toContain(sees ? '3 orders you may see' : '2 orders you may see');
      expect(page.includes('kz-mior'), caller).toBe(sees);
      expect(csvType).toMatch(/^text\/csv/);
      expect(csv.includes('kz-mior'), caller).toBe(sees);
      expect(csv.split('\r\n')[0]).toBe('authority,orders');
    }
    const anonymous = await statsOf('anonymous');
    expect(anonymous.page).toContain('<svg');
    expect(anonymous.csv).toContain('"ru-roskomnadzor",2');
  });
});
