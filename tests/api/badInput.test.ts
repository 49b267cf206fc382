// Bad input over every route, as one table: whatever a caller sends, the archive answers with a 4xx
// that carries a code and a message, never a 500, and PostgreSQL and Meilisearch never see a value they
// cannot hold. Rows are sent as an editor, so validation is reached; a second table sends write routes
// bad bodies without a token, which must get 401 before any 400 teaches the schema.
// To extend: add a row to `rows` (or a value to one of the generators' lists).
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, editor } from '../support/apiClient.ts';
import { createPerson } from '../support/accounts.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';

interface Context {
  authority: string;
  outlet: string;
  order: string;
  document: number;
  /** Accounts and sign-in (sessions): a person's token, for the routes about one's own account. */
  person: Record<string, string>;
}

interface Row {
  kind: string;
  request: (context: Context) => InjectOptions;
  /** The 4xx expected; 400 unless said. */
  status?: number;
  /** What the message must mention, e.g. the field. */
  message?: RegExp;
}

type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PATCH';

const NUL = 'a\u0000b';
const LONE_HIGH = 'a\ud800b';
const LONE_LOW = 'a\udc00b';
const HUGE_ID = '99999999999999999999';

// The write routes, each with a body it accepts, so a row changes one thing.
interface WriteRoute {
  name: string;
  method: Method;
  url: (context: Context) => string;
  valid: (context: Context) => Json;
  headers?: Record<string, string>;
}
const writes = {
  order: {
    name: 'POST /api/orders',
    method: 'POST',
    url: () => '/api/orders',
    valid: (c) => ({ authority: c.authority, outlet: c.outlet }),
  },
  change: {
    name: 'PATCH /api/orders/:id',
    method: 'PATCH',
    url: (c) => `/api/orders/${c.order}`,
    valid: () => ({ status: 'refused' }),
    headers: { 'if-match': '*' },
  },
  target: {
    name: 'POST /api/orders/:id/targets',
    method: 'POST',
    url: (c) => `/api/orders/${c.order}/targets`,
    valid: () => ({ url: 'https://bad-input.example/a' }),
  },
  response: {
    name: 'POST /api/orders/:id/responses',
    method: 'POST',
    url: (c) => `/api/orders/${c.order}/responses`,
    valid: () => ({ kind: 'refusal' }),
  },
  event: {
    name: 'POST /api/orders/:id/events',
    method: 'POST',
    url: (c) => `/api/orders/${c.order}/events`,
    valid: () => ({ kind: 'blocked', occurred_at: '2026-01-02' }),
  },
  authority: {
    name: 'POST /api/authorities',
    method: 'POST',
    url: () => '/api/authorities',
    valid: () => ({ slug: 'bad-input-body', name: 'Body', country: 'RU', kind: 'regulator' }),
  },
  outlet: {
    name: 'POST /api/outlets',
    method: 'POST',
    url: () => '/api/outlets',
    valid: () => ({ slug: 'bad-input-outlet', name: 'Outlet' }),
  },
  article: {
    name: 'POST /api/articles',
    method: 'POST',
    url: () => '/api/articles',
    valid: () => ({ url: 'https://bad-input.example/article' }),
  },
  reprocess: {
    name: 'POST /api/documents/:id/reprocess',
    method: 'POST',
    url: (c) => `/api/documents/${c.document}/reprocess`,
    valid: () => ({}),
  },
} satisfies Record<string, WriteRoute>;
const writeRoutes: WriteRoute[] = Object.values(writes);

/** The route's valid body with `changes` applied (a value of undefined removes a field). */
function send(
  route: WriteRoute,
  changes: (context: Context) => Json,
  headers: Record<string, string> = editor,
) {
  return (context: Context): InjectOptions => {
    const body: Json = { ...route.valid(context), ...changes(context) };
    for (const [key, value] of Object.entries(body)) if (value === undefined) delete body[key];
    return {
      method: route.method,
      url: route.url(context),
      headers: { ...headers, ...route.headers },
      payload: body,
    };
  };
}

const get =
  (url: string | ((context: Context) => string)) =>
  (context: Context): InjectOptions => ({
    method: 'GET',
    url: typeof url === 'string' ? url : url(context),
    headers: editor,
  });

function upload(
  url: (context: Context) => string,
  parts: Parameters<typeof multipartBody>[0],
  tamper: (body: { payload: Buffer; headers: Record<string, string> }) => {
    payload: Buffer;
    headers: Record<string, string>;
  } = (body) => body,
) {
  return (context: Context): InjectOptions => {
    const body = tamper(multipartBody(parts));
    return {
      method: 'POST',
      url: url(context),
      headers: { ...editor, ...body.headers },
      payload: body.payload,
    };
  };
}

const rows: Row[] = [];
const add = (kind: string, request: Row['request'], status = 400, message?: RegExp) =>
  rows.push({ kind, request, status, message });

// Dates PostgreSQL cannot hold (year 0000) or that are no date at all, in every date field and filter.
const dateFields: [WriteRoute, string][] = [
  [writes.order, 'issued_on'],
  [writes.order, 'received_on'],
  [writes.change, 'issued_on'],
  [writes.response, 'responded_on'],
  [writes.article, 'published_on'],
];
const dateTimeFields: [WriteRoute, string][] = [
  [writes.order, 'deadline_at'],
  [writes.order, 'embargo_until'],
  [writes.change, 'deadline_at'],
  [writes.event, 'occurred_at'],
];
for (const [route, field] of dateFields) {
  add(
    `${route.name} ${field} in year 0000`,
    send(route, () => ({ [field]: '0000-01-01' })),
    400,
    new RegExp(field),
  );
  add(
    `${route.name} ${field} on 30 February`,
    send(route, () => ({ [field]: '2026-02-30' })),
  );
}
add(
  'issued_on in year 10000',
  send(writes.order, () => ({ issued_on: '10000-01-01' })),
);
add(
  'issued_on as a number',
  send(writes.order, () => ({ issued_on: 20260101 })),
);
add(
  'issued_on in the 13th month',
  send(writes.order, () => ({ issued_on: '2026-13-01' })),
);
add(
  'issued_on before Christ',
  send(writes.order, () => ({ issued_on: '-0001-01-01' })),
);
for (const [route, field] of dateTimeFields) {
  add(
    `${route.name} ${field} in year 0000`,
    send(route, () => ({ [field]: '0000-01-01T00:00:00Z' })),
    400,
    new RegExp(field),
  );
}
add(
  'events occurred_at as a date in year 0000',
  send(writes.event, () => ({ occurred_at: '0000-06-01' })),
);
add(
  'deadline_at in year 0 once its zone is applied',
  send(writes.order, () => ({ deadline_at: '0001-01-01T00:00:00+14:00' })),
  400,
  /deadline_at/,
);
add(
  'embargo_until in year 10000 once its zone is applied',
  send(writes.order, () => ({ embargo_until: '9999-12-31T23:59:59-14:00' })),
  400,
  /embargo_until/,
);
add(
  'occurred_at at a leap second',
  send(writes.event, () => ({ occurred_at: '2026-01-01T23:59:60Z' })),
);
add(
  'deadline_at at hour 25',
  send(writes.order, () => ({ deadline_at: '2026-01-01T25:00:00Z' })),
);
add(
  'deadline_at without a zone',
  send(writes.order, () => ({ deadline_at: '2026-01-01T10:00:00' })),
);
for (const filter of ['issued_from', 'issued_to']) {
  add(
    `GET /api/orders?${filter}=0000-01-01`,
    get(`/api/orders?${filter}=0000-01-01`),
    400,
    new RegExp(filter),
  );
  add(
    `GET /api/search?${filter}=0000-01-01`,
    get(`/api/search?${filter}=0000-01-01`),
    400,
    new RegExp(filter),
  );
}
add('GET /api/search/pages?issued_to=2026-02-30', get('/api/search/pages?q=x&issued_to=2026-02-30'));
add('GET /api/search.atom?issued_from=0000-01-01', get('/api/search.atom?issued_from=0000-01-01'));

