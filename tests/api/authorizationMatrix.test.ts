// The authorization matrix: every route in the OpenAPI description × every kind of caller: anonymous, a
// revoked token, a malformed Authorization header, outlet A's and outlet B's tokens, an editor (ADMIN_TOKEN),
// and people: an editor, outlet A's admin and member, a member of A and B, a researcher and an expired one,
// a disabled user (token and session cookie), sessions of A's member and of the editor sent without their
// CSRF token, a session of A's member with it, and a read-only token of A's member. Each cell asserts the
// status, and that nothing of outlet A's private and embargoed orders (summary, reference number, target
// URL and title, document text, filename, file bytes), nor of outlet B's private order, reaches a caller
// outside that outlet through any answer: lists, totals, facets, search hits, page search, feeds,
// precedents, articles, files. A cookie write without its CSRF token must change nothing. A route without
// cases here fails the test with its name, so a new route cannot go unchecked.
import csrfTokens from '@fastify/csrf';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  bearer,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { createApiToken } from '../../server/auth/apiTokens.ts';
import { ACCESS_DESCRIPTIONS, type RouteAccess } from '../../server/auth/caller.ts';
import { csrfSecretOf, SESSION_COOKIE, startSession } from '../../server/auth/sessions.ts';
import { createPerson } from '../support/accounts.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';
import { uploadFiles, waitUntilSearchable } from '../search/searchTestHelpers.ts';

const CALLERS = [
  'anonymous',
  'revoked',
  'malformed',
  'outletA',
  'outletB',
  'editor',
  'editorUser',
  'adminA',
  'memberA',
  'memberAB',
  'researcher',
  'expiredResearcher',
  'disabled',
  'disabledCookie',
  'cookieA',
  'cookieEditor',
  'sessionA',
  'readOnlyA',
] as const;
type CallerName = (typeof CALLERS)[number];
/** Callers that see outlet A's hidden orders, and those that see outlet B's. */
const INSIDERS_OF_A: CallerName[] = [
  'outletA',
  'editor',
  'editorUser',
  'adminA',
  'memberA',
  'memberAB',
  'cookieA',
  'cookieEditor',
  'sessionA',
  'readOnlyA',
];
const INSIDERS_OF_B: CallerName[] = ['outletB', 'editor', 'editorUser', 'memberAB', 'cookieEditor'];
/** Callers that must never see a trace of A's hidden orders (or of B's). */
const OUTSIDERS = CALLERS.filter((caller) => !INSIDERS_OF_A.includes(caller));
const OUTSIDERS_OF_B = CALLERS.filter((caller) => !INSIDERS_OF_B.includes(caller));
/** Session cookies sent without their CSRF token. */
const COOKIES_WITHOUT_CSRF: CallerName[] = ['cookieA', 'cookieEditor'];
/** Callers that may see every order: they may target any article without disclosing a hidden one. */
const SEES_EVERY_ORDER: CallerName[] = ['editor', 'editorUser', 'cookieEditor'];

