// Every 4xx/5xx answer, whoever raised it (a schema, Fastify, the multipart reader, the caller check, a
// command, search), has the same body: statusCode, error, a machine-readable code and a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  bearer,
  createOutletWithToken,
  editor,
} from '../support/apiClient.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';

const MAX_UPLOAD_BYTES = 4096;

interface Case {
  name: string;
  status: number;
  code: string;
  request: () => {
    method?: 'GET' | 'POST' | 'PATCH';
    url: string;
    headers?: Record<string, string>;
    payload?: string | object | Buffer;
  };
  message?: RegExp;
}

describe('error bodies', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let outlet: Awaited<ReturnType<typeof createOutletWithToken>>;
  let stranger: Awaited<ReturnType<typeof createOutletWithToken>>;
  let authority: string;
  let privateOrder: string;
  let filedTag: string;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) });
    outlet = await createOutletWithToken(harness.app, 'errors-own');
    stranger = await createOutletWithToken(harness.app, 'errors-stranger');
    authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const filed = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: outlet.headers,
      payload: { authority },
    });
    privateOrder = filed.json().id;
    filedTag = filed.headers.etag as string;
    // Changed since filedTag was read.
    await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${privateOrder}/responses`,
      headers: outlet.headers,
      payload: { kind: 'refusal' },
    });
  });
  afterAll(() => harness.close());

  const upload = (parts: Parameters<typeof multipartBody>[0]) => {
    const body = multipartBody(parts);
    return {
      method: 'POST' as const,
      url: `/api/orders/${privateOrder}/documents`,
      headers: { ...outlet.headers, ...body.headers },
      payload: body.payload,
    };
  };

  const cases: Case[] = [
    {
      name: 'a body its schema refuses',
      status: 400,
      code: 'invalid_input',
      request: () => ({ method: 'POST', url: '/api/orders', headers: editor, payload: { colour: 'red' } }),
    },
    {
      name: 'a malformed id',
      status: 400,
      code: 'invalid_input',
      request: () => ({ url: '/api/orders/robert' }),
      message: /params\/id/,
    },
    {
      name: 'malformed JSON',
      status: 400,
      code: 'invalid_input',
      request: () => ({
        method: 'POST',
        url: '/api/orders',
        headers: { ...editor, 'content-type': 'application/json' },
        payload: '{"authority": ',
      }),
    },
    {
      name: 'a rule a command checks, naming the field as a path',
      status: 400,
      code: 'invalid_input',
      request: () => ({
        method: 'POST',
        url: '/api/orders',
        headers: editor,
        payload: { authority: 'no-such-body' },
      }),
      message: /^body\/authority: there is no authority 'no-such-body'$/,
    },
    {
      name: 'an unknown route',
      status: 404,
      code: 'route_not_found',
      request: () => ({ url: '/api/no-such-thing' }),
    },
    {
      name: 'an unknown token',
      status: 401,
      code: 'unauthorized',
      request: () => ({ url: '/api/orders', headers: bearer('ta_not-a-real-token') }),
    },
    {
      name: 'an Authorization header that is not Bearer',
      status: 401,
      code: 'unauthorized',
      request: () => ({ url: '/api/orders', headers: { authorization: 'Basic eDp5' } }),
    },
    {
      name: 'a write without a token',
      status: 401,
      code: 'unauthorized',
      request: () => ({ method: 'POST', url: '/api/orders', payload: { authority } }),
    },
    {
      name: 'an outlet token on an editor route',
      status: 403,
      code: 'forbidden',
      request: () => ({
        method: 'POST',
        url: '/api/authorities',
        headers: outlet.headers,
        payload: { slug: 'x-body', name: 'X', country: 'RU', kind: 'regulator' },
      }),
    },
    {
      name: 'an outlet token naming another outlet',
      status: 403,
      code: 'forbidden',
      request: () => ({
        method: 'POST',
        url: '/api/orders',
        headers: outlet.headers,
        payload: { authority, outlet: 'errors-stranger' },
      }),
      message: /^body\/outlet: you may only file orders for your own outlets/,
    },
    {
      name: 'a missing order',
      status: 404,
      code: 'not_found',
      request: () => ({ url: '/api/orders/TD-2020-99999', headers: editor }),
    },
    {
      name: 'an order hidden from the caller',
      status: 404,
      code: 'not_found',
      request: () => ({ url: `/api/orders/${privateOrder}`, headers: stranger.headers }),
    },
    {
      name: 'a missing document',
      status: 404,
      code: 'not_found',
      request: () => ({ url: '/api/documents/99999999', headers: editor }),
    },
    {
      name: 'a slug already taken',
      status: 409,
      code: 'conflict',
      request: () => ({
        method: 'POST',
        url: '/api/outlets',
        headers: editor,
        payload: { slug: 'errors-own', name: 'Again' },
      }),
    },
    {
      name: 'a change based on a story read before it changed',
      status: 412,
      code: 'order_changed',
      request: () => ({
        method: 'PATCH',
        url: `/api/orders/${privateOrder}`,
        headers: { ...outlet.headers, 'if-match': filedTag },
        payload: { status: 'refused' },
      }),
    },
    {
      name: 'a change without If-Match',
      status: 428,
      code: 'if_match_required',
      request: () => ({
        method: 'PATCH',
        url: `/api/orders/${privateOrder}`,
        headers: outlet.headers,
        payload: { status: 'refused' },
      }),
    },
    {
      name: 'a JSON body over the limit',
      status: 413,
      code: 'too_large',
      request: () => ({
        method: 'POST',
        url: '/api/orders',
        headers: { ...editor, 'content-type': 'application/json' },
        payload: JSON.stringify({ authority, summary: 'x'.repeat(2 * 1024 * 1024) }),
      }),
    },
    {
      name: 'an uploaded file over the limit',
      status: 413,
      code: 'too_large',
      request: () =>
        upload([{ name: 'order', filename: 'big.txt', content: 'x'.repeat(MAX_UPLOAD_BYTES * 2) }]),
    },
    {
      name: 'an upload under a field that is not a role',
      status: 400,
      code: 'invalid_input',
      request: () => upload([{ name: 'poster', filename: 'a.txt', content: 'x' }]),
      message: /^body\/poster: a file's field name is its role/,
    },
    {
      name: 'an upload sent as JSON',
      status: 400,
      code: 'invalid_input',
      request: () => ({
        method: 'POST',
        url: `/api/orders/${privateOrder}/documents`,
        headers: outlet.headers,
        payload: {},
      }),
      message: /multipart/,
    },
    {
      name: 'a body of a type no route reads',
      status: 415,
      code: 'unsupported_media_type',
      request: () => ({
        method: 'POST',
        url: '/api/orders',
        headers: { ...editor, 'content-type': 'application/xml' },
        payload: '<order/>',
      }),
    },
    {
      name: 'a bad URL in a search, naming the query parameter',
      status: 400,
      code: 'invalid_input',
      request: () => ({ url: '/api/search/pages?q=x&url=ftp%3A%2F%2Fnope' }),
      message: /^querystring\/url: /,
    },
    {
      name: 'an unknown outlet in a list filter, naming the query parameter',
      status: 400,
      code: 'invalid_input',
      request: () => ({ url: '/api/articles?outlet=nobody' }),
      message: /^querystring\/outlet: there is no outlet 'nobody'$/,
    },
    {
      name: 'a search while the index does not exist yet',
      status: 503,
      code: 'search_index_building',
      request: () => ({ url: '/api/search?q=anything' }),
      message: /being built/,
    },
  ];

  it.each(cases)('$name → $status $code', async ({ status, code, request, message }) => {
    const response = await harness.app.inject(request());
    expect(response.statusCode, response.body).toBe(status);
    const body = response.json();
    expect(body).toEqual({
      statusCode: status,
      error: expect.any(String),
      code,
      message: expect.any(String),
    });
    expect(body.message.length).toBeGreaterThan(0);
    if (message) expect(body.message).toMatch(message);
  });

  it('lists every code it tests among the codes OpenAPI documents', async () => {
    const spec = (await harness.app.inject({ url: '/docs/json' })).json();
    // The shared schema, whatever key the OpenAPI generator gives it.
    const schema = Object.values(
      spec.components.schemas as Record<string, { properties?: Record<string, unknown> }>,
    ).find((candidate) => candidate.properties?.statusCode && candidate.properties?.code) as {
      properties: { code: { enum: string[] } };
      required: string[];
      description: string;
    };
    const documented = schema.properties.code.enum;
    for (const { code } of cases) expect(documented).toContain(code);
    expect(schema.required).toContain('code');
    expect(schema.description).toMatch(/`order_changed`/);
  });
});