// Text PostgreSQL cannot hold (NUL) or that is no Unicode (a lone surrogate), in every text field.
const textFields: [WriteRoute, string, (value: string) => unknown][] = [
  [writes.order, 'reference_number', (v) => v],
  [writes.order, 'summary', (v) => v],
  [writes.order, 'stated_reason', (v) => v],
  [writes.order, 'threatened_consequence', (v) => v],
  [writes.order, 'legal_basis_raw', (v) => v],
  [writes.order, 'targets', (v) => [{ url: 'https://bad-input.example/t', title: v }]],
  [writes.change, 'summary', (v) => v],
  [writes.target, 'title', (v) => v],
  [writes.target, 'note', (v) => v],
  [writes.target, 'url', (v) => `https://bad-input.example/${v}`],
  [writes.response, 'text', (v) => v],
  [writes.event, 'description', (v) => v],
  [writes.authority, 'name', (v) => v],
  [writes.authority, 'local_name', (v) => v],
  [writes.authority, 'aliases', (v) => [v]],
  [writes.outlet, 'name', (v) => v],
  [writes.article, 'title', (v) => v],
  [writes.article, 'url', (v) => `https://bad-input.example/${v}`],
];
for (const [route, field, wrap] of textFields) {
  add(
    `${route.name} ${field} with NUL`,
    send(route, () => ({ [field]: wrap(NUL) })),
    400,
    new RegExp(field),
  );
}
for (const [route, field, wrap] of textFields.slice(0, 12)) {
  add(
    `${route.name} ${field} with a lone surrogate`,
    send(route, () => ({ [field]: wrap(LONE_HIGH) })),
  );
}
add(
  'an order summary with a lone low surrogate',
  send(writes.order, () => ({ summary: LONE_LOW })),
);
add(
  'an order summary with a surrogate pair reversed',
  send(writes.order, () => ({ summary: '\udc00\ud800' })),
);
for (const route of ['/api/search?q=', '/api/search/pages?q=', '/api/search.atom?q=']) {
  add(`GET ${route}NUL`, get(`${route}a%00b`), 400, /q/);
}
add('GET /api/search?url= with NUL', get('/api/search?url=https%3A%2F%2Fa.example%2F%00'));
add('GET /api/orders?outlet=NUL', get('/api/orders?outlet=%00'));

// Ids beyond PostgreSQL's bigint or JavaScript's exact integers, and ids that are no ids.
for (const [url, field] of [
  [`/api/orders?outlet=${HUGE_ID}`, 'outlet'],
  [`/api/orders?authority=${HUGE_ID}`, 'authority'],
  [`/api/articles?outlet=${HUGE_ID}`, 'outlet'],
  [`/api/search?authority=${HUGE_ID}`, 'authority'],
  [`/api/search?outlet=${HUGE_ID}`, 'outlet'],
  [`/api/search/pages?q=x&authority=${HUGE_ID}`, 'authority'],
  [`/api/search.atom?outlet=${HUGE_ID}`, 'outlet'],
  ['/api/orders?outlet=9007199254740993', 'outlet'],
] as const) {
  add(`GET ${url}`, get(url), 400, new RegExp(field));
}
add(
  'an order naming a 20-digit authority',
  send(writes.order, () => ({ authority: HUGE_ID })),
  400,
  /authority/,
);
add(
  'an order naming a 20-digit outlet',
  send(writes.order, (c) => ({ outlet: HUGE_ID, authority: c.authority })),
);
add(
  'an authority with a 20-digit parent',
  send(writes.authority, () => ({ parent: HUGE_ID })),
  400,
  /parent/,
);
add(
  'an article with a 20-digit outlet',
  send(writes.article, () => ({ outlet: HUGE_ID })),
  400,
  /outlet/,
);
for (const [label, value] of [
  ['1e20', 1e20],
  ['2^53', 2 ** 53],
  ['-1', -1],
  ['0', 0],
  ['1.5', 1.5],
  ['a string', '1'],
] as const) {
  add(
    `a target article_id of ${label}`,
    send(writes.target, () => ({ url: undefined, article_id: value })),
    400,
    /article_id/,
  );
}
add(
  'an order target article_id of 1e20',
  send(writes.order, () => ({ targets: [{ article_id: 1e20 }] })),
);
for (const id of [HUGE_ID, '-1', '0', '1.5', 'abc', '9007199254740992']) {
  add(`GET /api/documents/${id}`, get(`/api/documents/${id}`));
}
add('GET /api/documents/:id/file with a 20-digit id', get(`/api/documents/${HUGE_ID}/file`));
add('reprocess a 20-digit document', (c) => ({
  ...send(writes.reprocess, () => ({}))(c),
  url: `/api/documents/${HUGE_ID}/reprocess`,
}));
for (const id of [HUGE_ID, 'TD-2026-999999999999999999999', 'TD-0000-00001', '-1', 'robert']) {
  add(`GET /api/orders/${id}`, get(`/api/orders/${id}`), id === 'TD-0000-00001' ? 404 : 400);
}
add('GET /api/orders/:id/precedents with a 20-digit id', get(`/api/orders/${HUGE_ID}/precedents`));
add('PATCH a 20-digit order', (c) => ({
  ...send(writes.change, () => ({}))(c),
  url: `/api/orders/${HUGE_ID}`,
}));

// Cursors, limits and pages.
for (const list of ['/api/orders', '/api/authorities', '/api/outlets', '/api/articles', '/api/documents']) {
  add(`GET ${list}?cursor=-1`, get(`${list}?cursor=-1`), 400, /cursor/);
  add(`GET ${list}?cursor=9999999999999999`, get(`${list}?cursor=9999999999999999`), 400, /cursor/);
  add(`GET ${list}?limit=0`, get(`${list}?limit=0`), 400, /limit/);
}
add('GET /api/orders?cursor=abc', get('/api/orders?cursor=abc'));
add('GET /api/orders?limit=1.5', get('/api/orders?limit=1.5'));
add('GET /api/orders?limit=101', get('/api/orders?limit=101'));
add('GET /api/search?page=0', get('/api/search?page=0'));
add('GET /api/search?page=1001', get('/api/search?page=1001'));
add('GET /api/search?per_page=1000', get('/api/search?per_page=1000'));
add('GET /api/search?pages_per_hit=11', get('/api/search?pages_per_hit=11'));
add('GET /api/search.atom?limit=101', get('/api/search.atom?limit=101'));
add(
  'GET /api/orders/:id/precedents?limit=51',
  get((c) => `/api/orders/${c.order}/precedents?limit=51`),
);
add(
  'POST /api/intake?wait=61',
  upload(() => '/api/intake?wait=61', [{ name: 'file', filename: 'a.txt', content: 'x' }]),
);