/** A word every order of the fixture shares, so searches find the hidden ones if they leak. */
const SHARED_WORD = 'quagmirezz';
const hidden = (tag: string) => ({
  summary: `${tag} summary marker, ${SHARED_WORD}`,
  reference: `${tag.toUpperCase()}-REF-4471`,
  url: `https://alpha-matrix.example/news/${tag}-target-4471.html`,
  title: `${tag} article title marker`,
  filename: `${tag}-letter-4471.txt`,
  documentText: `${tag}doctext4471`,
  fileBytes: `${tag}filebytes4471`,
});
const PRIVATE = hidden('zqpriv');
const EMBARGOED = hidden('zqemb');
const BETA = { summary: 'zqbeta summary marker', reference: 'ZQBETA-REF-4471' };
const MARKERS_OF_B = [BETA.summary, BETA.reference];
const MARKERS = [PRIVATE, EMBARGOED].flatMap((order) => [
  order.summary.split(',')[0]!,
  order.reference,
  order.url.replace(/^https:\/\//, ''),
  `${order.title}`,
  order.filename,
  order.documentText,
  order.fileBytes,
]);

interface Fixture {
  authority: string;
  alphaSlug: string;
  betaSlug: string;
  privateOrder: string;
  embargoedOrder: string;
  publicOrder: string;
  betaOrder: string;
  privateArticle: number;
  publicArticle: number;
  privateDocument: number;
  embargoedDocument: number;
}

/**
 * Statuses by caller. Unnamed callers follow the named ones:
 *   anonymous: 401 for writes, 200 for reads; revoked, malformed, disabled (a disabled user's token): 401,
 *     always; disabledCookie (a disabled user's session): as anonymous;
 *   outletA, outletB, editor: as anonymous, else 200;
 *   editorUser: as editor; memberA, memberAB: as outletA; adminA: as outletA, but as editor on routes
 *     for admins (a case there is about outlet A, the one adminA administers);
 *   researcher, expiredResearcher (signed in, member of nothing): on routes for anyone as anonymous, on
 *     routes for anyone signed in as outletB (another signed-in outsider), elsewhere 403;
 *   cookieA, cookieEditor (sessions without their CSRF token): reads as memberA and editorUser, writes 403;
 *   sessionA (A's member's session with its CSRF token): as memberA;
 *   readOnlyA (a read-only token of A's member): writes 403 except on routes for anyone, reads as memberA.
 */
type Expected = Partial<Record<CallerName, number>>;

interface Case {
  /** What this case asks, for messages. */
  name: string;
  request: (caller: CallerName, fixture: Fixture) => InjectOptions;
  /** Statuses by caller (see Expected for those a case does not name). */
  expected: Expected;
  /** Markers that outlet A's insiders do get here (when answered 2xx): proof that the leak check sees them. */
  seenByOwner?: string[];
  /** The same for outlet B's private order and B's insiders. */
  seenByOwnerOfB?: string[];
  /** Further checks of an outsider's answer (e.g. a total of 0 where the request names a marker). */
  outsiderCheck?: (response: LightMyRequestResponse, fixture: Fixture) => void;
}

const get = (url: string) => () => ({ method: 'GET' as const, url });

/** Every operation of the OpenAPI description, keyed "METHOD /path/{param}". */
const CASES: Record<string, Case[]> = {
  'GET /health': [{ name: 'health', request: get('/health'), expected: { anonymous: 200 } }],
  'GET /api/orders': [
    {
      name: 'list',
      request: get('/api/orders?limit=100'),
      expected: { anonymous: 200 },
      seenByOwner: [PRIVATE.reference, EMBARGOED.reference],
      seenByOwnerOfB: [BETA.reference],
    },
    {
      name: 'list by outlet A',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders?limit=100&outlet=${f.alphaSlug}` }),
      expected: { anonymous: 200 },
      seenByOwner: [PRIVATE.reference, EMBARGOED.reference],
    },
  ],
  'POST /api/orders': [
    {
      name: 'file',
      request: (_caller, f) => ({
        method: 'POST',
        url: '/api/orders',
        payload: { authority: f.authority, visibility: 'private', summary: 'matrix filing' },
      }),
      // A member of two outlets must say which one the order is for.
      expected: { outletA: 201, outletB: 201, editor: 201, memberAB: 400 },
    },
    {
      name: 'file for outlet B',
      request: (_caller, f) => ({
        method: 'POST',
        url: '/api/orders',
        payload: { authority: f.authority, visibility: 'private', outlet: f.betaSlug },
      }),
      expected: { outletA: 403, outletB: 201, editor: 201, memberAB: 201 },
    },
  ],
  'GET /api/orders/{id}': [
    {
      name: 'private order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.privateOrder}` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [PRIVATE.reference, PRIVATE.title, PRIVATE.filename],
    },
    {
      name: 'embargoed order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.embargoedOrder}` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [EMBARGOED.reference, EMBARGOED.title],
    },
    {
      name: 'outlet B’s private order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.betaOrder}` }),
      expected: { anonymous: 404, outletA: 404, outletB: 200, editor: 200, memberAB: 200 },
      seenByOwnerOfB: [BETA.reference, BETA.summary],
    },
  ],
  'PATCH /api/orders/{id}': [
    {
      name: 'change private order',
      request: (_caller, f) => ({
        method: 'PATCH',
        url: `/api/orders/${f.privateOrder}`,
        headers: { 'if-match': '*' },
        payload: { stated_reason: 'matrix change' },
      }),
      expected: { anonymous: 401, outletA: 200, outletB: 404, editor: 200 },
    },
  ],
  'POST /api/orders/{id}/targets': [
    {
      name: 'target on private order',
      request: (caller, f) => ({
        method: 'POST',
        url: `/api/orders/${f.privateOrder}/targets`,
        payload: { url: `https://matrix.example/target-${caller}.html` },
      }),
      expected: { anonymous: 401, outletA: 201, outletB: 404, editor: 201 },
    },
    {
      name: 'a hidden article by id, on outlet B’s own order',
      request: (caller, f) => ({
        method: 'POST',
        url: `/api/orders/${f.betaOrder}/targets`,
        // Who may see A's private article (an editor, a member of A and B) would disclose it to B by linking
        // it: they link the public article, so no hidden one becomes B's.
        payload: {
          article_id:
            SEES_EVERY_ORDER.includes(caller) || caller === 'memberAB' ? f.publicArticle : f.privateArticle,
        },
      }),
      expected: { anonymous: 401, outletA: 404, outletB: 400, editor: 201, memberAB: 201 },
    },
  ],
  'POST /api/orders/{id}/responses': [
    {
      name: 'response on private order',
      request: (_caller, f) => ({
        method: 'POST',
        url: `/api/orders/${f.privateOrder}/responses`,
        payload: { kind: 'silence' },
      }),
      expected: { anonymous: 401, outletA: 201, outletB: 404, editor: 201 },
    },
  ],
  'POST /api/orders/{id}/events': [
    {
      name: 'event on embargoed order',
      request: (_caller, f) => ({
        method: 'POST',
        url: `/api/orders/${f.embargoedOrder}/events`,
        payload: { kind: 'other', occurred_at: '2024-01-01T00:00:00Z' },
      }),
      expected: { anonymous: 401, outletA: 201, outletB: 404, editor: 201 },
    },
  ],
  'GET /api/authorities': [
    { name: 'list', request: get('/api/authorities?limit=100'), expected: { anonymous: 200 } },
  ],
  'POST /api/authorities': [
    {
      name: 'add',
      request: (caller) => ({
        method: 'POST',
        url: '/api/authorities',
        payload: { slug: `matrix-${caller.toLowerCase()}`, name: 'Matrix', country: 'KZ', kind: 'other' },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 201 },
    },
  ],
  'GET /api/outlets': [
    { name: 'list', request: get('/api/outlets?limit=100'), expected: { anonymous: 200 } },
  ],
  'POST /api/outlets': [
    {
      name: 'add',
      request: (caller) => ({
        method: 'POST',
        url: '/api/outlets',
        payload: { slug: `matrix-${caller.toLowerCase()}`, name: 'Matrix' },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 201 },
    },
  ],
  'GET /api/articles': [
    {
      name: 'list',
      request: get('/api/articles?limit=100'),
      expected: { anonymous: 200 },
      seenByOwner: [PRIVATE.title, EMBARGOED.title],
    },
    {
      name: 'list by outlet A, one a page',
      request: (_caller, f) => ({ method: 'GET', url: `/api/articles?limit=1&outlet=${f.alphaSlug}` }),
      expected: { anonymous: 200 },
      outsiderCheck: (response) => expect(response.json().next_cursor).toBeNull(),
    },
  ],
  'POST /api/articles': [
    {
      name: 'a hidden target’s URL again',
      request: () => ({ method: 'POST', url: '/api/articles', payload: { url: PRIVATE.url } }),
      expected: { anonymous: 401, outletA: 200, outletB: 201, editor: 200 },
      seenByOwner: [PRIVATE.title],
      outsiderCheck: (response) => expect(response.json().title).toBeNull(),
    },
  ],
  'POST /api/orders/{id}/documents': [
    {
      name: 'upload to private order',
      request: (_caller, f) => ({
        method: 'POST',
        url: `/api/orders/${f.privateOrder}/documents`,
        ...multipartForm('matrix-upload.txt', 'a matrix upload'),
      }),
      expected: { anonymous: 401, outletA: 201, outletB: 404, editor: 201 },
    },
  ],
  'POST /api/intake': [
    {
      name: 'intake',
      request: () => ({
        method: 'POST',
        url: '/api/intake?wait=0',
        ...multipartForm('intake.txt', 'intake'),
      }),
      // A member of two outlets must say which one the draft is for.
      expected: { anonymous: 401, outletA: 201, outletB: 201, editor: 201, memberAB: 400 },
    },
  ],
  'GET /api/documents': [
    {
      name: 'list',
      request: get('/api/documents?limit=100'),
      expected: { anonymous: 200 },
      seenByOwner: [PRIVATE.filename, EMBARGOED.filename],
    },
    {
      name: 'list of the private order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents?order=${f.privateOrder}` }),
      expected: { anonymous: 200 },
      outsiderCheck: (response) => expect(response.json().items).toEqual([]),
    },
  ],
  'GET /api/documents/{id}': [
    {
      name: 'private document',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.privateDocument}` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [PRIVATE.documentText, PRIVATE.filename],
    },
    {
      name: 'embargoed document',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.embargoedDocument}` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [EMBARGOED.documentText],
    },
  ],
  'GET /api/documents/{id}/file': [
    {
      name: 'private file',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.privateDocument}/file` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [PRIVATE.fileBytes],
    },
    {
      name: 'embargoed file',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.embargoedDocument}/file` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [EMBARGOED.fileBytes],
    },
  ],
  // Redacted renditions (issue #16): who downloads a document's rendition (see the fixture's set-up).
  'GET /api/documents/{id}/rendition': [
    {
      name: 'private rendition',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.privateDocument}/rendition` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [PRIVATE.fileBytes],
    },
    {
      name: 'embargoed rendition',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.embargoedDocument}/rendition` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [EMBARGOED.fileBytes],
    },
  ],
  'POST /api/documents/{id}/reprocess': [
    {
      name: 'reprocess private document',
      request: (_caller, f) => ({ method: 'POST', url: `/api/documents/${f.privateDocument}/reprocess` }),
      expected: { anonymous: 401, outletA: 202, outletB: 404, editor: 202 },
    },
  ],
  'GET /api/search': [
    {
      name: 'words all orders share',
      request: get(`/api/search?q=${SHARED_WORD}&pages_per_hit=3`),
      expected: { anonymous: 200 },
      seenByOwner: [PRIVATE.reference, EMBARGOED.reference],
      outsiderCheck: (response) => {
        expect(response.json().total).toBe(1);
        expect(response.json().facets.status).toEqual({ received: 1 });
      },
    },
    {
      name: 'a hidden reference number',
      request: get(`/api/search?q=${PRIVATE.reference}`),
      expected: { anonymous: 200 },
      outsiderCheck: (response) => expect(response.json().total).toBe(0),
    },
    {
      name: 'a hidden target’s address',
      request: get(`/api/search?url=${encodeURIComponent(EMBARGOED.url)}`),
      expected: { anonymous: 200 },
      outsiderCheck: (response) => {
        expect(response.json().total).toBe(0);
        expect(response.json().url_match.match).toBe('none');
      },
    },
  ],
  'GET /api/search/pages': [
    {
      name: 'document words',
      request: get(`/api/search/pages?q=${SHARED_WORD}`),
      expected: { anonymous: 200 },
      seenByOwner: [PRIVATE.documentText, EMBARGOED.documentText],
      outsiderCheck: (response) => expect(response.json().total).toBe(0),
    },
  ],
  'GET /api/search.atom': [
    { name: 'feed', request: get(`/api/search.atom?q=${SHARED_WORD}`), expected: { anonymous: 200 } },
  ],
  'GET /api/orders/{id}/precedents': [
    {
      name: 'precedents of the public order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.publicOrder}/precedents` }),
      expected: { anonymous: 200 },
      seenByOwner: [PRIVATE.reference, EMBARGOED.reference],
      outsiderCheck: (response, f) =>
        expect(response.json().precedents.map((order: { id: string }) => order.id)).not.toEqual(
          expect.arrayContaining([expect.stringMatching(`^(${f.privateOrder}|${f.embargoedOrder})$`)]),
        ),
    },
    {
      name: 'precedents of the private order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.privateOrder}/precedents` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
    },
  ],
};

