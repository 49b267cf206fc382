// The authorization matrix: every route in the OpenAPI description × every kind of caller: anonymous, a
// revoked token, a malformed Authorization header, outlet A's and outlet B's tokens, an editor (ADMIN_TOKEN),
// and people: an editor, outlet A's admin and member, a member of A and B, a researcher and an expired one,
// a disabled user (token and session cookie), sessions of A's member and of the editor sent without their
// CSRF token, a session of A's member with it, and a read-only token of A's member. Each cell asserts the
// status (one the route's OpenAPI description lists), and that nothing of outlet A's private and embargoed
// orders (summary, reference number, target URL and title, document text, filename, file bytes, the
// history of A's orders), nor of outlet B's private order, reaches a caller outside that outlet through any
// answer: lists, totals, facets, search hits, page search, feeds, precedents, articles, files, histories.
// Nor does anything of people reach those who may not see it: A's pending invitation and A's own tokens
// reach only editors and A's admin, B's invitations and other people's e-mails and sessions only editors
// (and the person), and no secret (a token, a session cookie, a one-time link, their hashes, a password
// hash) appears in any answer but the one that makes it. A cookie write without its CSRF token must change
// nothing. A case that signs out, ends a session, changes a password or revokes a token acts on throw-away
// records (and twins of the callers) made for it, so the callers' own credentials last the whole matrix.
// A route without cases here fails the test with its name, so a new route cannot go unchecked.
import csrfTokens from '@fastify/csrf';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
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
import { ACCESS_DESCRIPTIONS, operatorCaller, type RouteAccess } from '../../server/auth/caller.ts';
import { hashSecret } from '../../server/auth/secrets.ts';
import { csrfSecretOf, SESSION_COOKIE, startSession } from '../../server/auth/sessions.ts';
import { createInvitation } from '../../server/commands/invitations.ts';
import { createPasswordReset, requestLinkByMail } from '../../server/commands/passwordResets.ts';
import { createUser, setMembership, type MembershipRole } from '../../server/commands/userAccounts.ts';
import { createPerson, withCsrf } from '../support/accounts.ts';
import { signInRequest } from '../support/browserSession.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';
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
/** Callers that must never see a trace of A's hidden orders (for B's, and people's, see RESTRICTED). */
const OUTSIDERS = CALLERS.filter((caller) => !INSIDERS_OF_A.includes(caller));
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
/** What the private document's redaction hides: only those who read it unredacted may see it. */
const REDACTED_MARKER = 'zqprivdoctext4471';
const EMBARGOED = hidden('zqemb');
const BETA = { summary: 'zqbeta summary marker', reference: 'ZQBETA-REF-4471' };
const MARKERS_OF_B = [BETA.summary, BETA.reference];
/** The public order's summary before A's admin changed it: only A's insiders read it, in its history. */
const PUBLIC_OLD_SUMMARY = 'zqoldsummary4471';
/** Outlet A's token and A's admin, as the full history of A's orders names who made each change. */
const TOKEN_OF_A = 'alpha-matrix desk';
const ADMIN_OF_A = 'Zqadmin Alpha4471';
const MARKERS = [
  ...[PRIVATE, EMBARGOED].flatMap((order) => [
    order.summary.split(',')[0]!,
    order.reference,
    order.url.replace(/^https:\/\//, ''),
    `${order.title}`,
    order.filename,
    order.documentText,
    order.fileBytes,
  ]),
  PUBLIC_OLD_SUMMARY,
  TOKEN_OF_A,
  ADMIN_OF_A,
];

// People: who may read what of them.
/** Editors: ADMIN_TOKEN, an editor's token and an editor's session. */
const EDITORS: CallerName[] = ['editor', 'editorUser', 'cookieEditor'];
/** Who sees outlet A's people, invitations and tokens: editors and A's admin. */
const PEOPLE_OF_A: CallerName[] = [...EDITORS, 'adminA'];
/** A's member themself: their token, their two sessions and their read-only token. */
const MEMBER_A_ITSELF: CallerName[] = ['memberA', 'cookieA', 'sessionA', 'readOnlyA'];
const MEMBER_A_EMAIL = 'member@alpha-matrix.example';
/** Pending invitations: to outlet A, to outlet B, and as a researcher (to the whole archive). */
const INVITED_TO_A = 'zqinvited-a-4471@alpha-matrix.example';
const INVITED_TO_B = 'zqinvited-b-4471@beta-matrix.example';
const INVITED_AS_RESEARCHER = 'zqinvited-r-4471@matrix.example';
/** Another token of outlet A, for its automation: never used, only listed. */
const AUTOMATION_OF_A = 'zqautomation-a-4471';
/** The device of a session of A's admin: a person's sessions are theirs alone. */
const DEVICE_OF_ADMIN_A = 'zqdevice-4471 admin laptop';
/** A person who calls nothing: only editors read their account. */
const BYSTANDER = 'zqbystander-4471@matrix.example';

/** Every hidden marker with the callers that may read it: nobody else may get it in any answer. */
const RESTRICTED: { markers: string[]; readers: CallerName[] }[] = [
  { markers: MARKERS, readers: INSIDERS_OF_A },
  { markers: MARKERS_OF_B, readers: INSIDERS_OF_B },
  { markers: [INVITED_TO_A, AUTOMATION_OF_A, DEVICE_OF_ADMIN_A], readers: PEOPLE_OF_A },
  { markers: [MEMBER_A_EMAIL], readers: [...PEOPLE_OF_A, ...MEMBER_A_ITSELF] },
  { markers: [INVITED_TO_B, INVITED_AS_RESEARCHER, BYSTANDER], readers: EDITORS },
];
/** Who may read a marker (an unlisted one is outlet A's). */
const readersOf = (marker: string) =>
  RESTRICTED.find((group) => group.markers.includes(marker))?.readers ?? INSIDERS_OF_A;
/** A secret as it is handed over once (an API token, a session cookie, a one-time link), lower-cased. */
const NEW_SECRET = /\b(?:ta|tas|tal)_[a-z0-9_-]{43}/g;
/** A password hash: never in any answer. */
const PASSWORD_HASH = '$argon2';

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
  /** An archive's proposal on the private document (hiding REDACTED_MARKER), decided, so a reprocess keeps it. */
  privateRedaction: number;
  embargoedDocument: number;
  alphaId: number;
  betaId: number;
  /** The user each person among the callers is (for a session or a read-only token, its person). */
  userOf: Partial<Record<CallerName, number>>;
  /** A person who calls nothing (BYSTANDER), and a session of theirs. */
  bystander: number;
  bystanderSession: number;
  /** Every secret of the set-up (tokens, session cookies, one-time links) and its sha256. */
  secrets: string[];
  // --- redaction-finish ---
  /** A PDF of the public order: its page images are for those who read it unredacted only. */
  publicPdf: number;
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
 *   on routes about one's own account (for a person), every person (adminA, memberA, memberAB and the
 *     researchers) as editorUser, whom such a case names, as it names the tokens of no person;
 *   cookieA, cookieEditor (sessions without their CSRF token): reads as memberA and editorUser, writes 403;
 *   sessionA (A's member's session with its CSRF token): as memberA;
 *   readOnlyA (a read-only token of A's member): writes 403 except on routes for anyone, reads as memberA.
 */
type Expected = Partial<Record<CallerName, number>>;

/** What a case's `before` made for one caller's request. */
interface Made {
  /** Credentials to call with instead of the caller's own: a throw-away twin (see twinOf). */
  headers?: Record<string, string>;
  /** The throw-away record the request acts on. */
  id?: number;
  /** What the request must send: a one-time link's secret, an e-mail, a password. */
  secret?: string;
  email?: string;
}

interface Case {
  /** What this case asks, for messages. */
  name: string;
  /**
   * Makes, just before each caller's request, what it acts on (a throw-away token, session, user, member
   * or invitation), so that no case spends the fixture or the callers' own credentials.
   */
  before?: (caller: CallerName, fixture: Fixture, app: FastifyInstance) => Promise<Made>;
  request: (caller: CallerName, fixture: Fixture, made: Made) => InjectOptions;
  /** Statuses by caller (see Expected for those a case does not name). */
  expected: Expected;
  /**
   * Markers their readers (see RESTRICTED: outlet A's insiders for A's orders) do get here (when answered
   * 2xx): proof that the leak check sees them.
   */
  seenByOwner?: string[];
  /** The same for outlet B's private order and B's insiders. */
  seenByOwnerOfB?: string[];
  /** Markers this very caller gets here when answered 2xx (their own e-mail, their own session's device). */
  seenByCaller?: (caller: CallerName) => string[];
  /** A 2xx answer hands over a new secret (a token, a one-time link, a session cookie) to whoever asked. */
  givesSecret?: boolean;
  /** Further checks of an outsider's answer (e.g. a total of 0 where the request names a marker). */
  outsiderCheck?: (response: LightMyRequestResponse, fixture: Fixture) => void;
}

const get = (url: string) => () => ({ method: 'GET' as const, url });

const SET_UP = operatorCaller('matrix set-up');
const DAY = 24 * 3600_000;
const PASSWORD = 'a matrix password 4471';
const NOT_THE_PASSWORD = 'not the password 4471';
const NEW_PASSWORD = 'a new matrix password 4471';
/** A one-time link no invitation or reset has. */
const UNKNOWN_LINK = `tal_${'Zq4471'.repeat(7)}x`;
let throwAways = 0;
/** An e-mail no other person of the matrix has. */
const throwAwayEmail = (label: string) => `throwaway-${++throwAways}-${label.toLowerCase()}@matrix.example`;

/** The rights of each person among the callers (a twin of one gets the same). */
function rightsOf(caller: CallerName, f: Fixture) {
  const inA = (role: MembershipRole) => ({ outletId: f.alphaId, role });
  switch (caller) {
    case 'editorUser':
      return { editor: true };
    case 'adminA':
      return { memberships: [inA('admin')] };
    case 'memberA':
    case 'sessionA':
      return { memberships: [inA('member')] };
    case 'memberAB':
      return { memberships: [inA('member'), { outletId: f.betaId, role: 'member' as const }] };
    case 'researcher':
      return { researcherUntil: new Date(Date.now() + 30 * DAY) };
    case 'expiredResearcher':
      return { researcherUntil: new Date(Date.now() - DAY) };
    default:
      return undefined;
  }
}

/**
 * A throw-away twin of `caller`, with the same rights, for a case that spends the credential it calls with
 * (signing out, changing the password, revoking its own token): a new person and their token (for sessionA,
 * their session with its CSRF token), or a new token of the same outlet. Undefined for the other callers:
 * refused before anything is spent (or nobody at all), they call with their own.
 */
async function twinOf(app: FastifyInstance, caller: CallerName, f: Fixture) {
  if (caller === 'outletA' || caller === 'outletB') {
    const outletId = caller === 'outletA' ? f.alphaId : f.betaId;
    const token = await createApiToken(app.db, { name: `twin of ${caller}`, role: 'outlet', outletId });
    return { headers: bearer(token.token), tokenId: token.id };
  }
  const rights = rightsOf(caller, f);
  if (!rights) return undefined;
  const person = await createPerson(app, { email: throwAwayEmail(caller), ...rights });
  const headers = caller === 'sessionA' ? withCsrf(person.cookie) : person.headers;
  return { headers, userId: person.userId, password: person.password };
}

/** A throw-away user (with a password only when given) for a case to change, disable, remove or sign in as. */
async function throwAwayUser(
  app: FastifyInstance,
  label: string,
  options: { password?: string; memberOf?: { outletId: number; role: MembershipRole } } = {},
) {
  const email = throwAwayEmail(label);
  const id = await createUser(app.db, SET_UP, {
    email,
    displayName: 'Throw-away',
    password: options.password,
  });
  if (options.memberOf) await setMembership(app.db, SET_UP, { userId: id, ...options.memberOf });
  return { id, email };
}

/** A throw-away pending invitation as a member of the outlet. */
const throwAwayInvitation = (app: FastifyInstance, label: string, outlet: string) =>
  createInvitation(app.db, {
    caller: SET_UP,
    invitation: { email: throwAwayEmail(label), role: 'member', outlet, expires_in_hours: 24 },
  });

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
  // --- redaction-finish ---
  // Page images of the original, for reviewers: a public order's PDF, yet only for those who read it
  // unredacted (its outlet and editors; researchers only where the outlet allowed it).
  'GET /api/documents/{id}/pages/{n}/image': [
    {
      name: 'a public PDF’s page',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.publicPdf}/pages/1/image` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
    },
  ],
  // --- end redaction-finish ---
  // --- field-redactions ---
  // Redactions of what the outlet typed on the order itself: read and added like a document's.
  'GET /api/orders/{id}/redactions': [
    {
      name: 'a private order’s own redactions',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.privateOrder}/redactions` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
    },
  ],
  'POST /api/orders/{id}/redactions': [
    {
      name: 'hide a span of a private order’s summary',
      request: (_caller, f) => ({
        method: 'POST',
        url: `/api/orders/${f.privateOrder}/redactions`,
        payload: { field: 'summary', start: 0, end: 4, kind: 'other', reason: 'matrix' },
      }),
      expected: { anonymous: 401, outletA: 201, outletB: 404, editor: 201 },
    },
  ],
  // --- end field-redactions ---
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
  'GET /api/tokens': [
    {
      name: 'list',
      request: get('/api/tokens?limit=100'),
      // An outlet's token lists itself; a person their own; A's admin also A's tokens; editors all.
      expected: { anonymous: 401, outletA: 200, outletB: 200, editor: 200 },
      seenByOwner: [AUTOMATION_OF_A],
      seenByCaller: (caller) => (caller === 'outletA' ? [TOKEN_OF_A] : []),
    },
  ],
  'POST /api/tokens': [
    {
      name: 'one’s own',
      request: (caller) => ({
        method: 'POST',
        url: '/api/tokens',
        payload: { name: `matrix ${caller}`, owner: 'me' },
      }),
      // A person's, whoever they are; a token of no person has no rights of its own to hand on.
      expected: {
        anonymous: 401,
        outletA: 403,
        outletB: 403,
        editor: 403,
        editorUser: 201,
        adminA: 201,
        memberA: 201,
        memberAB: 201,
        researcher: 201,
        expiredResearcher: 201,
      },
      givesSecret: true,
    },
    {
      name: 'one’s own, for outlet B only',
      request: (caller, f) => ({
        method: 'POST',
        url: '/api/tokens',
        payload: { name: `matrix ${caller} for B`, owner: 'me', outlet: f.betaSlug },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 403, editorUser: 201, memberAB: 201 },
      givesSecret: true,
    },
    {
      name: 'outlet A’s own',
      request: (caller, f) => ({
        method: 'POST',
        url: '/api/tokens',
        payload: { name: `matrix ${caller} for A's robot`, owner: 'outlet', outlet: f.alphaSlug },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 201, adminA: 201 },
      givesSecret: true,
    },
  ],
  'DELETE /api/tokens/{id}': [
    {
      name: 'a token of outlet A',
      before: async (caller, f, app) => ({
        id: (
          await createApiToken(app.db, {
            name: `throw-away for ${caller}`,
            role: 'outlet',
            outletId: f.alphaId,
          })
        ).id,
      }),
      request: (_caller, _f, made) => ({ method: 'DELETE', url: `/api/tokens/${made.id}` }),
      expected: { anonymous: 401, outletA: 404, outletB: 404, editor: 204, adminA: 204 },
    },
    {
      name: 'one’s own (an outlet’s token: itself)',
      before: async (caller, f, app) => {
        const twin = caller === 'outletA' || caller === 'outletB' ? await twinOf(app, caller, f) : undefined;
        if (twin) return { headers: twin.headers, id: twin.tokenId };
        const userId = f.userOf[caller] ?? f.bystander;
        return {
          id: (await createApiToken(app.db, { name: `throw-away of ${caller}`, role: 'user', userId })).id,
        };
      },
      request: (_caller, _f, made) => ({ method: 'DELETE', url: `/api/tokens/${made.id}` }),
      expected: { anonymous: 401, outletA: 204, outletB: 204, editor: 204 },
    },
  ],
  'GET /api/orders/{id}/history': [
    {
      name: 'private order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.privateOrder}/history?limit=100` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [PRIVATE.reference, PRIVATE.filename, TOKEN_OF_A],
    },
    {
      name: 'embargoed order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.embargoedOrder}/history?limit=100` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [EMBARGOED.reference, EMBARGOED.filename],
    },
    {
      name: 'public order: its filing and publication only, without names, for outsiders',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.publicOrder}/history?limit=100` }),
      expected: { anonymous: 200 },
      seenByOwner: [PUBLIC_OLD_SUMMARY, ADMIN_OF_A, TOKEN_OF_A],
      outsiderCheck: (response) => {
        const items = response.json().items as { actor: { name: string }; changes: { field: string }[] }[];
        expect(items.map((item) => item.actor.name)).toEqual(['the outlet']);
        const fields = items.flatMap((item) => item.changes.map((change) => change.field));
        expect(fields.filter((field) => field !== 'visibility' && field !== 'embargo_until')).toEqual([]);
      },
    },
    {
      name: 'outlet B’s private order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.betaOrder}/history?limit=100` }),
      expected: { anonymous: 404, outletA: 404, outletB: 200, editor: 200, memberAB: 200 },
      seenByOwnerOfB: [BETA.reference],
    },
  ],
  'GET /api/audit': [
    {
      name: 'filings',
      request: get('/api/audit?action=order.create&limit=100'),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 200 },
      seenByOwner: [PRIVATE.reference, EMBARGOED.reference],
      seenByOwnerOfB: [BETA.reference],
    },
    {
      name: 'invitations',
      request: get('/api/audit?action=invitation.*&limit=100'),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 200 },
      seenByOwner: [INVITED_TO_A, INVITED_TO_B, INVITED_AS_RESEARCHER],
    },
  ],
  'GET /api/me': [
    {
      name: 'who am I',
      request: get('/api/me'),
      expected: { anonymous: 401, outletA: 200, outletB: 200, editor: 200 },
      seenByCaller: (caller) => (MEMBER_A_ITSELF.includes(caller) ? [MEMBER_A_EMAIL] : []),
    },
  ],
  'GET /api/users': [
    {
      name: 'list',
      request: get('/api/users?limit=100'),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 200 },
      seenByOwner: [MEMBER_A_EMAIL, BYSTANDER],
    },
  ],
  'GET /api/users/{id}': [
    {
      name: 'someone else',
      request: (_caller, f) => ({ method: 'GET', url: `/api/users/${f.bystander}` }),
      expected: { anonymous: 401, outletA: 404, outletB: 404, editor: 200 },
      seenByOwner: [BYSTANDER],
    },
    {
      name: 'oneself (a token of no person: someone else)',
      request: (caller, f) => ({ method: 'GET', url: `/api/users/${f.userOf[caller] ?? f.bystander}` }),
      expected: {
        anonymous: 401,
        outletA: 404,
        outletB: 404,
        editor: 200,
        adminA: 200,
        memberA: 200,
        memberAB: 200,
        researcher: 200,
        expiredResearcher: 200,
      },
      seenByCaller: (caller) => (MEMBER_A_ITSELF.includes(caller) ? [MEMBER_A_EMAIL] : []),
    },
  ],
  'PATCH /api/users/{id}': [
    {
      name: 'disable a throw-away user',
      before: async (caller, _f, app) => ({ id: (await throwAwayUser(app, caller)).id }),
      request: (_caller, _f, made) => ({
        method: 'PATCH',
        url: `/api/users/${made.id}`,
        payload: { disabled: true },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 200 },
    },
  ],
  'POST /api/users/{id}/password-reset': [
    {
      name: 'a link for someone',
      request: (_caller, f) => ({ method: 'POST', url: `/api/users/${f.bystander}/password-reset` }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 201 },
      givesSecret: true,
    },
  ],
  'GET /api/invitations': [
    {
      name: 'list',
      request: get('/api/invitations?limit=100'),
      // An editor sees all; A's admin only A's, never B's nor those to the whole archive.
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 200 },
      seenByOwner: [INVITED_TO_A, INVITED_TO_B, INVITED_AS_RESEARCHER],
    },
  ],
  'POST /api/invitations': [
    {
      name: 'a member of outlet A',
      request: (caller, f) => ({
        method: 'POST',
        url: '/api/invitations',
        payload: {
          email: `invited-a-${caller.toLowerCase()}@matrix.example`,
          role: 'member',
          outlet: f.alphaSlug,
        },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 201 },
      givesSecret: true,
    },
    {
      name: 'a member of outlet B',
      request: (caller, f) => ({
        method: 'POST',
        url: '/api/invitations',
        payload: {
          email: `invited-b-${caller.toLowerCase()}@matrix.example`,
          role: 'member',
          outlet: f.betaSlug,
        },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 201, adminA: 403 },
      givesSecret: true,
    },
    {
      name: 'an editor',
      request: (caller) => ({
        method: 'POST',
        url: '/api/invitations',
        payload: { email: `invited-editor-${caller.toLowerCase()}@matrix.example`, role: 'editor' },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 201, adminA: 403 },
      givesSecret: true,
    },
  ],
  'DELETE /api/invitations/{id}': [
    {
      name: 'a pending invitation to outlet A',
      before: async (caller, f, app) => ({ id: (await throwAwayInvitation(app, caller, f.alphaSlug)).id }),
      request: (_caller, _f, made) => ({ method: 'DELETE', url: `/api/invitations/${made.id}` }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 204 },
    },
    {
      name: 'a pending invitation to outlet B',
      before: async (caller, f, app) => ({ id: (await throwAwayInvitation(app, caller, f.betaSlug)).id }),
      request: (_caller, _f, made) => ({ method: 'DELETE', url: `/api/invitations/${made.id}` }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 204, adminA: 404 },
    },
  ],
  'POST /api/invitations/accept': [
    {
      name: 'an unknown link',
      request: () => ({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token: UNKNOWN_LINK, password: PASSWORD, display_name: 'Nobody' },
      }),
      expected: { anonymous: 410 },
    },
    {
      name: 'a pending invitation',
      before: async (caller, f, app) => ({
        secret: (await throwAwayInvitation(app, caller, f.betaSlug)).token,
      }),
      request: (_caller, _f, made) => ({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token: made.secret, password: PASSWORD, display_name: 'Invited' },
      }),
      expected: { anonymous: 201 },
    },
  ],
  'POST /api/password-resets': [
    {
      name: 'a known e-mail',
      request: () => ({ method: 'POST', url: '/api/password-resets', payload: { email: BYSTANDER } }),
      expected: { anonymous: 202 },
    },
    {
      name: 'an unknown e-mail',
      request: () => ({
        method: 'POST',
        url: '/api/password-resets',
        payload: { email: 'nobody-4471@matrix.example' },
      }),
      expected: { anonymous: 202 },
    },
  ],
  'POST /api/password-resets/complete': [
    {
      name: 'an unknown link',
      request: () => ({
        method: 'POST',
        url: '/api/password-resets/complete',
        payload: { token: UNKNOWN_LINK, password: NEW_PASSWORD },
      }),
      expected: { anonymous: 410 },
    },
    {
      name: 'a live link',
      before: async (caller, _f, app) => {
        const user = await throwAwayUser(app, caller);
        return {
          secret: (await createPasswordReset(app.db, SET_UP, { userId: user.id, expiresInHours: 1 })).token,
        };
      },
      request: (_caller, _f, made) => ({
        method: 'POST',
        url: '/api/password-resets/complete',
        payload: { token: made.secret, password: NEW_PASSWORD },
      }),
      expected: { anonymous: 204 },
    },
  ],
  // Sign-in links by mail: this app has no SMTP, so asking answers that it sends none; a link made at the
  // server (as the mail would carry it) signs in once, like a password.
  'POST /api/session/link': [
    {
      name: 'a known e-mail, without SMTP',
      request: () => ({ method: 'POST', url: '/api/session/link', payload: { email: BYSTANDER } }),
      expected: { anonymous: 202 },
    },
  ],
  'POST /api/session/link/complete': [
    {
      name: 'an unknown link',
      request: () => ({
        method: 'POST',
        url: '/api/session/link/complete',
        payload: { token: UNKNOWN_LINK },
      }),
      expected: { anonymous: 410 },
    },
    {
      name: 'a live link',
      before: async (caller, f, app) => {
        const user = await throwAwayUser(app, caller);
        const link = await requestLinkByMail(app.db, {
          purpose: 'sign_in',
          email: user.email,
          expiresInMinutes: 5,
        });
        return {
          secret: link!.token,
          headers: caller === 'sessionA' ? (await twinOf(app, caller, f))!.headers : undefined,
        };
      },
      request: (_caller, _f, made) => ({
        method: 'POST',
        url: '/api/session/link/complete',
        payload: { token: made.secret },
        headers: made.headers ?? {},
      }),
      expected: { anonymous: 201 },
      givesSecret: true,
    },
  ],
  'GET /api/outlets/{id}/members': [
    {
      name: 'outlet A’s',
      request: (_caller, f) => ({ method: 'GET', url: `/api/outlets/${f.alphaSlug}/members?limit=100` }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 200 },
      seenByOwner: [MEMBER_A_EMAIL],
    },
    {
      name: 'outlet B’s',
      request: (_caller, f) => ({ method: 'GET', url: `/api/outlets/${f.betaSlug}/members?limit=100` }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 200, adminA: 403 },
    },
  ],
  'PATCH /api/outlets/{id}/members/{userId}': [
    {
      name: 'make a member of outlet A its admin',
      before: async (caller, f, app) => ({
        id: (await throwAwayUser(app, caller, { memberOf: { outletId: f.alphaId, role: 'member' } })).id,
      }),
      request: (_caller, f, made) => ({
        method: 'PATCH',
        url: `/api/outlets/${f.alphaSlug}/members/${made.id}`,
        payload: { role: 'admin' },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 200 },
    },
    {
      name: 'make a member of outlet B its admin',
      before: async (caller, f, app) => ({
        id: (await throwAwayUser(app, caller, { memberOf: { outletId: f.betaId, role: 'member' } })).id,
      }),
      request: (_caller, f, made) => ({
        method: 'PATCH',
        url: `/api/outlets/${f.betaSlug}/members/${made.id}`,
        payload: { role: 'admin' },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 200, adminA: 403 },
    },
  ],
  'DELETE /api/outlets/{id}/members/{userId}': [
    {
      name: 'a member of outlet A',
      before: async (caller, f, app) => ({
        id: (await throwAwayUser(app, caller, { memberOf: { outletId: f.alphaId, role: 'member' } })).id,
      }),
      request: (_caller, f, made) => ({
        method: 'DELETE',
        url: `/api/outlets/${f.alphaSlug}/members/${made.id}`,
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 204 },
    },
    {
      name: 'a member of outlet B',
      before: async (caller, f, app) => ({
        id: (await throwAwayUser(app, caller, { memberOf: { outletId: f.betaId, role: 'member' } })).id,
      }),
      request: (_caller, f, made) => ({
        method: 'DELETE',
        url: `/api/outlets/${f.betaSlug}/members/${made.id}`,
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 204, adminA: 403 },
    },
  ],
  'POST /api/session': [
    {
      name: 'an unknown e-mail',
      request: () => signInRequest('nobody-4471@matrix.example', PASSWORD),
      expected: { anonymous: 401 },
    },
    {
      name: 'a wrong password',
      before: async (caller, _f, app) => ({
        email: (await throwAwayUser(app, caller, { password: PASSWORD })).email,
      }),
      request: (_caller, _f, made) => signInRequest(made.email!, NOT_THE_PASSWORD),
      expected: { anonymous: 401 },
    },
    {
      name: 'a disabled account’s right password',
      // As an unknown e-mail: the answer does not tell that the account exists.
      before: async (caller, _f, app) => {
        const user = await throwAwayUser(app, caller, { password: PASSWORD });
        await app.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [user.id]);
        return { email: user.email };
      },
      request: (_caller, _f, made) => signInRequest(made.email!, PASSWORD),
      expected: { anonymous: 401 },
    },
    {
      name: 'a locked account’s right password',
      before: async (caller, _f, app) => {
        const user = await throwAwayUser(app, caller, { password: PASSWORD });
        await app.db.query(`UPDATE users SET locked_until = now() + interval '1 hour' WHERE id = $1`, [
          user.id,
        ]);
        return { email: user.email };
      },
      request: (_caller, _f, made) => signInRequest(made.email!, PASSWORD),
      expected: { anonymous: 423 },
    },
    {
      name: 'the right password',
      // A browser signed in already ends that session: sessionA signs in from a twin's.
      before: async (caller, f, app) => ({
        email: (await throwAwayUser(app, caller, { password: PASSWORD })).email,
        headers: caller === 'sessionA' ? (await twinOf(app, caller, f))!.headers : undefined,
      }),
      request: (_caller, _f, made) => signInRequest(made.email!, PASSWORD),
      expected: { anonymous: 201 },
      givesSecret: true,
    },
  ],
  'GET /api/session': [
    {
      name: 'the session this browser is signed in with',
      request: get('/api/session'),
      // Only a session has one: a token's caller gets 404.
      expected: {
        anonymous: 401,
        outletA: 404,
        outletB: 404,
        editor: 404,
        cookieA: 200,
        cookieEditor: 200,
        sessionA: 200,
      },
      seenByCaller: (caller) => (caller === 'cookieA' || caller === 'sessionA' ? [MEMBER_A_EMAIL] : []),
    },
  ],
  'DELETE /api/session': [
    {
      name: 'sign out',
      before: async (caller, f, app) => ({
        headers: caller === 'sessionA' ? (await twinOf(app, caller, f))!.headers : undefined,
      }),
      request: () => ({ method: 'DELETE', url: '/api/session' }),
      expected: { anonymous: 401, outletA: 404, outletB: 404, editor: 404, sessionA: 204 },
    },
  ],
  'GET /api/me/sessions': [
    {
      name: 'one’s own',
      request: get('/api/me/sessions?limit=100'),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 403, editorUser: 200 },
      seenByCaller: (caller) => (caller === 'adminA' ? [DEVICE_OF_ADMIN_A] : []),
    },
  ],
  'DELETE /api/me/sessions/{id}': [
    {
      name: 'another of one’s own',
      before: async (caller, f, app) => ({
        id: (await startSession(app.db, { userId: f.userOf[caller] ?? f.bystander, lifetimeHours: 1 })).id,
      }),
      request: (_caller, _f, made) => ({ method: 'DELETE', url: `/api/me/sessions/${made.id}` }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 403, editorUser: 204 },
    },
    {
      name: 'someone else’s',
      request: (_caller, f) => ({ method: 'DELETE', url: `/api/me/sessions/${f.bystanderSession}` }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 403, editorUser: 404 },
    },
  ],
  'POST /api/me/password': [
    {
      name: 'the right current password',
      // Other sessions end: each person changes a twin's password.
      before: async (caller, f, app) => {
        const twin = await twinOf(app, caller, f);
        return { headers: twin?.headers, secret: twin?.password };
      },
      request: (_caller, _f, made) => ({
        method: 'POST',
        url: '/api/me/password',
        payload: { current_password: made.secret ?? NOT_THE_PASSWORD, new_password: NEW_PASSWORD },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 403, editorUser: 204 },
    },
    {
      name: 'a wrong current password',
      request: () => ({
        method: 'POST',
        url: '/api/me/password',
        payload: { current_password: NOT_THE_PASSWORD, new_password: NEW_PASSWORD },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 403, editorUser: 400 },
    },
    {
      name: 'a locked account',
      before: async (caller, f, app) => {
        const twin = await twinOf(app, caller, f);
        if (twin?.userId !== undefined)
          await app.db.query(`UPDATE users SET locked_until = now() + interval '1 hour' WHERE id = $1`, [
            twin.userId,
          ]);
        return { headers: twin?.headers, secret: twin?.password };
      },
      request: (_caller, _f, made) => ({
        method: 'POST',
        url: '/api/me/password',
        payload: { current_password: made.secret ?? NOT_THE_PASSWORD, new_password: NEW_PASSWORD },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 403, editorUser: 423 },
    },
  ],
  // ── Redactions (issue #16): who reads them, who decides, who marks an original publishable ──
  'GET /api/documents/{id}/redactions': [
    {
      name: 'a private document’s redactions',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.privateDocument}/redactions` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [REDACTED_MARKER],
    },
  ],
  'POST /api/documents/{id}/redactions': [
    {
      name: 'hide a span of a private document',
      request: (_caller, f) => ({
        method: 'POST',
        url: `/api/documents/${f.privateDocument}/redactions`,
        payload: { page: 1, start: 0, end: 6, kind: 'other', reason: 'matrix' },
      }),
      expected: { anonymous: 401, outletA: 201, outletB: 404, editor: 201 },
    },
  ],
  'PATCH /api/redactions/{id}': [
    {
      name: 'accept a proposal on a private document',
      request: (_caller, f) => ({
        method: 'PATCH',
        url: `/api/redactions/${f.privateRedaction}`,
        payload: { state: 'accepted' },
      }),
      expected: { anonymous: 401, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [REDACTED_MARKER],
    },
  ],
  'DELETE /api/redactions/{id}': [
    {
      // The archive's own proposal is rejected, never removed: 409 for those who decide, and it stays.
      name: 'remove a proposal on a private document',
      request: (_caller, f) => ({ method: 'DELETE', url: `/api/redactions/${f.privateRedaction}` }),
      expected: { anonymous: 401, outletA: 409, outletB: 404, editor: 409 },
    },
  ],
  'PATCH /api/documents/{id}': [
    {
      name: 'mark a private original publishable',
      request: (_caller, f) => ({
        method: 'PATCH',
        url: `/api/documents/${f.privateDocument}`,
        payload: { original_publishable: false },
      }),
      expected: { anonymous: 401, outletA: 403, outletB: 403, editor: 200 },
    },
  ],
  // --- proof-tools ---
  'GET /api/orders/{id}/citation': [
    {
      name: 'citation of the public order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.publicOrder}/citation?format=ris` }),
      expected: { anonymous: 200 },
    },
    {
      name: 'citation of the private order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.privateOrder}/citation` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [PRIVATE.reference],
    },
    {
      name: 'citation of outlet B’s private order',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.betaOrder}/citation?format=bibtex` }),
      expected: { anonymous: 404, outletA: 404, outletB: 200, editor: 200, memberAB: 200 },
      seenByOwnerOfB: [BETA.reference],
    },
  ],
  // --- end proof-tools ---
  // --- proof-log ---
  // The transparency log (issue #18): the log itself is public; a document's proof is as hidden as it.
  'GET /api/log/checkpoint': [
    { name: 'latest', request: get('/api/log/checkpoint'), expected: { anonymous: 200 } },
  ],
  'GET /api/log/key': [{ name: 'key', request: get('/api/log/key'), expected: { anonymous: 200 } }],
  'GET /api/log/consistency': [
    {
      name: 'from the empty tree to itself',
      request: get('/api/log/consistency?from=0&to=0'),
      expected: { anonymous: 200 },
    },
  ],
  'GET /api/log/checkpoints': [
    { name: 'list', request: get('/api/log/checkpoints?limit=10'), expected: { anonymous: 200 } },
  ],
  'GET /api/documents/{id}/proof': [
    {
      name: 'private document',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.privateDocument}/proof` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
    },
    {
      name: 'embargoed document',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.embargoedDocument}/proof` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
    },
  ],
  'GET /api/documents/{id}/proof.tlog': [
    {
      name: 'private document',
      request: (_caller, f) => ({ method: 'GET', url: `/api/documents/${f.privateDocument}/proof.tlog` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
    },
  ],
  // --- end proof-log ---
  // --- export-stats ---
  'GET /api/stats': [
    {
      // A's private and embargoed orders and its public one were all issued that day.
      name: 'counts of outlet A on the day its orders were issued',
      request: (_caller, f) =>
        get(
          `/api/stats?group=outlet,status&outlet=${f.alphaSlug}&issued_from=2024-03-01&issued_to=2024-03-01`,
        )(),
      expected: { anonymous: 200 },
      outsiderCheck: (response) => expect(response.json().total).toBeLessThanOrEqual(1),
    },
  ],
  'GET /api/export.jsonl': [
    {
      name: 'every order as JSON lines',
      request: get('/api/export.jsonl'),
      expected: { anonymous: 200 },
      seenByOwner: [PRIVATE.reference, EMBARGOED.reference, PRIVATE.filename],
      seenByOwnerOfB: [BETA.reference],
    },
  ],
  'GET /api/export.csv': [
    {
      name: 'every order as CSV',
      request: get('/api/export.csv'),
      expected: { anonymous: 200 },
      seenByOwner: [PRIVATE.reference, EMBARGOED.reference],
      seenByOwnerOfB: [BETA.reference],
    },
  ],
  'GET /api/orders/{id}/lumen.json': [
    {
      name: 'the public order as a Lumen notice',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.publicOrder}/lumen.json` }),
      expected: { anonymous: 200 },
    },
    {
      name: 'the private order as a Lumen notice',
      request: (_caller, f) => ({ method: 'GET', url: `/api/orders/${f.privateOrder}/lumen.json` }),
      expected: { anonymous: 404, outletA: 200, outletB: 404, editor: 200 },
      seenByOwner: [PRIVATE.reference],
    },
  ],
  // --- end export-stats ---
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
      return access === 'person' ? like('editorUser') : like('outletA');
    case 'adminA':
      if (access === 'person') return like('editorUser');
      return access === 'admin' ? like('editor') : like('outletA');
    case 'researcher':
    case 'expiredResearcher':
      if (access === 'anyone') return like('anonymous');
      if (access === 'person') return like('editorUser');
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