// Enumerations and patterns.
add(
  'an order status that is none',
  send(writes.order, () => ({ status: 'ignored' })),
  400,
  /status/,
);
add(
  'a visibility that is none',
  send(writes.order, () => ({ visibility: 'secret' })),
  400,
  /visibility/,
);
add(
  'a channel that is none',
  send(writes.order, () => ({ channel: 'pigeon' })),
  400,
  /channel/,
);
add(
  'a demanded action that is none',
  send(writes.order, () => ({ demanded_actions: ['nuke'] })),
);
add(
  'a response kind that is none',
  send(writes.response, () => ({ kind: 'shrug' })),
  400,
  /kind/,
);
add(
  'an event kind that is none',
  send(writes.event, () => ({ kind: 'party' })),
  400,
  /kind/,
);
add(
  'an authority kind that is none',
  send(writes.authority, () => ({ kind: 'club' })),
  400,
  /kind/,
);
add(
  'a lowercase country',
  send(writes.authority, () => ({ country: 'ru' })),
  400,
  /country/,
);
add(
  'a slug with spaces',
  send(writes.outlet, () => ({ slug: 'Bad Slug' })),
  400,
  /slug/,
);
add(
  'a slug of digits only',
  send(writes.outlet, () => ({ slug: '12345' })),
  400,
  /slug/,
);
add(
  'a language of four letters',
  send(writes.order, () => ({ language: 'russ' })),
  400,
  /language/,
);
add(
  'a malformed citation',
  send(writes.order, () => ({ legal_basis: ['149-FZ art 15'] })),
);
add(
  'a reprocess with bad OCR languages',
  send(writes.reprocess, () => ({ ocr_languages: 'RUS; rm -rf' })),
);
add('GET /api/search?sort=bogus', get('/api/search?sort=bogus'), 400, /sort/);
add('GET /api/search?match=bogus', get('/api/search?match=bogus'), 400, /match/);
add('GET /api/search?has_response=maybe', get('/api/search?has_response=maybe'));
add('GET /api/search?country=kz', get('/api/search?country=kz'));
add('GET /api/search?legal_basis=rubbish', get('/api/search?legal_basis=rubbish'));
add('GET /api/search?status=bogus', get('/api/search?status=bogus'));
add('GET /api/documents?status=bogus', get('/api/documents?status=bogus'));
add('GET /api/documents?role=bogus', get('/api/documents?role=bogus'));
add('GET /api/documents?order=robert', get('/api/documents?order=robert'));
add('GET /api/orders?status=bogus', get('/api/orders?status=bogus'));
add('GET /api/authorities?country=Kazakhstan', get('/api/authorities?country=Kazakhstan'));
add('GET /api/search with an unknown parameter', get('/api/search?colour=red'));

// Stored links: only web pages.
for (const [route, field] of [
  [writes.response, 'source_url'],
  [writes.event, 'source_url'],
] as const) {
  for (const link of [
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,<script>1</script>',
    'not a url',
  ]) {
    add(
      `${route.name} ${field} ${link}`,
      send(route, () => ({ [field]: link })),
      400,
      new RegExp(field),
    );
  }
}
add(
  'an article at javascript:',
  send(writes.article, () => ({ url: 'javascript:alert(1)' })),
  400,
  /url/,
);
add(
  'a target at file:',
  send(writes.target, () => ({ url: 'file:///etc/passwd' })),
  400,
  /url/,
);
add(
  'an outlet domain javascript:',
  send(writes.outlet, () => ({ domains: ['javascript:alert(1)'] })),
  400,
  /domains/,
);
add(
  'an outlet domain with a path',
  send(writes.outlet, () => ({ domains: ['example.kz/news'] })),
  400,
  /domains/,
);
add('GET /api/search?url=javascript:', get('/api/search?url=javascript%3Aalert(1)'), 400, /url/);

// Wrong types, huge strings, huge arrays, unknown properties.
add(
  'an authority given as a number',
  send(writes.order, () => ({ authority: 42 })),
);
add(
  'targets given as a string',
  send(writes.order, () => ({ targets: 'https://a.example' })),
);
add(
  'legal_basis given as a string',
  send(writes.order, () => ({ legal_basis: 'RU/149-FZ' })),
);
add(
  'a boolean summary',
  send(writes.order, () => ({ summary: true })),
);
add(
  'an object as a slug',
  send(writes.outlet, () => ({ slug: { $ne: null } })),
);
add(
  'a summary of 20,001 characters',
  send(writes.order, () => ({ summary: 'x'.repeat(20_001) })),
  400,
  /summary/,
);
add(
  'a reference number of 201 characters',
  send(writes.order, () => ({ reference_number: 'x'.repeat(201) })),
);
add(
  'a title of 2,001 characters',
  send(writes.target, () => ({ title: 'x'.repeat(2001) })),
);
add(
  'a URL of 4,001 characters',
  send(writes.article, () => ({ url: `https://a.example/${'x'.repeat(4001)}` })),
);
add('a search of 501 characters', get(`/api/search?q=${'x'.repeat(501)}`));
add(
  '201 targets',
  send(writes.order, () => ({
    targets: Array.from({ length: 201 }, (_, i) => ({ url: `https://a.example/${i}` })),
  })),
);
add(
  '51 citations',
  send(writes.order, () => ({ legal_basis: Array.from({ length: 51 }, (_, i) => `RU/${i + 1}-FZ`) })),
);
add(
  'a repeated citation',
  send(writes.order, () => ({ legal_basis: ['RU/149-FZ', 'RU/149-FZ'] })),
);
add(
  '51 aliases',
  send(writes.authority, () => ({ aliases: Array.from({ length: 51 }, (_, i) => `alias ${i}`) })),
);
add(
  '21 outlet domains',
  send(writes.outlet, () => ({ domains: Array.from({ length: 21 }, (_, i) => `d${i}.example`) })),
);
add(
  '21 authority filters in a search',
  get(`/api/search?${Array.from({ length: 21 }, (_, i) => `authority=a${i}`).join('&')}`),
);
for (const route of writeRoutes) {
  add(
    `${route.name} with an unknown property`,
    send(route, () => ({ colour: 'red' })),
    400,
    /colour/,
  );
}
add(
  'an order with no authority',
  send(writes.order, () => ({ authority: undefined })),
  400,
  /authority/,
);
add('a change that changes nothing', (c) => ({ ...send(writes.change, () => ({}))(c), payload: {} }));
add(
  'a target with neither article nor URL',
  send(writes.target, () => ({ url: undefined })),
);