function multipartForm(filename: string, content: string) {
  const body = multipartBody([{ name: 'order', filename, content, contentType: 'text/plain' }]);
  return { payload: body.payload, headers: body.headers };
}

/** The status `caller` must get from a route with this access rule (see Expected). */
function expectedStatus(kase: Case, caller: CallerName, write: boolean, access: RouteAccess): number {
  if (caller === 'revoked' || caller === 'malformed' || caller === 'disabled') return 401;
  const given = kase.expected[caller];
  if (given !== undefined) return given;
  const like = (other: CallerName) => expectedStatus(kase, other, write, access);
  switch (caller) {
    case 'anonymous':
      return write ? 401 : 200;
    case 'disabledCookie':
      return like('anonymous');
    case 'outletA':
    case 'outletB':
    case 'editor':
      return kase.expected.anonymous ?? 200;
    case 'editorUser':
      return like('editor');
    case 'memberA':
    case 'memberAB':
      return like('outletA');
    case 'adminA':
      return access === 'admin' ? like('editor') : like('outletA');
    case 'researcher':
    case 'expiredResearcher':
      if (access === 'anyone') return like('anonymous');
      return access === 'signedIn' ? like('outletB') : 403;
    case 'cookieA':
      return write ? 403 : like('memberA');
    case 'cookieEditor':
      return write ? 403 : like('editorUser');
    case 'sessionA':
      return like('memberA');
    case 'readOnlyA':
      return write && access !== 'anyone' ? 403 : like('memberA');
  }
}

