// What the search tests share: filing orders and files through the API, waiting until extraction and
// the search relay have caught up, and asking the search API as a given caller.
import type { FastifyInstance } from 'fastify';
import type { Meilisearch } from 'meilisearch';
import type pg from 'pg';
import { multipartBody, type Part } from '../support/multipartBody.ts';

export interface Harness {
  app: FastifyInstance;
  db: pg.Pool;
  meili: Meilisearch;
  config: { MEILI_INDEX_PREFIX: string };
}

/** Waits until no document is being extracted and (unless `outbox` is false) no search_outbox row is pending. */
export async function waitUntilSearchable(
  harness: Pick<Harness, 'db'>,
  timeoutMs = 120_000,
  outbox = true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await harness.db.query<{ extracting: number; pending: number }>(
      `SELECT (SELECT count(*)::int FROM documents WHERE status IN ('pending', 'processing')) AS extracting,
              (SELECT count(*)::int FROM search_outbox WHERE processed_at IS NULL) AS pending`,
    );
    if (rows[0]!.extracting === 0 && (!outbox || rows[0]!.pending === 0)) return;
    if (Date.now() > deadline)
      throw new Error(`not searchable after ${timeoutMs} ms: ${JSON.stringify(rows[0])}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export type Query = Record<string, string | number | boolean | (string | number)[]>;

export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  return params.toString();
}

export async function get(app: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: 'GET', url, headers });
  return response;
}

export async function search(
  app: FastifyInstance,
  query: Query,
  headers: Record<string, string> = {},
  path = '/api/search',
) {
  const response = await get(app, `${path}?${queryString(query)}`, headers);
  if (response.statusCode !== 200) throw new Error(`${path} ${response.statusCode}: ${response.body}`);
  return response.json();
}

export async function uploadFiles(
  app: FastifyInstance,
  headers: Record<string, string>,
  orderId: string,
  parts: Part[],
) {
  const body = multipartBody(parts);
  const response = await app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/documents`,
    headers: { ...headers, ...body.headers },
    payload: body.payload,
  });
  if (response.statusCode !== 201) throw new Error(`uploading to ${orderId}: ${response.body}`);
  return response.json().documents as { id: number }[];
}

export async function changeOrder(
  app: FastifyInstance,
  headers: Record<string, string>,
  orderId: string,
  payload: object,
) {
  const current = await app.inject({ method: 'GET', url: `/api/orders/${orderId}`, headers });
  const response = await app.inject({
    method: 'PATCH',
    url: `/api/orders/${orderId}`,
    headers: { ...headers, 'if-match': current.headers.etag as string },
    payload,
  });
  if (response.statusCode !== 200) throw new Error(`changing ${orderId}: ${response.body}`);
  return response.json();
}

/** Hit ids of a search answer. */
export const ids = (result: { hits: { id: string }[] }) => result.hits.map((hit) => hit.id);