// Bodies that are no object, empty bodies, wrong content types.
for (const [label, payload] of [
  ['null', 'null'],
  ['an array', '[]'],
  ['a string', '"order"'],
  ['a number', '42'],
  ['truncated JSON', '{"authority": '],
  ['an empty body', ''],
  ['a __proto__ key', '{"__proto__": {"admin": true}, "authority": "x"}'],
] as const) {
  add(`POST /api/orders with ${label}`, (c) => ({
    method: 'POST',
    url: '/api/orders',
    headers: { ...editor, 'content-type': 'application/json' },
    payload: payload.replace('"x"', `"${c.authority}"`),
  }));
}
add('POST /api/outlets with JSON null', () => ({
  method: 'POST',
  url: '/api/outlets',
  headers: { ...editor, 'content-type': 'application/json' },
  payload: 'null',
}));
// Fastify reads text/plain as a string, which is no object: 400; types it does not read: 415.
for (const [type, status] of [
  ['text/plain', 400],
  ['application/xml', 415],
  ['application/x-www-form-urlencoded', 415],
  ['image/png', 415],
] as const) {
  add(
    `POST /api/orders as ${type}`,
    () => ({
      method: 'POST',
      url: '/api/orders',
      headers: { ...editor, 'content-type': type },
      payload: 'authority=x',
    }),
    status,
  );
}
add(
  'a JSON body over the limit',
  () => ({
    method: 'POST',
    url: '/api/orders',
    headers: { ...editor, 'content-type': 'application/json' },
    payload: JSON.stringify({ summary: 'x'.repeat(2 * 1024 * 1024) }),
  }),
  413,
);

// If-Match.
add('PATCH without If-Match', (c) => ({ ...send(writes.change, () => ({}))(c), headers: editor }), 428);
add(
  'PATCH with a made-up If-Match',
  (c) => ({
    ...send(writes.change, () => ({}))(c),
    headers: { ...editor, 'if-match': '"not-a-tag"' },
  }),
  412,
);
add(
  'PATCH with an unquoted If-Match',
  (c) => ({
    ...send(writes.change, () => ({}))(c),
    headers: { ...editor, 'if-match': 'W/garbage, ,' },
  }),
  412,
);
add(
  'PATCH with an If-Match of 10,000 characters',
  (c) => ({
    ...send(writes.change, () => ({}))(c),
    headers: { ...editor, 'if-match': `"${'x'.repeat(10_000)}"` },
  }),
  412,
);

// Multipart.
const documentsOf = (c: Context) => `/api/orders/${c.order}/documents`;
const aFile = [{ name: 'order', filename: 'a.txt', content: 'an order' }];
for (const [label, url] of [
  ['upload', documentsOf],
  ['intake', () => '/api/intake'],
] as const) {
  add(
    `${label} with no boundary`,
    upload(url, aFile, (body) => ({
      ...body,
      headers: { 'content-type': 'multipart/form-data' },
    })),
    400,
    /boundary|multipart/i,
  );
  add(
    `${label} with a boundary the body does not use`,
    upload(url, aFile, (body) => ({
      ...body,
      headers: { 'content-type': 'multipart/form-data; boundary=nothing-like-it' },
    })),
    400,
    /multipart|boundary|file/i,
  );
  add(
    `${label} cut off before its closing boundary`,
    upload(url, aFile, (body) => ({
      ...body,
      payload: body.payload.subarray(0, body.payload.length - 30),
    })),
    400,
  );
  add(
    `${label} with NUL in a file name`,
    upload(url, [{ name: 'order', filename: 'a\u0000.txt', content: 'x' }]),
    400,
    /filename/,
  );
  add(`${label} with no file`, upload(url, [{ name: 'ocr_languages', content: 'rus' }]), 400, /file/);
  add(
    `${label} with an unknown field`,
    upload(url, [{ name: 'colour', content: 'red' }, ...aFile]),
    400,
    /colour/,
  );
  add(
    `${label} with bad OCR languages`,
    upload(url, [{ name: 'ocr_languages', content: 'RUS;ls' }, ...aFile]),
    400,
    /ocr_languages/,
  );
  add(
    `${label} with NUL in OCR languages`,
    upload(url, [{ name: 'ocr_languages', content: 'rus\u0000' }, ...aFile]),
    400,
  );
  add(
    `${label} with a file under no role`,
    upload(url, [{ name: 'poster', filename: 'a.txt', content: 'x' }]),
    400,
    /poster/,
  );
  add(
    `${label} as JSON`,
    (c) => ({ method: 'POST', url: url(c), headers: editor, payload: { file: 'x' } }),
    400,
    /multipart/,
  );
  add(
    `${label} with an empty body`,
    upload(url, aFile, (body) => ({ ...body, payload: Buffer.alloc(0) })),
    400,
  );
}
add(
  'an upload to a 20-digit order',
  upload(() => `/api/orders/${HUGE_ID}/documents`, aFile),
);

// ── API tokens, an order's history, the audit log (accounts: tokens and history) ──
const tokenWrite: WriteRoute = {
  name: 'POST /api/tokens',
  method: 'POST',
  url: () => '/api/tokens',
  valid: (c) => ({ name: 'bad input desk', owner: 'outlet', outlet: c.outlet }),
};
writeRoutes.push(tokenWrite);
const inYears = (years: number) => new Date(Date.now() + years * 366 * 24 * 3600 * 1000).toISOString();
for (const [label, changes, message] of [
  ['no name', { name: undefined }, /name/],
  ['an empty name', { name: '' }, /name/],
  ['NUL in the name', { name: NUL }, /name/],
  ['a lone surrogate in the name', { name: LONE_LOW }, /name/],
  ['a name of 201 characters', { name: 'x'.repeat(201) }, /name/],
  ['an unknown owner', { owner: 'them' }, /owner/],
  ['a malformed outlet', { outlet: 'Bad Slug!' }, /outlet/],
  ['an outlet that does not exist', { outlet: 'no-such-outlet' }, /outlet/],
  ['an outlet token without its outlet', { outlet: undefined }, /outlet/],
  ['read_only as a string', { read_only: 'yes' }, /read_only/],
  ['expires_at as words', { expires_at: 'tomorrow' }, /expires_at/],
  ['expires_at in year 0000', { expires_at: '0000-01-01T00:00:00Z' }, /expires_at/],
  ['expires_at in the past', { expires_at: '2020-01-01T00:00:00Z' }, /expires_at/],
  ['expires_at three years ahead', { expires_at: inYears(3) }, /expires_at/],
  ['an unknown property', { scopes: ['all'] }, /scopes|additional/],
] as const) {
  add(
    `POST /api/tokens with ${label}`,
    send(tokenWrite, () => ({ ...changes })),
    400,
    message,
  );
}
for (const [label, query] of [
  ['an unknown state', 'state=dead'],
  ['user 0', 'user=0'],
  ['a user that is no id', 'user=alice'],
  ['a 20-digit user', `user=${HUGE_ID}`],
  ['a malformed outlet', 'outlet=Bad!'],
  ['limit 0', 'limit=0'],
  ['a cursor that is no id', 'cursor=x'],
  ['an unknown filter', 'colour=red'],
] as const) {
  add(`GET /api/tokens with ${label}`, get(`/api/tokens?${query}`));
}
for (const [label, id] of [
  ['no id', 'abc'],
  ['id 0', '0'],
  ['a 20-digit id', HUGE_ID],
] as const) {
  add(`DELETE /api/tokens/${label}`, () => ({ method: 'DELETE', url: `/api/tokens/${id}`, headers: editor }));
}
for (const [label, url] of [
  ['of an id that is no order id', () => '/api/orders/TD-26-1/history'],
  ['of a 20-digit order', () => `/api/orders/${HUGE_ID}/history`],
  ['with a cursor that is no cursor', (c: Context) => `/api/orders/${c.order}/history?cursor=42`],
  ['with limit 1000', (c: Context) => `/api/orders/${c.order}/history?limit=1000`],
  ['with an unknown parameter', (c: Context) => `/api/orders/${c.order}/history?field=summary`],
] as const) {
  add(`GET /api/orders/:id/history ${label}`, get(url));
}
for (const [label, query] of [
  ['an action in capitals', 'action=Token.Create'],
  ['an action with a space', 'action=token%20create'],
  ['an action with a quote', "action=token.create'"],
  ['a bare *', 'action=*'],
  ['a malformed record_type', 'record_type=order;drop'],
  ['NUL in record_id', 'record_id=a%00b'],
  ['NUL in actor', 'actor=%00'],
  ['a 20-digit user', `user=${HUGE_ID}`],
  ['since in year 0000', 'since=0000-01-01T00:00:00Z'],
  ['until on 30 February', 'until=2026-02-30T00:00:00Z'],
  ['since after until', 'since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z'],
  ['a cursor without its id', 'cursor=1765000000000000'],
  ['an unknown filter', 'acton=token.create'],
] as const) {
  add(`GET /api/audit with ${label}`, get(`/api/audit?${query}`));
}

