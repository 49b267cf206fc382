// No secret in clear: passwords, session cookies and their CSRF secrets and tokens, API tokens of every kind
// and one-time links are stored only as hashes, and none reaches the log at any level, whether it came in
// an Authorization header, a Cookie, a URL or a body. The test makes them, uses them against the running
// app with its log at trace, then reads every row of every table of the database and every log line.
import csrfTokens from '@fastify/csrf';
import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/auth/apiTokens.ts';
import { operatorCaller } from '../../server/auth/caller.ts';
import { verifyPassword } from '../../server/auth/passwords.ts';
import { hashSecret, newSecret } from '../../server/auth/secrets.ts';
import { csrfSecretOf, SESSION_COOKIE, startSession } from '../../server/auth/sessions.ts';
import { createUser, setMembership } from '../../server/commands/userAccounts.ts';
import { createLogger } from '../../server/logger.ts';
import { ADMIN_TOKEN, authorityByAlias, bearer, createOutletWithToken } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

const HOUR = 3600_000;

/** Every value must be absent as it is, in any letter case, and as it appears inside a JSON string. */
function findIn(haystack: string, secrets: Map<string, string>): string[] {
  const lower = haystack.toLowerCase();
  return [...secrets]
    .filter(([, value]) => {
      const forms = [value, JSON.stringify(value).slice(1, -1)];
      return forms.some((form) => haystack.includes(form) || lower.includes(form.toLowerCase()));
    })
    .map(([what]) => what);
}