/** The error code a refusal must carry, where the caller alone decides it. */
function expectedCode(caller: CallerName, status: number, write: boolean, access: RouteAccess) {
  if (status === 401) return 'unauthorized';
  if (status !== 403) return undefined;
  // The route's rule is checked before the CSRF token: A's member is refused by it on editors' and
  // admins' routes; an editor's session passes every route's rule, so it proves CSRF on every write.
  if (caller === 'cookieEditor' && write) return 'csrf_invalid';
  if (caller === 'cookieA' && write) {
    return access === 'editor' || access === 'admin' ? 'forbidden' : 'csrf_invalid';
  }
  if (caller === 'researcher' || caller === 'expiredResearcher' || caller === 'readOnlyA') return 'forbidden';
  return undefined;
}

/** The access rule of each operation ("METHOD /path"), read from the "Who may call" its description ends with. */
function accessOfRoutes(spec: { paths: Record<string, Record<string, { description?: string }>> }) {
  const rules = Object.entries(ACCESS_DESCRIPTIONS) as [RouteAccess, string][];
  const access: Record<string, RouteAccess> = {};
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const found = rules.find(([, who]) => operation.description?.includes(`Who may call: ${who}.`));
      if (found) access[`${method.toUpperCase()} ${path}`] = found[0];
    }
  }
  return access;
}