type OpenApi = { paths: Record<string, Record<string, { description?: string; responses?: object }>> };

/** The access rule of each operation ("METHOD /path"), read from the "Who may call" its description ends with. */
function accessOfRoutes(spec: OpenApi) {
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

/** The statuses each operation's OpenAPI description lists: a cell's status must be one of them. */
function statusesOfRoutes(spec: OpenApi) {
  return Object.fromEntries(
    Object.entries(spec.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => [
        `${method.toUpperCase()} ${path}`,
        Object.keys(operation.responses ?? {}),
      ]),
    ),
  );
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
  let statusesOf: Record<string, string[]> = {};

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
    fixture.alphaId = alpha.outlet.id;
    fixture.betaId = beta.outlet.id;
    const person = (email: string, caller: CallerName, displayName?: string) =>
      createPerson(app, { email, displayName, ...rightsOf(caller, fixture) });
    const editorUser = await person('editor@matrix.example', 'editorUser');
    const adminA = await person('admin@alpha-matrix.example', 'adminA', ADMIN_OF_A);
    const memberA = await person(MEMBER_A_EMAIL, 'memberA');
    const memberAB = await person('both@matrix.example', 'memberAB');
    const researcher = await person('researcher@matrix.example', 'researcher');
    const expiredResearcher = await person('expired@matrix.example', 'expiredResearcher');
    // An admin of A once: disabling must take away everything the memberships gave.
    const disabled = await createPerson(app, {
      email: 'disabled@alpha-matrix.example',
      memberships: [{ outletId: alpha.outlet.id, role: 'admin' }],
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
    fixture.userOf = {
      editorUser: editorUser.userId,
      cookieEditor: editorUser.userId,
      adminA: adminA.userId,
      memberA: memberA.userId,
      cookieA: memberA.userId,
      sessionA: memberA.userId,
      readOnlyA: memberA.userId,
      memberAB: memberAB.userId,
      researcher: researcher.userId,
      expiredResearcher: expiredResearcher.userId,
      disabled: disabled.userId,
      disabledCookie: disabled.userId,
    };
    // What people may not see of each other: A's other token, a session of A's admin on a device,
    // a person nobody else is, invitations to A, to B and to the whole archive.
    const automation = await createApiToken(app.db, {
      name: AUTOMATION_OF_A,
      role: 'outlet',
      outletId: alpha.outlet.id,
    });
    const adminDevice = await startSession(app.db, {
      userId: adminA.userId,
      userAgent: DEVICE_OF_ADMIN_A,
      lifetimeHours: 24,
    });
    const bystander = await createPerson(app, { email: BYSTANDER });
    fixture.bystander = bystander.userId;
    fixture.bystanderSession = bystander.sessionId;
    const invite = async (payload: object) => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: editor,
        payload,
      });
      if (response.statusCode !== 201) throw new Error(`inviting: ${response.body}`);
      return response.json().token as string;
    };
    const invitations = [
      await invite({ email: INVITED_TO_A, role: 'member', outlet: alpha.outlet.slug }),
      await invite({ email: INVITED_TO_B, role: 'admin', outlet: beta.outlet.slug }),
      await invite({ email: INVITED_AS_RESEARCHER, role: 'researcher' }),
    ];
    const secrets = [
      ...Object.values(headersOf).flatMap((headers) =>
        [headers.authorization, headers.cookie].flatMap((header) =>
          header ? [header.split(/[ =]/).pop()!] : [],
        ),
      ),
      automation.token,
      adminDevice.secret,
      bystander.headers.authorization!.split(' ').pop()!,
      bystander.cookie.split('=').pop()!,
      ...invitations,
    ];
    fixture.secrets = [...secrets, ...secrets.map(hashSecret)];
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
    await waitUntilSearchable(harness, 120_000, false);
    const { rows: proposal } = await harness.db.query<{ id: number }>(
      `INSERT INTO redactions (document_id, page, start_offset, end_offset, kind, redacted_text, source, state,
                               decided_by, decided_at)
       VALUES ($1, 1, 0, $2, 'other', $3, 'auto', 'rejected', 'matrix set-up', now()) RETURNING id`,
      [privateOrder.document, REDACTED_MARKER.length, REDACTED_MARKER],
    );
    fixture.privateRedaction = proposal[0]!.id;
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
        summary: `A public demand, ${PUBLIC_OLD_SUMMARY}, ${SHARED_WORD}`,
        targets: [{ url: 'https://alpha-matrix.example/news/public.html', title: 'A public article' }],
      })
    ).id;
    // A's admin rewrites its summary: the old one, and who changed it, stay in the history for A alone.
    const rewritten = await app.inject({
      method: 'PATCH',
      url: `/api/orders/${fixture.publicOrder}`,
      headers: { ...adminA.headers, 'if-match': '*' },
      payload: { summary: `A public demand, ${SHARED_WORD}` },
    });
    if (rewritten.statusCode !== 200) throw new Error(`rewriting the public order: ${rewritten.body}`);
    // --- redaction-finish ---
    const [publicPdf] = await uploadFiles(app, alpha.headers, fixture.publicOrder, [
      {
        name: 'evidence',
        filename: 'public-scan.pdf',
        contentType: 'application/pdf',
        content: await bornDigitalPdf(['A page of a public order']),
      },
    ]);
    fixture.publicPdf = publicPdf!.id;
    // --- end redaction-finish ---
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
    accessOf = accessOfRoutes(harness.app.swagger() as OpenApi);
    statusesOf = statusesOfRoutes(harness.app.swagger() as OpenApi);
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
          const made = kase.before ? await kase.before(caller, fixture, harness.app) : {};
          const options = kase.request(caller, fixture, made);
          const request = {
            ...options,
            headers: { ...options.headers, ...(made.headers ?? headersOf[caller]) },
          };
          const response = await harness.app.inject(request);
          const where = `${route} (${kase.name}) as ${caller}`;
          tally.cells += 1;
          const status = expectedStatus(kase, caller, write, access);

          const code = expectedCode(caller, status, write, access);
          const body = response.body.slice(0, 300);
          if (response.statusCode !== status) {
            tally.wrongStatuses += 1;
            problems.push(`${where}: status ${response.statusCode}, expected ${status}: ${body}`);
          } else if (!statusesOf[route]!.includes(String(status))) {
            tally.wrongStatuses += 1;
            problems.push(`${where}: status ${status} is not among the route's OpenAPI responses`);
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
          const secretGiven = kase.givesSecret === true && response.statusCode < 300;
          const leaked = [
            ...RESTRICTED.flatMap(({ markers, readers }) =>
              readers.includes(caller) ? [] : leakedOf(markers),
            ),
            ...leakedOf(fixture.secrets).map(() => 'a secret of the set-up'),
            ...(answer.includes(PASSWORD_HASH) ? ['a password hash'] : []),
            ...(secretGiven
              ? []
              : [...answer.matchAll(NEW_SECRET)].filter(([found]) => !asked.includes(found))
            ).map(() => 'a secret'),
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
              ...(kase.seenByOwner ?? []).filter((marker) => readersOf(marker).includes(caller)),
              ...(INSIDERS_OF_B.includes(caller) ? (kase.seenByOwnerOfB ?? []) : []),
              ...(kase.seenByCaller?.(caller) ?? []),
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
