// `npm run cli -- token create`: prints a token once, stores only its hash, and the token works;
// `user create --editor`: the first editor, with a one-time link to set a password or one from stdin.
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../server/auth/apiTokens.ts';
import { verifyPassword } from '../server/auth/passwords.ts';
import { hashSecret } from '../server/auth/secrets.ts';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  createOutletWithToken,
  editor,
  fileOrder,
} from './support/apiClient.ts';
import { waitForDocument } from './support/documentWaiting.ts';
import { multipartBody } from './support/multipartBody.ts';
import { createTestApp, createTestDatabase, type TestDatabase } from './support/testApp.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function cli(args: string[], databaseUrl: string, input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
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
    // The command's error names its input, not a request path.
    expect(unknownOutlet.stderr).toMatch(/^outlet: there is no outlet 'nobody'$/m);
    expect(unknownOutlet.stderr).not.toMatch(/body\//);
    const noOutlet = cli(['token', 'create', '--name', 'x', '--role', 'outlet'], database.url);
    expect(noOutlet.status).toBe(1);
    expect(noOutlet.stderr).toMatch(/--outlet/);
    const wrongRole = cli(['token', 'create', '--name', 'x', '--role', 'king'], database.url);
    expect(wrongRole.status).toBe(2);
    expect(wrongRole.stderr).toMatch(/--role must be editor or outlet/);
  });
});

describe('the user CLI', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
  });
  afterAll(() => harness.close());

  it('creates the first editor with no password, and a one-time link on stdout that sets one', async () => {
    const result = cli(
      ['user', 'create', '--email', 'First@Archive.example', '--name', 'First Editor', '--editor'],
      harness.databaseUrl,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\/password-reset#tal_[A-Za-z0-9_-]{43}\n$/);
    expect(result.stderr).toMatch(/Created editor #\d+ first@archive\.example, with no password yet/);
    expect(result.stderr).toContain('/api/password-resets/complete');
    const token = result.stdout.trim().split('#')[1]!;
    const { rows } = await harness.db.query(
      `SELECT u.id, u.is_editor, u.password_hash, l.secret_hash FROM users u
         JOIN account_links l ON l.user_id = u.id AND l.purpose = 'password_reset'
        WHERE u.email = 'first@archive.example'`,
    );
    expect(rows).toEqual([
      { id: expect.any(Number), is_editor: true, password_hash: null, secret_hash: hashSecret(token) },
    ]);

    const password = 'the first editor password';
    const set = await harness.app.inject({
      method: 'POST',
      url: '/api/password-resets/complete',
      payload: { token, password },
    });
    expect(set.statusCode, set.body).toBe(204);
    const after = await harness.db.query('SELECT password_hash FROM users WHERE id = $1', [rows[0].id]);
    expect(await verifyPassword(after.rows[0].password_hash, password)).toBe(true);
    const audit = await harness.db.query(
      `SELECT action, actor FROM audit_log WHERE action IN ('user.create', 'password_reset.create') ORDER BY id`,
    );
    expect(audit.rows).toEqual([
      { action: 'user.create', actor: 'editor:npm run cli' },
      { action: 'password_reset.create', actor: 'editor:npm run cli' },
    ]);
  });

  it('takes the password from stdin instead, and refuses what it cannot make', async () => {
    const args = ['user', 'create', '--email', 'second@archive.example', '--name', 'Second', '--editor'];
    const short = cli([...args, '--password-stdin'], harness.databaseUrl, 'short\n');
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/^password: a password needs at least 10 characters$/m);
    const created = cli([...args, '--password-stdin'], harness.databaseUrl, 'piped and long enough\n');
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toBe('');
    const { rows } = await harness.db.query(
      `SELECT password_hash FROM users WHERE email = 'second@archive.example'`,
    );
    expect(await verifyPassword(rows[0].password_hash, 'piped and long enough')).toBe(true);

    const again = cli(args, harness.databaseUrl);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already a user with the e-mail second@archive\.example/);
    for (const [bad, message] of [
      [['user', 'create', '--email', 'x@archive.example', '--name', 'X'], /add --editor/],
      [['user', 'create', '--name', 'X', '--editor'], /--email must be an e-mail address/],
      [['user', 'create', '--email', 'not an address', '--name', 'X', '--editor'], /--email/],
      [['user', 'create', '--email', 'x@archive.example', '--editor'], /--name/],
    ] as const) {
      const refused = cli([...bad], harness.databaseUrl);
      expect(refused.status, bad.join(' ')).toBe(2);
      expect(refused.stderr).toMatch(message);
      expect(refused.stderr).toMatch(/user create --email EMAIL --name NAME --editor/);
    }
  });
});