// People (users, invitations, password resets, outlet members, /api/me): one block, merged as one.
{
  const json =
    (
      method: 'POST' | 'PATCH' | 'DELETE',
      url: string,
      payload?: Json,
      headers: Record<string, string> = editor,
    ) =>
    (): InjectOptions => ({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  const invite = (changes: Json) => (c: Context) =>
    json('POST', '/api/invitations', {
      email: 'someone@example.org',
      role: 'member',
      outlet: c.outlet,
      ...changes,
    })();
  const goodLink = `tal_${'A'.repeat(43)}`;
  add('an invitation to no e-mail address', invite({ email: 'nobody' }), 400, /email/);
  add('an invitation e-mail with NUL', invite({ email: `a${NUL}@example.org` }), 400, /email/);
  add('an invitation to an unknown role', invite({ role: 'king' }), 400, /role.*editor, researcher/);
  add('a member invited to no outlet', invite({ outlet: undefined }), 400, /outlet/);
  add('an editor invited to an outlet', invite({ role: 'editor' }), 400, /outlet/);
  add(
    'a member invited with a researcher end',
    invite({ researcher_until: '2030-01-01T00:00:00Z' }),
    400,
    /researcher_until/,
  );
  add('an invitation to an unknown outlet', invite({ outlet: 'no-such-outlet' }), 400, /outlet/);
  add('an invitation good for 721 hours', invite({ expires_in_hours: 721 }), 400, /expires_in_hours/);
  add(
    'a researcher invited until year 0000',
    invite({ role: 'researcher', outlet: undefined, researcher_until: '0000-01-01T00:00:00Z' }),
    400,
    /researcher_until/,
  );
  add('an invitation with an unknown property', invite({ colour: 'red' }), 400, /colour/);
  add('invitations in an unknown state', get('/api/invitations?state=lost'), 400, /state/);
  add('invitations of an outlet with NUL', get('/api/invitations?outlet=a%00b'), 400, /outlet/);
  add('revoking invitation 0', json('DELETE', '/api/invitations/0'), 400, /id/);
  add('revoking a 20-digit invitation', json('DELETE', `/api/invitations/${HUGE_ID}`), 400, /id/);
  add('revoking an invitation that does not exist', json('DELETE', '/api/invitations/999999'), 404);
  const acceptance = (changes: Json) =>
    json(
      'POST',
      '/api/invitations/accept',
      {
        token: goodLink,
        display_name: 'Someone',
        password: 'a good long password',
        ...changes,
      },
      {},
    );
  add('accepting with a malformed link', acceptance({ token: 'tal_short' }), 400, /token/);
  add('accepting with a short password', acceptance({ password: 'short' }), 400, /password/);
  add(
    'accepting with a lone surrogate in the password',
    acceptance({ password: `long enough ${LONE_LOW}` }),
    400,
    /password/,
  );
  add('accepting with NUL in the display name', acceptance({ display_name: NUL }), 400, /display_name/);
  add('accepting with a link that never existed', acceptance({}), 410);
  add(
    'a password reset for no e-mail address',
    json('POST', '/api/password-resets', { email: 'x' }, {}),
    400,
    /email/,
  );
  add(
    'a password reset with an unknown property',
    json('POST', '/api/password-resets', { email: 'a@b.example', colour: 'red' }, {}),
    400,
    /colour/,
  );
  const completion = (changes: Json) =>
    json(
      'POST',
      '/api/password-resets/complete',
      { token: goodLink, password: 'a good long password', ...changes },
      {},
    );
  add(
    'completing a reset with a password of 201 characters',
    completion({ password: 'x'.repeat(201) }),
    400,
    /password/,
  );
  add('completing a reset with no link', completion({ token: undefined }), 400, /token/);
  add('completing a reset with a link that never existed', completion({}), 410);
  // Sign-in links by mail (SMTP is not configured in this app: the request is still validated).
  add(
    'a sign-in link for no e-mail address',
    json('POST', '/api/session/link', { email: 'not an address' }, {}),
    400,
    /email/,
  );
  add(
    'a sign-in link with an unknown property',
    json('POST', '/api/session/link', { email: 'a@b.example', password: 'x' }, {}),
    400,
    /password/,
  );
  add(
    'signing in with a link that is no link',
    json('POST', '/api/session/link/complete', { token: 'tal_short' }, {}),
    400,
    /token/,
  );
  add(
    'signing in with a link that never existed',
    json('POST', '/api/session/link/complete', { token: goodLink }, {}),
    410,
  );
  add('a reset link for user 0', json('POST', '/api/users/0/password-reset'), 400, /id/);
  add('a reset link for a user who does not exist', json('POST', '/api/users/999999/password-reset'), 404);
  add('users of an unknown role', get('/api/users?role=king'), 400, /role/);
  add('users matching NUL', get('/api/users?q=a%00b'), 400, /q/);
  add('a user named by letters', get('/api/users/abc'), 400, /id/);
  add('a user change that changes nothing', json('PATCH', '/api/users/1', {}), 400);
  add(
    'a user researcher until year 0000',
    json('PATCH', '/api/users/1', { researcher_until: '0000-01-01T00:00:00Z' }),
    400,
    /researcher_until/,
  );
  add(
    'a user with an empty display name',
    json('PATCH', '/api/users/1', { display_name: '' }),
    400,
    /display_name/,
  );
  add('a change to a user who does not exist', json('PATCH', '/api/users/999999', { disabled: true }), 404);
  add(
    '/api/me with a malformed Authorization header',
    () => ({ method: 'GET', url: '/api/me', headers: { authorization: 'Basic x' } }),
    401,
  );
  add('members of an outlet named badly', get('/api/outlets/-x-/members'), 400, /id/);
  add('members of an outlet that does not exist', get('/api/outlets/no-such-outlet/members'), 404);
  add('1000 members a page', (c) => get(`/api/outlets/${c.outlet}/members?limit=1000`)(c), 400, /limit/);
  add(
    'a member made owner',
    (c) => json('PATCH', `/api/outlets/${c.outlet}/members/1`, { role: 'owner' })(),
    400,
    /role/,
  );
  add(
    'a member who is not one',
    (c) => json('PATCH', `/api/outlets/${c.outlet}/members/999999`, { role: 'admin' })(),
    404,
  );
  add('removing member 0', (c) => json('DELETE', `/api/outlets/${c.outlet}/members/0`)(), 400, /userId/);
}
// Accounts and sign-in: sessions (POST/GET/DELETE /api/session, /api/me/sessions, /api/me/password).
const signIn = (body: Json) => (): InjectOptions => ({ method: 'POST', url: '/api/session', payload: body });
const aSignIn = { email: 'someone@bad-input.example', password: 'a password of some length' };
add('sign-in without a password', signIn({ email: aSignIn.email }), 400, /password/);
add('sign-in without an e-mail', signIn({ password: aSignIn.password }), 400, /email/);
add('sign-in with an e-mail without @', signIn({ ...aSignIn, email: 'someone' }), 400, /email/);
add('sign-in with NUL in the e-mail', signIn({ ...aSignIn, email: `a${NUL}@b.example` }), 400, /email/);
add('sign-in with a lone surrogate in the e-mail', signIn({ ...aSignIn, email: `${LONE_HIGH}@b.example` }));
add('sign-in with NUL in the password', signIn({ ...aSignIn, password: NUL }), 400, /password/);
add('sign-in with a password of 201 characters', signIn({ ...aSignIn, password: 'x'.repeat(201) }));
add(
  'sign-in with an e-mail of 321 characters',
  signIn({ ...aSignIn, email: `${'x'.repeat(311)}@b.example` }),
);
add('sign-in with the password as a number', signIn({ ...aSignIn, password: 1234567890 }), 400, /password/);
add('sign-in with an unknown property', signIn({ ...aSignIn, colour: 'red' }), 400, /colour/);
add('GET /api/session with a token (no session)', get('/api/session'), 404, /no session/);
add(
  'DELETE /api/session with a token (no session)',
  () => ({ method: 'DELETE', url: '/api/session', headers: editor }),
  404,
);
const mine =
  (method: 'GET' | 'DELETE' | 'POST', url: string, payload?: Json) =>
  (c: Context): InjectOptions => ({
    method,
    url,
    headers: c.person,
    ...(payload ? { payload } : {}),
  });
add('GET /api/me/sessions?cursor=-1', mine('GET', '/api/me/sessions?cursor=-1'), 400, /cursor/);
add('GET /api/me/sessions?cursor=live-abc', mine('GET', '/api/me/sessions?cursor=live-abc'), 400, /cursor/);
add('GET /api/me/sessions?cursor=42', mine('GET', '/api/me/sessions?cursor=42'), 400, /cursor/);
add('GET /api/me/sessions?limit=101', mine('GET', '/api/me/sessions?limit=101'), 400, /limit/);
add(
  'GET /api/me/sessions with an unknown parameter',
  mine('GET', '/api/me/sessions?colour=red'),
  400,
  /colour/,
);
add('GET /api/me/sessions with ADMIN_TOKEN (no person)', get('/api/me/sessions'), 403);
add('DELETE a 20-digit session', mine('DELETE', `/api/me/sessions/${HUGE_ID}`), 400);
add('DELETE session abc', mine('DELETE', '/api/me/sessions/abc'), 400);
add('DELETE session 0', mine('DELETE', '/api/me/sessions/0'), 400);
const aChange = { current_password: 'whatever it is now', new_password: 'a new passphrase' };
add(
  'a new password of 9 characters',
  mine('POST', '/api/me/password', { ...aChange, new_password: 'x'.repeat(9) }),
  400,
  /new_password/,
);
add(
  'a password change without the current password',
  mine('POST', '/api/me/password', { new_password: aChange.new_password }),
  400,
  /current_password/,
);
add(
  'a new password with NUL',
  mine('POST', '/api/me/password', { ...aChange, new_password: `a new passphrase${NUL}` }),
  400,
  /new_password/,
);
add(
  'a password change with an unknown property',
  mine('POST', '/api/me/password', { ...aChange, colour: 'red' }),
  400,
  /colour/,
);
add(
  'a password change with ADMIN_TOKEN (no person)',
  () => ({ method: 'POST', url: '/api/me/password', headers: editor, payload: aChange }),
  403,
);

// ── Redactions (issue #16): redaction routes, the document's publishable original, the order's review fields ──
const aRedaction = { page: 1, start: 0, end: 4, kind: 'phone' };
const redactionOf =
  (changes: Json) =>
  (c: Context): InjectOptions => ({
    method: 'POST',
    url: `/api/documents/${c.document}/redactions`,
    headers: editor,
    payload: { ...aRedaction, ...changes },
  });
add('a redaction on page 0', redactionOf({ page: 0 }), 400, /page/);
add('a redaction starting before the text', redactionOf({ start: -1 }), 400, /start/);
add('a redaction ending at 0', redactionOf({ end: 0 }), 400, /end/);
add('a redaction with its offsets as words', redactionOf({ start: 'zero' }), 400, /start/);
add('a redaction of an unknown kind', redactionOf({ kind: 'secret' }), 400, /kind/);
add('a redaction with a NUL in its reason', redactionOf({ reason: NUL }), 400, /reason/);
add('a redaction with an unknown property', redactionOf({ colour: 'black' }), 400, /colour/);
add('a redaction past the end of a huge page', redactionOf({ end: 200_000_000 }), 400, /end/);
add('a redaction on a page the document does not have', redactionOf({ page: 99 }), 400, /page/);
add('the redactions of a document with a huge id', get(`/api/documents/${HUGE_ID}/redactions`), 400);
add(
  'redactions listed 0 at a time',
  get((c) => `/api/documents/${c.document}/redactions?limit=0`),
  400,
  /limit/,
);
add(
  'redactions in an unknown state',
  get((c) => `/api/documents/${c.document}/redactions?state=maybe`),
  400,
  /state/,
);
add(
  'redactions after a cursor of letters',
  get((c) => `/api/documents/${c.document}/redactions?cursor=abc`),
  400,
  /cursor/,
);
const decision = (id: string, payload: Json) => (): InjectOptions => ({
  method: 'PATCH',
  url: `/api/redactions/${id}`,
  headers: editor,
  payload,
});
add('a redaction decided back to proposed', decision('1', { state: 'proposed' }), 400, /state/);
add('a redaction decision without a state', decision('1', { reason: 'why' }), 400, /state/);
add('a decision on a redaction with a huge id', decision(HUGE_ID, { state: 'accepted' }), 400);
add(
  'a decision with a lone surrogate in its reason',
  decision('1', { state: 'rejected', reason: LONE_HIGH }),
  400,
  /reason/,
);
add(
  'removing a redaction with a huge id',
  () => ({ method: 'DELETE', url: `/api/redactions/${HUGE_ID}`, headers: editor }),
  400,
);
add(
  'removing a redaction with a negative id',
  () => ({ method: 'DELETE', url: '/api/redactions/-1', headers: editor }),
  400,
);
const documentChange =
  (payload: Json) =>
  (c: Context): InjectOptions => ({
    method: 'PATCH',
    url: `/api/documents/${c.document}`,
    headers: editor,
    payload,
  });
add(
  'an original publishable as a word',
  documentChange({ original_publishable: 'yes' }),
  400,
  /original_publishable/,
);
add('a document change without a field', documentChange({}), 400, /original_publishable/);
add('a document change of its text', documentChange({ original_publishable: true, text: 'x' }), 400, /text/);
add(
  'researchers_may_read_unredacted as a word',
  send(writes.change, () => ({ researchers_may_read_unredacted: 'yes' })),
  400,
  /researchers_may_read_unredacted/,
);
add(
  'override_redaction_review as a number',
  send(writes.change, () => ({ override_redaction_review: 1 })),
  400,
  /override_redaction_review/,
);
// Redacted renditions (issue #16): GET /api/documents/:id/rendition.
for (const id of [HUGE_ID, '-1', '0', '1.5', 'abc', '9007199254740992']) {
  add(`GET /api/documents/${id}/rendition`, get(`/api/documents/${id}/rendition`));
}
add(
  'the rendition of a document that has none',
  get((c) => `/api/documents/${c.document}/rendition`),
  404,
  /rendition/,
);
add('the rendition of the largest exact id', get(`/api/documents/${Number.MAX_SAFE_INTEGER}/rendition`), 404);
// --- proof-tools ---
add('GET /api/orders/:id/citation with a 20-digit id', get(`/api/orders/${HUGE_ID}/citation`));
add(
  'a citation format that is none',
  get((c) => `/api/orders/${c.order}/citation?format=endnote`),
  400,
  /format/,
);
add(
  'a citation with an unknown parameter',
  get((c) => `/api/orders/${c.order}/citation?style=apa`),
  400,
);
// --- end proof-tools ---
// --- proof-log ---
// The transparency log (issue #18): sizes are whole numbers within a tree, and published ones only.
for (const id of [HUGE_ID, '-1', '0', '1.5', 'abc', '9007199254740992']) {
  add(`GET /api/documents/${id}/proof`, get(`/api/documents/${id}/proof`));
}
add('the proof of the largest exact id', get(`/api/documents/${Number.MAX_SAFE_INTEGER}/proof`), 404);
for (const id of [HUGE_ID, '-1', '0', 'abc']) {
  add(`GET /api/documents/${id}/proof.tlog`, get(`/api/documents/${id}/proof.tlog`));
}
add(
  'the proof file of the largest exact id',
  get(`/api/documents/${Number.MAX_SAFE_INTEGER}/proof.tlog`),
  404,
);
for (const query of [
  '',
  'from=1',
  'to=1',
  'from=-1&to=0',
  'from=a&to=1',
  'from=1.5&to=2',
  `from=0&to=${HUGE_ID}`,
]) {
  add(`consistency ?${query}`, get(`/api/log/consistency?${query}`));
}
add('consistency backwards', get('/api/log/consistency?from=2&to=1'), 400, /from/);
add('consistency to a size never published', get('/api/log/consistency?from=0&to=123456'), 400, /123456/);
for (const query of ['after=-2', 'after=x', 'limit=0', 'limit=1001', `after=${HUGE_ID}`]) {
  add(`checkpoints ?${query}`, get(`/api/log/checkpoints?${query}`));
}
// The key and the checkpoint take no input; an unknown query parameter is refused as everywhere.
add('the key with a query', get('/api/log/key?format=pem'));
add('the checkpoint with a query', get('/api/log/checkpoint?size=1'));
// --- end proof-log ---

// --- redaction-finish ---
// Areas drawn on a scan (POST /api/documents/:id/redactions with `area`); the context's document is text.
const anArea = { x: 0.1, y: 0.1, width: 0.2, height: 0.1 };
const areaOf = (area: Json) => redactionOf({ start: undefined, end: undefined, area });
add('an area left of the page', areaOf({ ...anArea, x: -0.1 }), 400, /area/);
add('an area of no width', areaOf({ ...anArea, width: 0 }), 400, /area/);
add('an area in pixels', areaOf({ ...anArea, height: 300 }), 400, /area/);
add('an area as a word', areaOf('top left' as unknown as Json), 400, /area/);
add('an area with an unknown side', areaOf({ ...anArea, depth: 1 }), 400, /area/);
add('an area with a span', redactionOf({ area: anArea }), 400, /area/);
add('an area on a text file', areaOf(anArea), 400, /not a PDF or an image/);
add('a redaction with neither a span nor an area', areaOf(undefined as unknown as Json), 400, /start/);
// Page images of the original: GET /api/documents/:id/pages/:n/image.
for (const id of [HUGE_ID, '-1', '0', 'abc']) {
  add(`GET /api/documents/${id}/pages/1/image`, get(`/api/documents/${id}/pages/1/image`));
}
for (const page of ['0', '-1', '1.5', 'abc', '100001', HUGE_ID]) {
  add(
    `a page image of page ${page}`,
    get((c) => `/api/documents/${c.document}/pages/${page}/image`),
  );
}
add(
  'the page image of a text file',
  get((c) => `/api/documents/${c.document}/pages/1/image`),
  404,
  /not a PDF or an image/,
);
// --- end redaction-finish ---

// --- field-redactions ---
// Redactions of an order's own texts: POST and GET /api/orders/:id/redactions.
const aFieldRedaction = { field: 'summary', start: 0, end: 4, kind: 'phone' };
const fieldRedactionOf =
  (changes: Json) =>
  (c: Context): InjectOptions => ({
    method: 'POST',
    url: `/api/orders/${c.order}/redactions`,
    headers: editor,
    payload: { ...aFieldRedaction, ...changes },
  });
add(
  'a field redaction of a field orders lack',
  fieldRedactionOf({ field: 'reference_number' }),
  400,
  /field/,
);
add('a field redaction without its field', fieldRedactionOf({ field: undefined }), 400, /field/);
add('a field redaction starting before the text', fieldRedactionOf({ start: -1 }), 400, /start/);
add(
  'a field redaction with an area',
  fieldRedactionOf({ area: { x: 0, y: 0, width: 1, height: 1 } }),
  400,
  /area/,
);
add('a field redaction of an empty field', fieldRedactionOf({}), 400, /has no summary/);
add(
  'a field redaction of an order with a huge id',
  () => ({
    method: 'POST',
    url: `/api/orders/${HUGE_ID}/redactions`,
    headers: editor,
    payload: aFieldRedaction,
  }),
  400,
);
add(
  'an order’s redactions listed 0 at a time',
  get((c) => `/api/orders/${c.order}/redactions?limit=0`),
  400,
  /limit/,
);
add('an order’s redactions of a malformed id', get('/api/orders/TD-x/redactions'), 400);
// --- end field-redactions ---

// --- export-stats ---
add('GET /api/stats?group=colour', get('/api/stats?group=colour'), 400, /group/);
add('GET /api/stats with four groups', get('/api/stats?group=authority,month,year,status'), 400, /group/);
add('GET /api/stats?issued_from=2026-02-30', get('/api/stats?issued_from=2026-02-30'), 400, /issued_from/);
add(`GET /api/stats?outlet=${HUGE_ID}`, get(`/api/stats?outlet=${HUGE_ID}`), 400, /outlet/);
add('GET /api/stats?status=lost', get('/api/stats?status=lost'), 400, /status/);
add('GET /api/stats?q=words', get('/api/stats?q=words'), 400);
for (const route of ['/api/export.jsonl', '/api/export.csv']) {
  add(`GET ${route}?status=lost`, get(`${route}?status=lost`), 400, /status/);
  add(`GET ${route}?issued_to=0000-01-01`, get(`${route}?issued_to=0000-01-01`), 400, /issued_to/);
  add(`GET ${route}?authority=${HUGE_ID}`, get(`${route}?authority=${HUGE_ID}`), 400, /authority/);
  add(`GET ${route}?legal_basis=NUL`, get(`${route}?legal_basis=RU%00`), 400, /legal_basis/);
  add(`GET ${route}?q=words`, get(`${route}?q=words`), 400);
}
add('GET /api/orders/:id/lumen.json with a bad id', get('/api/orders/TD-1/lumen.json'), 400, /id/);
add('GET /api/orders/:id/lumen.json of no order', get('/api/orders/999999999999999/lumen.json'), 404);
// --- end export-stats ---

// Values at the edge of what is allowed, which the rules above must not refuse.
const goodRows: Row[] = [
  {
    kind: 'the first and last days of the calendar',
    request: send(writes.order, () => ({ issued_on: '0001-01-01', received_on: '9999-12-31' })),
    status: 201,
  },
  {
    kind: 'a deadline late on 31 December 9999',
    request: send(writes.order, () => ({ deadline_at: '9999-12-31T23:59:59Z' })),
    status: 201,
  },
  {
    kind: 'the first instant of the calendar',
    request: send(writes.event, () => ({ occurred_at: '0001-01-01T00:00:00Z' })),
    status: 201,
  },
  { kind: 'a leap day', request: send(writes.response, () => ({ responded_on: '2024-02-29' })), status: 201 },
  {
    kind: 'emoji and Kazakh letters (surrogate pairs, non-Latin text)',
    request: send(writes.order, () => ({ summary: 'Блокировка 😀 Қазақстан 𝔘' })),
    status: 201,
  },
  {
    kind: 'an https source link',
    request: send(writes.event, () => ({ source_url: 'https://vlast.kz/novosti/1' })),
    status: 201,
  },
  {
    kind: 'an HTTP source link in capitals',
    request: send(writes.response, () => ({ source_url: 'HTTP://VLAST.KZ/a' })),
    status: 201,
  },
  {
    kind: 'a Cyrillic outlet domain',
    request: send(writes.outlet, () => ({ slug: 'good-cyrillic', domains: ['пример.рф', 'www.vlast.kz'] })),
    status: 201,
  },
  { kind: 'the largest exact id', request: get(`/api/documents/${Number.MAX_SAFE_INTEGER}`), status: 404 },
  { kind: 'a 15-digit outlet filter', request: get('/api/orders?outlet=999999999999999'), status: 200 },
  { kind: 'a slug with digits and a letter', request: get('/api/orders?outlet=24kz'), status: 200 },
  // Accounts: tokens and history.
  {
    kind: 'revoking the largest exact token id',
    request: () => ({ method: 'DELETE', url: `/api/tokens/${Number.MAX_SAFE_INTEGER}`, headers: editor }),
    status: 404,
  },
  {
    kind: 'the history of a 15-digit order',
    request: get('/api/orders/999999999999999/history'),
    status: 404,
  },
  { kind: 'an audit action prefix', request: get('/api/audit?action=token.*'), status: 200 },
];

// The write routes an anonymous caller reaches with a body that breaks their schema: 401, never 400.
const anonymousBodies: [string, (route: WriteRoute) => InjectOptions['payload'], string?][] = [
  ['an empty object', () => ({})],
  ['an unknown property', () => ({ colour: 'red' })],
  ['a year-0000 date', () => ({ issued_on: '0000-01-01', occurred_at: '0000-01-01' })],
  ['NUL in every field', () => ({ summary: NUL, name: NUL, url: NUL, text: NUL })],
  ['malformed JSON', () => '{"a": ', 'application/json'],
  ['XML', () => '<order/>', 'application/xml'],
];

describe('bad input never gets a 500', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  const context = {} as Context;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    context.authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    context.outlet = (await createOutletWithToken(harness.app, 'bad-input-home')).outlet.slug;
    const order = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: editor,
      payload: { authority: context.authority, outlet: context.outlet },
    });
    context.order = order.json().id;
    const body = multipartBody(aFile);
    const uploaded = await harness.app.inject({
      method: 'POST',
      url: documentsOf(context),
      headers: { ...editor, ...body.headers },
      payload: body.payload,
    });
    context.document = uploaded.json().documents[0].id;
    context.person = (await createPerson(harness.app, { email: 'bad-input@example.org' })).headers;
  });
  afterAll(async () => {
    console.log(`bad input: ${rows.length} kinds as an editor, ${anonymousRows().length} anonymously`);
    await harness.close();
  });

  it('has at least 100 kinds of bad input', () => {
    expect(new Set(rows.map((row) => row.kind)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(100);
  });

  it('every route is covered', async () => {
    const spec = (await harness.app.inject({ url: '/docs/json' })).json();
    const covered = rows.map((row) => {
      const { method, url } = row.request(context);
      return `${method} ${String(url).split('?')[0]}`;
    });
    for (const [path, methods] of Object.entries(spec.paths as Record<string, object>)) {
      if (path === '/health') continue;
      for (const method of Object.keys(methods)) {
        const shape = new RegExp(
          `^${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '[^/]+').replace('.', '\\.')}$`,
        );
        expect(
          covered.some((route) => shape.test(route)),
          `${method} ${path}`,
        ).toBe(true);
      }
    }
  });

  // Named with %s: vitest cuts $kind to 40 characters, and a failing row must say which it is.
  const named = <T extends { kind: string }>(table: T[]) => table.map((row) => [row.kind, row] as const);

  it.each(named(rows))('%s', async (_kind, { request, status, message }) => {
    const response = await harness.app.inject(request(context));
    expect(response.statusCode, response.body).toBe(status);
    const body = response.json();
    expect(body, response.body).toMatchObject({ statusCode: status, code: expect.any(String) });
    expect(body.message, response.body).toMatch(/\S/);
    if (message) expect(body.message).toMatch(message);
  });

  it.each(named(goodRows))('still accepted: %s', async (_kind, { request, status }) => {
    const response = await harness.app.inject(request(context));
    expect(response.statusCode, response.body).toBe(status);
  });

  function anonymousRows() {
    return writeRoutes.flatMap((route) =>
      anonymousBodies.map(([label, payload, type]) => ({
        kind: `${route.name} with ${label}`,
        route,
        payload,
        type,
      })),
    );
  }

  it.each(named(anonymousRows()))('anonymous → 401: %s', async (_kind, { route, payload, type }) => {
    const response = await harness.app.inject({
      method: route.method,
      url: route.url(context),
      headers: { ...(type ? { 'content-type': type } : {}), ...route.headers },
      payload: payload(route),
    });
    expect(response.statusCode, response.body).toBe(401);
    expect(response.json()).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/token/) });
  });

  it('anonymous uploads get 401 before their multipart is read', async () => {
    for (const url of [documentsOf(context), '/api/intake']) {
      const response = await harness.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'multipart/form-data' },
        payload: 'no boundary at all',
      });
      expect(response.statusCode, response.body).toBe(401);
    }
  });

  it('the archive still answers after all of it', async () => {
    expect((await harness.app.inject({ url: '/health' })).statusCode).toBe(200);
    const order = await harness.app.inject({ url: `/api/orders/${context.order}`, headers: editor });
    expect(order.statusCode).toBe(200);
  });
});
