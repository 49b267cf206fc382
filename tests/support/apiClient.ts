// Small conveniences for calling the app the way a client would, in tests.
import type { FastifyInstance } from 'fastify';
import { createApiToken } from '../../server/auth/apiTokens.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghijklmnop';

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

export const editor = bearer(ADMIN_TOKEN);

/** Creates an outlet through the API and an outlet token for it; returns both. */
export async function createOutletWithToken(app: FastifyInstance, slug: string, domains: string[] = []) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/outlets',
    headers: editor,
    payload: { slug, name: slug, domains },
  });
  if (response.statusCode !== 201) throw new Error(`creating outlet ${slug}: ${response.body}`);
  const outlet = response.json() as { id: number; slug: string };
  const { token } = await createApiToken(app.db, {
    name: `${slug} desk`,
    role: 'outlet',
    outletId: outlet.id,
  });
  return { outlet, headers: bearer(token) };
}

/** The seeded authority whose aliases include `alias`. */
export async function authorityByAlias(
  app: FastifyInstance,
  alias: string,
): Promise<{ id: number; slug: string }> {
  const response = await app.inject({ method: 'GET', url: '/api/authorities?limit=100' });
  const found = (
    response.json().items as { id: number; slug: string; aliases: string[]; name: string }[]
  ).find((authority) => authority.aliases.includes(alias) || authority.name === alias);
  if (!found) throw new Error(`no seeded authority with alias ${alias}`);
  return found;
}

/** Files an order through the API as `headers`' caller; fails the test set-up unless it is created. */
export async function fileOrder(app: FastifyInstance, headers: Record<string, string>, payload: object) {
  const response = await app.inject({ method: 'POST', url: '/api/orders', headers, payload });
  if (response.statusCode !== 201) throw new Error(`filing an order: ${response.body}`);
  return response.json() as { id: string; version: number };
}