describe('no secret in clear, in the database or in the logs', () => {
  const logLines: string[] = [];
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  /** What each secret is (for messages) → its value. */
  const secrets = new Map<string, string>();
  /** The sha256 forms the database must hold: proof that the dump reads the real tables. */
  const hashes = new Map<string, string>();
  /** Each user's e-mail → password, to check against the argon2id hash the dump holds. */
  const passwords = new Map<string, string>();
  const requestedUrls: string[] = [];

  beforeAll(async () => {
    harness = await createTestApp(
      { ADMIN_TOKEN, LOG_LEVEL: 'trace' },
      { logStream: { write: (line: string) => void logLines.push(line) } },
    );
    const { app, db } = harness;
    const setUp = operatorCaller('secrets test set-up');
    const unique = randomBytes(6).toString('hex');
    const outlet = await createOutletWithToken(app, 'secrets-outlet');
    const authority = (await authorityByAlias(app, 'Роскомнадзор')).slug;
    secrets.set('ADMIN_TOKEN', ADMIN_TOKEN);
    secrets.set('outlet token (CLI)', outlet.headers.authorization.replace(/^Bearer /, ''));
    hashes.set('outlet token (CLI)', hashSecret(secrets.get('outlet token (CLI)')!));

    const userIds: Record<string, number> = {};
    const people = [
      { key: 'editor', password: `Editor-${unique}-Пароль-Зима`, isEditor: true },
      { key: 'member', password: `Member-${unique}-correct horse` },
      { key: 'researcher', password: `Researcher-${unique}-"quoted"`, researcherUntil: 'infinity' },
    ];
    for (const person of people) {
      const email = `${person.key}-${unique}@secrets.example`;
      userIds[person.key] = await createUser(db, setUp, {
        email,
        displayName: person.key,
        password: person.password,
        isEditor: person.isEditor,
        researcherUntil: person.researcherUntil,
      });
      secrets.set(`${person.key}'s password`, person.password);
      passwords.set(email, person.password);
    }
    await setMembership(db, setUp, { userId: userIds.member!, outletId: outlet.outlet.id, role: 'admin' });

    const tokens = {
      editor: { name: 'editor', role: 'editor' },
      outlet: { name: 'outlet', role: 'outlet', outletId: outlet.outlet.id },
      user: { name: 'user', role: 'user', userId: userIds.member },
      'editor narrowed to one outlet': {
        name: 'narrowed',
        role: 'user',
        userId: userIds.editor,
        outletId: outlet.outlet.id,
      },
      'read-only': { name: 'read-only', role: 'user', userId: userIds.member, readOnly: true },
      expiring: {
        name: 'expiring',
        role: 'user',
        userId: userIds.member,
        expiresAt: new Date(Date.now() + HOUR),
      },
      expired: {
        name: 'expired',
        role: 'user',
        userId: userIds.member,
        expiresAt: new Date(Date.now() - HOUR),
      },
      researcher: { name: 'researcher', role: 'user', userId: userIds.researcher },
    } as const;
    for (const [kind, input] of Object.entries(tokens)) {
      const { token } = await createApiToken(db, input);
      secrets.set(`${kind} token`, token);
      hashes.set(`${kind} token`, hashSecret(token));
    }
    secrets.set('a token nobody made', newSecret('ta_'));

    const sessions: { cookie: string; csrfToken: string }[] = [];
    for (const key of ['editor', 'member']) {
      const session = await startSession(db, {
        userId: userIds[key]!,
        userAgent: 'Mozilla/5.0 (secrets test)',
        address: '203.0.113.7',
        lifetimeHours: 1,
      });
      const csrfToken = csrfTokens().create(csrfSecretOf(session.secret));
      secrets.set(`${key}'s session`, session.secret);
      secrets.set(`${key}'s session CSRF secret`, csrfSecretOf(session.secret));
      secrets.set(`${key}'s session CSRF token`, csrfToken);
      hashes.set(`${key}'s session`, hashSecret(session.secret));
      sessions.push({ cookie: `${SESSION_COOKIE}=${session.secret}`, csrfToken });
    }

    // One-time links, as the accounts code makes them: the secret goes in a mail, its sha256 in the table.
    const invitation = newSecret('tal_');
    const reset = newSecret('tal_');
    await db.query(
      `INSERT INTO account_links (purpose, secret_hash, email, outlet_id, role, created_by_user_id, expires_at)
       VALUES ('invitation', $1, $2, $3, 'member', $4, now() + interval '7 days')`,
      [hashSecret(invitation), `invitee-${unique}@secrets.example`, outlet.outlet.id, userIds.member],
    );
    await db.query(
      `INSERT INTO account_links (purpose, secret_hash, email, user_id, expires_at)
       VALUES ('password_reset', $1, $2, $3, now() + interval '1 hour')`,
      [hashSecret(reset), `member-${unique}@secrets.example`, userIds.member],
    );
    for (const [what, secret] of [
      ['invitation link', invitation],
      ['password reset link', reset],
    ] as const) {
      secrets.set(what, secret);
      hashes.set(what, hashSecret(secret));
    }

    const send = async (options: InjectOptions) => {
      requestedUrls.push(String(options.url));
      return app.inject(options);
    };
    const order = { authority, visibility: 'private', summary: 'filed in the secrets test' };
    // Every token, good or bad, in an Authorization header: a read and a write.
    for (const [what, value] of secrets) {
      if (!/token$|^ADMIN_TOKEN$/.test(what) || what.includes('CSRF')) continue;
      await send({ method: 'GET', url: '/api/orders?limit=5', headers: bearer(value) });
      await send({ method: 'POST', url: '/api/orders', headers: bearer(value), payload: order });
    }
    // Sessions in a Cookie header: a read, a write with the CSRF token (header, then form field), one without.
    for (const { cookie, csrfToken } of sessions) {
      await send({ method: 'GET', url: '/api/orders?limit=5', headers: { cookie } });
      const withHeader = await send({
        method: 'POST',
        url: '/api/orders',
        headers: { cookie, 'x-csrf-token': csrfToken },
        payload: order,
      });
      expect(withHeader.statusCode, withHeader.body).toBe(201);
      await send({
        method: 'POST',
        url: '/api/orders',
        headers: { cookie },
        payload: { ...order, _csrf: csrfToken },
      });
      await send({ method: 'POST', url: '/api/orders', headers: { cookie }, payload: order });
    }
    // Links where a browser carries them: in the path and in the query string.
    for (const link of [invitation, reset]) {
      await send({ method: 'GET', url: `/api/account-links/${link}` });
      await send({ method: 'GET', url: `/accept-invitation?link=${link}` });
      await send({ method: 'GET', url: `/api/orders?link=${link}` });
      await send({ method: 'POST', url: '/api/orders', headers: bearer(ADMIN_TOKEN), payload: { link } });
    }
    // Passwords in bodies: JSON the schema refuses, JSON that does not parse, and a form nothing reads.
    for (const password of passwords.values()) {
      const refused = await send({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(ADMIN_TOKEN),
        payload: { ...order, password },
      });
      expect(refused.statusCode, refused.body).toBe(400);
      await send({
        method: 'POST',
        url: '/api/orders',
        headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'application/json' },
        payload: `{"password": ${JSON.stringify(password)}, "authority"`,
      });
      // Unquoted, as a shell script sends it: JSON.parse quotes the text near its error.
      await send({
        method: 'POST',
        url: '/api/orders',
        headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'application/json' },
        payload: `{"password": ${password}}`,
      });
      await send({
        method: 'POST',
        url: '/api/orders',
        headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `password=${encodeURIComponent(password)}`,
      });
    }
    // Stamps of last use are written in the background: let them land before the tables are read.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }, 120_000);
  afterAll(() => harness?.close());

  /** Every row of every table of the database, one JSON text each, by table. */
  async function dumpDatabase(): Promise<Map<string, string[]>> {
    const { rows: tables } = await harness.db.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const dump = new Map<string, string[]>();
    for (const { schema, name } of tables) {
      const { rows } = await harness.db.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM ${quote(schema)}.${quote(name)} t`,
      );
      dump.set(
        `${schema}.${name}`,
        rows.map((row) => row.row),
      );
    }
    return dump;
  }

  it('stores every password, session, token and link only as its hash', async () => {
    const dump = await dumpDatabase();
    expect([...dump.keys()]).toEqual(
      expect.arrayContaining([
        'public.users',
        'public.sessions',
        'public.api_tokens',
        'public.account_links',
      ]),
    );
    const everything = [...dump.entries()].map(([table, rows]) => `${table}\n${rows.join('\n')}`).join('\n');
    expect(findIn(everything, secrets), 'secrets stored in clear').toEqual([]);
    const missing = [...hashes].filter(([, hash]) => !everything.includes(hash)).map(([what]) => what);
    expect(missing, 'hashes the dump should hold').toEqual([]);
    const users = dump
      .get('public.users')!
      .map((row) => JSON.parse(row) as { email: string; password_hash: string });
    for (const [email, password] of passwords) {
      const user = users.find((row) => row.email === email)!;
      expect(user.password_hash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(user.password_hash, password), email).toBe(true);
    }
    // The audit log holds a record of the session's write, but not the session's secret.
    expect(dump.get('public.audit_log')!.some((row) => /"session_id":\d+/.test(row))).toBe(true);
  });

  it('writes none of them to the log, at any level, from headers, cookies, URLs or bodies', () => {
    const log = logLines.join('');
    // The log is real: the requests were logged, with their URLs (the links in them masked).
    expect(logLines.length).toBeGreaterThan(requestedUrls.length);
    expect(log).toContain('"msg":"incoming request"');
    expect(log).toContain('/api/account-links/tal_');
    expect(findIn(log, secrets), 'secrets in the log').toEqual([]);
  });

  it('redacts credentials wherever a log record carries headers, and any secret of ours in any text', () => {
    const lines: string[] = [];
    const logger = createLogger(
      { LOG_LEVEL: 'trace', LOG_FORMAT: 'json' },
      { write: (line) => void lines.push(line) },
    );
    const token = newSecret('ta_');
    const session = newSecret('tas_');
    const link = newSecret('tal_');
    const headers = {
      authorization: `Bearer ${token}`,
      cookie: `${SESSION_COOKIE}=${session}`,
      'set-cookie': [`${SESSION_COOKIE}=${session}; Path=/; HttpOnly`],
      'x-csrf-token': 'csrf-token-in-a-header',
    };
    logger.info({ req: { headers }, res: { headers } }, 'request and reply headers');
    logger.info({ headers }, 'headers alone');
    logger.info({ body: { password: 'a body password', email: 'someone@example.org' } }, 'a body');
    logger.info({ url: `/accept-invitation?link=${link}` }, `a link ${link} and a token ${token} in text`);
    // The app's own logger (Fastify's child of it, with its serializers) redacts the same.
    const appLines = logLines.length;
    harness.app.log.info({ headers, reply: { headers } }, 'headers through the app');
    lines.push(...logLines.slice(appLines));
    expect(lines.length).toBe(5);
    const secretsHere = new Map([
      ['token', token],
      ['session', session],
      ['link', link],
      ['CSRF token', 'csrf-token-in-a-header'],
      ['password', 'a body password'],
    ]);
    const log = lines.join('');
    expect(findIn(log, secretsHere)).toEqual([]);
    expect(log).toContain('[redacted]');
    expect(log).toContain('someone@example.org');
  });
});