/** Counts for the summary printed at the end. */
const tally = { cells: 0, leakChecked: 0, leaks: 0, wrongStatuses: 0, routes: new Set<string>() };

describe('authorization matrix', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  const headersOf = {} as Record<CallerName, Record<string, string>>;
  const fixture = {} as Fixture;
  /** Sessions whose cookie is sent without its CSRF token: nothing may be recorded in their name. */
  const sessionsWithoutCsrf: number[] = [];
  let accessOf: Record<string, RouteAccess> = {};

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    const { app } = harness;
    const alpha = await createOutletWithToken(app, 'alpha-matrix', ['alpha-matrix.example']);
    const beta = await createOutletWithToken(app, 'beta-matrix', ['beta-matrix.example']);
    const revoked = await createApiToken(harness.db, {
      name: 'revoked desk',
      role: 'outlet',
      outletId: alpha.outlet.id,
    });
    await harness.db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [revoked.id]);
    const inA = (role: 'admin' | 'member') => ({ outletId: alpha.outlet.id, role });
    const DAY = 24 * 3600_000;
    const editorUser = await createPerson(app, { email: 'editor@matrix.example', editor: true });
    const adminA = await createPerson(app, {
      email: 'admin@alpha-matrix.example',
      memberships: [inA('admin')],
    });
    const memberA = await createPerson(app, {
      email: 'member@alpha-matrix.example',
      memberships: [inA('member')],
    });
    const memberAB = await createPerson(app, {
      email: 'both@matrix.example',
      memberships: [inA('member'), { outletId: beta.outlet.id, role: 'member' }],
    });
    const researcher = await createPerson(app, {
      email: 'researcher@matrix.example',
      researcherUntil: new Date(Date.now() + 30 * DAY),
    });
    const expiredResearcher = await createPerson(app, {
      email: 'expired@matrix.example',
      researcherUntil: new Date(Date.now() - DAY),
    });
    // An admin of A once: disabling must take away everything the memberships gave.
    const disabled = await createPerson(app, {
      email: 'disabled@alpha-matrix.example',
      memberships: [inA('admin')],
    });
    await harness.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.userId]);
    sessionsWithoutCsrf.push(memberA.sessionId, editorUser.sessionId, disabled.sessionId);
    // Another session of A's member, sent with its CSRF token as a browser's page would.
    const session = await startSession(app.db, { userId: memberA.userId, lifetimeHours: 1 });
    const readOnly = await createApiToken(app.db, {
      name: 'read-only',
      role: 'user',
      userId: memberA.userId,
      readOnly: true,
    });
    Object.assign(headersOf, {
      anonymous: {},
      revoked: bearer(revoked.token),
      malformed: { authorization: `Token ${ADMIN_TOKEN}` },
      outletA: alpha.headers,
      outletB: beta.headers,
      editor,
      editorUser: editorUser.headers,
      adminA: adminA.headers,
      memberA: memberA.headers,
      memberAB: memberAB.headers,
      researcher: researcher.headers,
      expiredResearcher: expiredResearcher.headers,
      disabled: disabled.headers,
      disabledCookie: { cookie: disabled.cookie },
      cookieA: { cookie: memberA.cookie },
      cookieEditor: { cookie: editorUser.cookie },
      sessionA: {
        cookie: `${SESSION_COOKIE}=${session.secret}`,
        'x-csrf-token': csrfTokens().create(csrfSecretOf(session.secret)),
      },
      readOnlyA: bearer(readOnly.token),
    } satisfies Record<CallerName, Record<string, string>>);
    fixture.alphaSlug = alpha.outlet.slug;
    fixture.betaSlug = beta.outlet.slug;
    fixture.authority = (await authorityByAlias(app, 'Роскомнадзор')).slug;
    const common = {
      authority: fixture.authority,
      legal_basis: ['RU/149-FZ/15.3'],
      demanded_actions: ['remove'],
      issued_on: '2024-03-01',
    };
    const fileHidden = async (order: typeof PRIVATE, visibility: object) => {
      const { id } = await fileOrder(app, alpha.headers, {
        ...common,
        ...visibility,
        summary: order.summary,
        reference_number: order.reference,
        targets: [{ url: order.url, title: order.title }],
      });
      const [document] = await uploadFiles(app, alpha.headers, id, [
        {
          name: 'order',
          filename: order.filename,
          contentType: 'text/plain',
          content: `${order.documentText} ${SHARED_WORD} ${order.fileBytes}`,
        },
      ]);
      return { id, document: document!.id };
    };
    const privateOrder = await fileHidden(PRIVATE, { visibility: 'private' });
    const embargoedOrder = await fileHidden(EMBARGOED, {
      visibility: 'embargoed',
      embargo_until: '2999-01-01T00:00:00Z',
    });
    fixture.privateOrder = privateOrder.id;
    fixture.privateDocument = privateOrder.document;
    fixture.embargoedOrder = embargoedOrder.id;
    fixture.embargoedDocument = embargoedOrder.document;
    // Redacted renditions (issue #16): the hidden documents are text files, so their "renditions" are
    // their own bytes, named by hand: the matrix asks who gets a rendition, not how one is made.
    await harness.db.query(
      `UPDATE documents SET rendition_status = 'made', rendition_sha256 = sha256, rendition_input_sha256 = sha256
        WHERE id = ANY($1::bigint[])`,
      [[privateOrder.document, embargoedOrder.document]],
    );
    fixture.publicOrder = (
      await fileOrder(app, alpha.headers, {
        ...common,
        visibility: 'public',
        summary: `A public demand, ${SHARED_WORD}`,
        targets: [{ url: 'https://alpha-matrix.example/news/public.html', title: 'A public article' }],
      })
    ).id;
    fixture.betaOrder = (
      await fileOrder(app, beta.headers, {
        authority: fixture.authority,
        visibility: 'private',
        summary: BETA.summary,
        reference_number: BETA.reference,
      })
    ).id;
    const articleOf = async (id: string) =>
      (await app.inject({ method: 'GET', url: `/api/orders/${id}`, headers: editor })).json().targets[0]
        .article.id as number;
    fixture.privateArticle = await articleOf(fixture.privateOrder);
    fixture.publicArticle = await articleOf(fixture.publicOrder);
    accessOf = accessOfRoutes(harness.app.swagger() as Parameters<typeof accessOfRoutes>[0]);
    await waitUntilSearchable(harness);
  }, 180_000);
  afterAll(async () => {
    await harness?.close();
    if (tally.cells > 0) {
      console.log(
        `authorization matrix: ${tally.routes.size} routes × ${CALLERS.length} callers, ` +
          `${tally.cells} cells checked (${tally.leakChecked} as outsiders): ` +
          `leaks ${tally.leaks}, wrong statuses ${tally.wrongStatuses}`,
      );
    }
  });

  it('has cases for exactly the routes of the OpenAPI description, each with its access rule', () => {
    const spec = harness.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(15);
    const unknown = routes.filter((route) => !CASES[route]?.length);
    expect(unknown, 'routes the authorization matrix does not know how to call').toEqual([]);
    const stale = Object.keys(CASES).filter((route) => !routes.includes(route));
    expect(stale, 'cases for routes that no longer exist').toEqual([]);
    const undeclared = routes.filter((route) => accessOf[route] === undefined);
    expect(undeclared, 'routes whose description does not say who may call them').toEqual([]);
  });

  for (const [route, cases] of Object.entries(CASES)) {
    for (const kase of cases) {
      it(`${route} (${kase.name}): each caller’s status, and no hidden marker for outsiders`, async () => {
        const method = route.split(' ')[0]!;
        const write = !['GET', 'HEAD', 'OPTIONS'].includes(method);
        const access = accessOf[route]!;
        // Uploads and reprocessing earlier in the matrix: search answers once they are indexed.
        if (/search|precedents/.test(route)) await waitUntilSearchable(harness);
        // Every wrong cell of the row is gathered, so one run names them all.
        const problems: string[] = [];
        tally.routes.add(route);
        for (const caller of CALLERS) {
          const options = kase.request(caller, fixture);
          const request = { ...options, headers: { ...options.headers, ...headersOf[caller] } };
          const response = await harness.app.inject(request);
          const where = `${route} (${kase.name}) as ${caller}`;
          tally.cells += 1;
          const status = expectedStatus(kase, caller, write, access);
          const code = expectedCode(caller, status, write, access);
          const body = response.body.slice(0, 300);
          if (response.statusCode !== status) {
            tally.wrongStatuses += 1;
            problems.push(`${where}: status ${response.statusCode}, expected ${status}: ${body}`);
          } else if (response.statusCode >= 400) {
            const answer = response.json() as { code?: unknown; message?: unknown };
            if (typeof answer.message !== 'string') problems.push(`${where}: no message: ${body}`);
            if (code !== undefined && answer.code !== code) {
              tally.wrongStatuses += 1;
              problems.push(`${where}: code ${String(answer.code)}, expected ${code}`);
            }
          }
          if (write && COOKIES_WITHOUT_CSRF.includes(caller)) {
            const { rows } = await harness.db.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM audit_log WHERE session_id = ANY($1::bigint[])',
              [sessionsWithoutCsrf],
            );
            if (rows[0]!.n !== 0) problems.push(`${where}: a change was recorded in the session’s name`);
          }
          const answer = `${JSON.stringify(response.headers)}\n${response.body}`.toLowerCase();
          const asked =
            `${decodeURIComponent(String(request.url))}\n${JSON.stringify(request.payload ?? '')}`.toLowerCase();
          const leakedOf = (markers: string[]) =>
            markers.filter(
              (marker) => answer.includes(marker.toLowerCase()) && !asked.includes(marker.toLowerCase()),
            );
          const leaked = [
            ...(OUTSIDERS.includes(caller) ? leakedOf(MARKERS) : []),
            ...(OUTSIDERS_OF_B.includes(caller) ? leakedOf(MARKERS_OF_B) : []),
          ];
          if (OUTSIDERS.includes(caller)) tally.leakChecked += 1;
          if (leaked.length > 0) {
            tally.leaks += leaked.length;
            problems.push(`${where} leaks ${leaked.join(', ')}`);
          }
          if (OUTSIDERS.includes(caller) && response.statusCode === 200 && kase.outsiderCheck) {
            try {
              kase.outsiderCheck(response, fixture);
            } catch (error) {
              tally.leaks += 1;
              problems.push(`${where}: ${(error as Error).message}`);
            }
          }
          if (response.statusCode < 300) {
            const shouldSee = [
              ...(INSIDERS_OF_A.includes(caller) ? (kase.seenByOwner ?? []) : []),
              ...(INSIDERS_OF_B.includes(caller) ? (kase.seenByOwnerOfB ?? []) : []),
            ];
            for (const marker of shouldSee) {
              if (!answer.includes(marker.toLowerCase())) problems.push(`${where} should show ${marker}`);
            }
          }
        }
        expect(problems).toEqual([]);
      });
    }
  }
});
