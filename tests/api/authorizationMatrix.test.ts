// The authorization matrix: every route in the OpenAPI description × every kind of caller (anonymous,
// a revoked token, a malformed Authorization header, outlet A, outlet B, an editor). Each cell asserts the
// status, and that nothing of outlet A's private and embargoed orders (summary, reference number, target
// URL and title, document text, filename, file bytes) reaches outlet B or a caller without a valid token
// through any answer: lists, totals, facets, search hits, page search, feeds, precedents, articles, files.
// A route without cases here fails the test with its name, so a new route cannot go unchecked.
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
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';
import { uploadFiles, waitUntilSearchable } from '../search/searchTestHelpers.ts';

const CALLERS = ['anonymous', 'revoked', 'malformed', 'outletA', 'outletB', 'editor'] as const;
type CallerName = (typeof CALLERS)[number];
/** Callers that must never see a trace of A's hidden orders. */
const OUTSIDERS: CallerName[] = ['anonymous', 'revoked', 'malformed', 'outletB'];

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
  privateOrder: string;
  embargoedOrder: string;
  publicOrder: string;
  betaOrder: string;
  privateArticle: number;
  publicArticle: number;
  privateDocument: number;
  embargoedDocument: number;
}

type Expected = number | Partial<Record<CallerName, number>>;

interface Case {
  /** What this case asks, for messages. */
  name: string;
  request: (caller: CallerName, fixture: Fixture) => InjectOptions;
  /**
   * Statuses of outlet A, outlet B and the editor (anonymous: as given, else 401 for writes and 200 for
   * reads; revoked and malformed: always 401). A number is everyone's with a valid token.
   */
  expected: Expected & object;
  /** Markers that outlet A and the editor do get here: proof that the leak check can see them. */
  seenByOwner?: string[];
  /** Further checks of an outsider's answer (e.g. a total of 0 where the request names a marker). */
  outsiderCheck?: (response: LightMyRequestResponse, fixture: Fixture) => void;
}

const get = (url: string) => () => ({ method: 'GET' as const, url });

/** Every operation of the OpenAPI description, keyed "METHOD /path/{param}". */
const CASES: Record<string, Case[]> = {
  'GET /health': [{ name: 'health', request: get('/health'), expected: { anonymous: 200 } }],
  'GET /api/orders': [
    { name: 'list', request: get('/api/orders?limit=100'), expected: { anonymous: 200 } },
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
      expected: { outletA: 201, outletB: 201, editor: 201 },
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
        // The editor may see everything: it links the public article, so no hidden one becomes B's.
        payload: { article_id: caller === 'editor' ? f.publicArticle : f.privateArticle },
      }),
      expected: { anonymous: 401, outletA: 404, outletB: 400, editor: 201 },
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
      expected: { anonymous: 401, outletA: 201, outletB: 201, editor: 201 },
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

/** The status `caller` must get. */
function expectedStatus(kase: Case, caller: CallerName, method: string): number {
  if (caller === 'revoked' || caller === 'malformed') return 401;
  const expected = kase.expected as Partial<Record<CallerName, number>>;
  if (caller === 'anonymous') return expected.anonymous ?? (method === 'GET' ? 200 : 401);
  return expected[caller] ?? expected.anonymous ?? 200;
}

describe('authorization matrix', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  const headersOf = {} as Record<CallerName, Record<string, string>>;
  const fixture = {} as Fixture;

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
    Object.assign(headersOf, {
      anonymous: {},
      revoked: bearer(revoked.token),
      malformed: { authorization: `Token ${ADMIN_TOKEN}` },
      outletA: alpha.headers,
      outletB: beta.headers,
      editor,
    });
    fixture.alphaSlug = alpha.outlet.slug;
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
    fixture.publicOrder = (
      await fileOrder(app, alpha.headers, {
        ...common,
        visibility: 'public',
        summary: `A public demand, ${SHARED_WORD}`,
        targets: [{ url: 'https://alpha-matrix.example/news/public.html', title: 'A public article' }],
      })
    ).id;
    fixture.betaOrder = (
      await fileOrder(app, beta.headers, { authority: fixture.authority, visibility: 'private' })
    ).id;
    const articleOf = async (id: string) =>
      (await app.inject({ method: 'GET', url: `/api/orders/${id}`, headers: editor })).json().targets[0]
        .article.id as number;
    fixture.privateArticle = await articleOf(fixture.privateOrder);
    fixture.publicArticle = await articleOf(fixture.publicOrder);
    await waitUntilSearchable(harness);
  }, 180_000);
  afterAll(() => harness?.close());

  it('has cases for exactly the routes of the OpenAPI description', () => {
    const spec = harness.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(15);
    const unknown = routes.filter((route) => !CASES[route]?.length);
    expect(unknown, 'routes the authorization matrix does not know how to call').toEqual([]);
    const stale = Object.keys(CASES).filter((route) => !routes.includes(route));
    expect(stale, 'cases for routes that no longer exist').toEqual([]);
  });

  for (const [route, cases] of Object.entries(CASES)) {
    for (const kase of cases) {
      it(`${route} (${kase.name}): each caller’s status, and no hidden marker for outsiders`, async () => {
        const method = route.split(' ')[0]!;
        // Uploads and reprocessing earlier in the matrix: search answers once they are indexed.
        if (/search|precedents/.test(route)) await waitUntilSearchable(harness);
        for (const caller of CALLERS) {
          const options = kase.request(caller, fixture);
          const request = { ...options, headers: { ...options.headers, ...headersOf[caller] } };
          const response = await harness.app.inject(request);
          const where = `${route} (${kase.name}) as ${caller}`;
          expect(response.statusCode, `${where}: ${response.body.slice(0, 300)}`).toBe(
            expectedStatus(kase, caller, method),
          );
          if (response.statusCode >= 400) {
            expect(response.json().message, where).toEqual(expect.any(String));
          }
          const answer = `${JSON.stringify(response.headers)}\n${response.body}`.toLowerCase();
          const asked =
            `${decodeURIComponent(String(request.url))}\n${JSON.stringify(request.payload ?? '')}`.toLowerCase();
          if (OUTSIDERS.includes(caller)) {
            const leaked = MARKERS.filter(
              (marker) => answer.includes(marker.toLowerCase()) && !asked.includes(marker.toLowerCase()),
            );
            expect(leaked, `${where} leaks`).toEqual([]);
            if (response.statusCode === 200) kase.outsiderCheck?.(response, fixture);
          } else if (caller === 'outletA' || caller === 'editor') {
            for (const marker of kase.seenByOwner ?? []) {
              expect(answer, `${where} should show ${marker}`).toContain(marker.toLowerCase());
            }
          }
        }
      });
    }
  }
});
