// `npm run cli -- token create`: prints a token once, stores only its hash, and the token works.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../server/auth/apiTokens.ts';
import { ADMIN_TOKEN, createOutletWithToken } from './support/apiClient.ts';
import { createTestApp, createTestDatabase, type TestDatabase } from './support/testApp.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function cli(args: string[], databaseUrl: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
}

describe('the token CLI', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let database: TestDatabase;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await harness.close();
    await database.drop();
  });

  it('creates an editor token that is stored hashed and lets its holder write', async () => {
    const result = cli(['token', 'create', '--name', 'night desk', '--role', 'editor'], database.url);
    expect(result.status, result.stderr).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^ta_[A-Za-z0-9_-]{40,}$/);
    expect(result.stderr).toMatch(/shown only this once/);
    const { rows } = await database.pool.query('SELECT name, role, token_hash FROM api_tokens');
    expect(rows).toEqual([{ name: 'night desk', role: 'editor', token_hash: hashToken(token) }]);
  });

  it('creates an outlet token bound to its outlet, and refuses bad arguments with usage', async () => {
    const { outlet } = await createOutletWithToken(harness.app, 'kaztag');
    const created = cli(
      ['token', 'create', '--name', 'kaztag desk', '--role', 'outlet', '--outlet', 'kaztag'],
      harness.databaseUrl,
    );
    expect(created.status, created.stderr).toBe(0);
    const authorities = (await harness.app.inject({ method: 'GET', url: '/api/authorities?limit=1' })).json();
    const filed = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { authorization: `Bearer ${created.stdout.trim()}` },
      payload: { authority: authorities.items[0].slug },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json().outlet.id).toBe(outlet.id);

    const unknownOutlet = cli(
      ['token', 'create', '--name', 'x', '--role', 'outlet', '--outlet', 'nobody'],
      database.url,
    );
    expect(unknownOutlet.status).toBe(1);
    expect(unknownOutlet.stderr).toMatch(/no outlet 'nobody'/);
    const noOutlet = cli(['token', 'create', '--name', 'x', '--role', 'outlet'], database.url);
    expect(noOutlet.status).toBe(1);
    expect(noOutlet.stderr).toMatch(/--outlet/);
    const wrongRole = cli(['token', 'create', '--name', 'x', '--role', 'king'], database.url);
    expect(wrongRole.status).toBe(2);
    expect(wrongRole.stderr).toMatch(/--role must be editor or outlet/);
  });
});