describe('the documents CLI', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
  });
  afterAll(() => harness.close());

  it('queues again the documents that failed (say, while OCR was missing), and they are read this time', async () => {
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const order = await fileOrder(harness.app, editor, { authority });
    const body = multipartBody([
      { name: 'order', filename: 'demand.txt', content: 'Предписание Роскомнадзора № 7' },
      { name: 'evidence', filename: 'note.txt', content: 'Скриншот публикации' },
    ]);
    const uploaded = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${order.id}/documents`,
      headers: { ...editor, ...body.headers },
      payload: body.payload,
    });
    const [failed, fine] = uploaded.json().documents as { id: number }[];
    for (const document of [failed!, fine!]) await waitForDocument(harness.app, document.id, editor);
    // As the archive leaves a file it could not read.
    await harness.app.db.query(
      `UPDATE documents SET status = 'failed', status_reason = 'OCR is unavailable' WHERE id = $1`,
      [failed!.id],
    );

    const result = cli(
      ['documents', 'reprocess', '--status', 'failed,partial', '--ocr-languages', 'kir+rus+eng'],
      harness.databaseUrl,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Queued 1 document for extraction again/);
    const again = await waitForDocument(harness.app, failed!.id, editor);
    expect(again).toMatchObject({ status: 'extracted', status_reason: null, ocr_languages: 'kir+rus+eng' });
    const untouched = (
      await harness.app.inject({ url: `/api/documents/${fine!.id}`, headers: editor })
    ).json();
    expect(untouched.ocr_languages).toBe('kaz+rus+eng');
    const audit = await harness.app.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'document.reprocess' AND record_id = $1`,
      [String(failed!.id)],
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('refuses to guess which documents are meant', async () => {
    for (const [args, message] of [
      [['documents', 'reprocess'], /--status .*--order/],
      [['documents', 'reprocess', '--status', 'broken'], /--status: broken is not one of pending, /],
      [['documents', 'reprocess', '--order', 'TD-1'], /--order/],
      [['documents', 'reprocess', '--status', 'failed', '--ocr-languages', 'rus; rm'], /--ocr-languages/],
    ] as const) {
      const result = cli([...args], harness.databaseUrl);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe('the CLI and the running archive', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const run = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('refuses to start a second database when no archive runs on its DATA_DIR, naming what to set', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-cli-'));
    dirs.push(dataDir);
    const result = run(['token', 'create', '--name', 'desk', '--role', 'editor'], { DATA_DIR: dataDir });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`No archive is running on DATA_DIR ${dataDir}`);
    expect(result.stderr).toMatch(/DATABASE_URL/);
    expect(result.stderr).toContain(`--data-dir ${dataDir}`);
    // Nothing was started or created there.
    expect(await readdir(dataDir)).toEqual([]);
  });

  it("with --data-dir, works on that DATA_DIR's own database and prints only the token on stdout", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'takedown-cli-'));
    await chmod(dataDir, 0o755); // as root, PostgreSQL's own user must enter it
    dirs.push(dataDir);
    const result = run(['token', 'create', '--name', 'desk', '--role', 'editor', '--data-dir', dataDir], {});
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ta_[A-Za-z0-9_-]{40,}\n$/);
    expect(await readdir(dataDir)).toContain('postgres');
  }, 120_000);
});
