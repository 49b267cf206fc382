// Nothing a client or a sick PostgreSQL does may hold a request for ever: a body that stops arriving is
// cut off with 408 (an upload that keeps arriving may take as long as it needs), and a frozen PostgreSQL
// is answered with 503 naming it, after which everything works again and nothing is half-written.
// The archive runs as `npm start` runs it, with its own embedded PostgreSQL: freezing the one shared by
// the other test files would stall them all.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../server/auth/apiTokens.ts';
import { findFreePort } from '../server/runtime/dataDirState.ts';
import {
  processesMentioning,
  startArchive,
  waitFor,
  waitUntilHealthy,
  type ArchiveProcess,
} from './support/archiveProcess.ts';
import { multipartBody } from './support/multipartBody.ts';

const ADMIN_TOKEN = 'hangs-admin-token-0123456789abcdefghijkl';
const BODY_TIMEOUT_MS = 1500;
const STATEMENT_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 1000;
/** A request may wait for a connection, then for one query (statement timeout + the client's margin). */
const DATABASE_BOUND_MS = CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 2000 + 2000;

interface SlowExchange {
  /** Everything the server sent back. */
  response: string;
  /** When the server closed the connection, counted from the last byte sent; undefined if it never did. */
  closedAfterMs: number | undefined;
}

/**
 * Sends `head`, then each chunk after its pause, over one connection; gives up after `limitMs` of waiting
 * for the server once the chunks are sent.
 */
function sendSlowly(
  port: number,
  head: string,
  chunks: { data: string | Buffer; afterMs: number }[],
  limitMs: number,
): Promise<SlowExchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let lastSentAt = Date.now();
    let settled = false;
    const finish = (closedAfterMs: number | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      socket.destroy();
      resolve({ response, closedAfterMs });
    };
    let limit: NodeJS.Timeout | undefined;
    socket.on('data', (chunk) => (response += chunk.toString()));
    socket.on('close', () => finish(Date.now() - lastSentAt));
    socket.on('error', () => undefined);
    socket.once('connect', async () => {
      try {
        socket.write(head);
        lastSentAt = Date.now();
        for (const chunk of chunks) {
          await new Promise((done) => setTimeout(done, chunk.afterMs));
          if (socket.destroyed) break;
          socket.write(chunk.data);
          lastSentAt = Date.now();
        }
        limit = setTimeout(() => finish(undefined), limitMs);
      } catch (error) {
        reject(error);
      }
    });
  });
}

function statusOf(response: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return match ? Number(match[1]) : undefined;
}

function bodyOf(response: string): Record<string, unknown> {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

/** The postmaster of the PostgreSQL in `dataDir` and every process it started (its backends). */
function postgresProcesses(dataDir: string): number[] {
  const postmaster = Number(
    readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while we looked
    }
  }
  const tree = [postmaster];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of parentOf) if (parent === tree[i]) tree.push(pid);
  }
  return tree;
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // exited
    }
  }
}

describe('stalled clients and a frozen PostgreSQL', () => {
  let dir: string;
  let port: number;
  let archive: ArchiveProcess;
  let token: string;
  let frozen: number[] = [];
  const auth = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'takedown-hangs-'));
    await chmod(dir, 0o755);
    port = await findFreePort();
    archive = startArchive({
      DATA_DIR: dir,
      PORT: String(port),
      ADMIN_TOKEN,
      RUN_WORKER: 'false',
      MEILI_INDEXING_MEMORY_MB: '256',
      REQUEST_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    const health = await waitUntilHealthy(archive.url);
    if (health?.status !== 200) throw new Error(`the archive did not start:\n${archive.output()}`);
    const state = JSON.parse(await readFile(path.join(dir, 'runtime.json'), 'utf8'));
    const client = new pg.Client({
      connectionString: `postgres://postgres:${encodeURIComponent(state.postgresPassword)}@127.0.0.1:${state.postgresPort}/takedown_archive`,
    });
    await client.connect();
    token = (await createApiToken(client, { name: 'hangs desk', role: 'editor' })).token;
    await client.end();
  }, 120_000);

  afterAll(async () => {
    signalAll(frozen, 'SIGCONT');
    if (archive && archive.child.exitCode === null) {
      archive.child.kill('SIGTERM');
      const exited = await Promise.race([
        archive.exited,
        new Promise((done) => setTimeout(() => done('timeout'), 30_000)),
      ]);
      if (exited === 'timeout') archive.child.kill('SIGKILL');
    }
    for (const { pid } of processesMentioning(dir)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('answers a JSON body that stops arriving with 408 and closes the connection', async () => {
    const body = JSON.stringify({ slug: 'stalled', name: 'Stalled', domains: [] });
    const exchange = await sendSlowly(
      port,
      `POST /api/outlets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      [{ data: body.slice(0, 10), afterMs: 0 }],
      BODY_TIMEOUT_MS + 5000,
    );
    expect(statusOf(exchange.response), exchange.response).toBe(408);
    expect(bodyOf(exchange.response)).toMatchObject({ statusCode: 408, code: 'request_timeout' });
    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 100);
    expect(exchange.closedAfterMs).toBeLessThan(BODY_TIMEOUT_MS + 3000);
  });

  it('cuts off an upload that stops arriving and keeps no part of it', async () => {
    const { payload, headers } = multipartBody([
      {
        name: 'file',
        filename: 'demand.txt',
        contentType: 'text/plain',
        content: 'Требование. '.repeat(2000),
      },
    ]);
    const exchange = await sendSlowly(
      port,
      `POST /api/intake?wait=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
        `Content-Type: ${headers['content-type']}\r\nContent-Length: ${payload.length}\r\n\r\n`,
      [{ data: payload.subarray(0, payload.length / 2), afterMs: 0 }],
      BODY_TIMEOUT_MS + 5000,
    );
    expect(statusOf(exchange.response), exchange.response).toBe(408);
    expect(exchange.closedAfterMs).toBeLessThan(BODY_TIMEOUT_MS + 3000);
    const left = await waitFor(
      () => readdir(path.join(dir, 'blobs', 'tmp')).catch(() => []),
      (files) => files.length === 0,
      3000,
    );
    expect(left).toEqual([]);
  });

  it('lets an upload that keeps arriving take longer than the timeout', async () => {
    const { payload, headers } = multipartBody([
      { name: 'file', filename: 'slow.txt', contentType: 'text/plain', content: 'Медленно. '.repeat(4000) },
    ]);
    const pieces = 6;
    const size = Math.ceil(payload.length / pieces);
    const exchange = await sendSlowly(
      port,
      `POST /api/intake?wait=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
        `Connection: close\r\nContent-Type: ${headers['content-type']}\r\nContent-Length: ${payload.length}\r\n\r\n`,
      Array.from({ length: pieces }, (_, i) => ({
        data: payload.subarray(i * size, (i + 1) * size),
        afterMs: BODY_TIMEOUT_MS / 2,
      })),
      10_000,
    );
    // Six pauses of half the timeout: the whole body took twice the timeout, but was never idle that long.
    expect(statusOf(exchange.response), exchange.response).toBe(201);
  });

  it('answers 503 naming PostgreSQL while it is frozen, then works again with nothing half-written', async () => {
    const authorities = (await (await fetch(`${archive.url}/api/authorities?limit=100`)).json()) as {
      items: { slug: string; aliases: string[] }[];
    };
    const authority = authorities.items.find((a) => a.aliases.includes('Роскомнадзор'))!.slug;
    const before = await fetch(`${archive.url}/api/orders`, { headers: auth() });
    expect(before.status).toBe(200);
    const marker = `frozen-${randomBytes(4).toString('hex')}`;

    frozen = postgresProcesses(dir);
    expect(frozen.length).toBeGreaterThan(1);
    signalAll(frozen, 'SIGSTOP');
    let read: Response, write: Response, healthMs: number, healthStatus: number;
    const started = Date.now();
    try {
      const healthStarted = Date.now();
      [read, write, healthStatus] = await Promise.all([
        fetch(`${archive.url}/api/orders`, { headers: auth(), signal: AbortSignal.timeout(20_000) }),
        fetch(`${archive.url}/api/orders`, {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/json' },
          body: JSON.stringify({
            authority,
            summary: marker,
            targets: [{ url: `https://frozen.example/${marker}` }],
          }),
          signal: AbortSignal.timeout(20_000),
        }),
        fetch(`${archive.url}/health`, { signal: AbortSignal.timeout(20_000) }).then((response) => {
          healthMs = Date.now() - healthStarted;
          return response.status;
        }),
      ]);
    } finally {
      signalAll(frozen, 'SIGCONT');
      frozen = [];
    }
    expect(Date.now() - started).toBeLessThan(DATABASE_BOUND_MS);
    expect(healthStatus).toBe(503);
    expect(healthMs!).toBeLessThan(3000);
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = (await read.json()) as { code: string; message: string };
    expect(body.code).toBe('database_unavailable');
    expect(body.message).toMatch(/PostgreSQL/);
    expect([201, 503]).toContain(write.status);

    // Thawed: the same caller is served again, and can write.
    const after = await waitFor(
      () => fetch(`${archive.url}/api/orders`, { headers: auth() }).then((r) => r.status),
      (status) => status === 200,
      10_000,
    );
    expect(after).toBe(200);
    const again = await fetch(`${archive.url}/api/orders`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ authority, summary: `${marker}-after` }),
    });
    expect(again.status).toBe(201);

    // The write tried during the freeze is either absent or whole: order, target, audit record, outbox row.
    const state = JSON.parse(await readFile(path.join(dir, 'runtime.json'), 'utf8'));
    const client = new pg.Client({
      connectionString: `postgres://postgres:${encodeURIComponent(state.postgresPassword)}@127.0.0.1:${state.postgresPort}/takedown_archive`,
    });
    await client.connect();
    try {
      // A COMMIT sent just before the freeze may land after it: give it a moment.
      await new Promise((done) => setTimeout(done, 1000));
      const { rows } = await client.query<{ targets: number; audits: number; outbox: number }>(
        `SELECT (SELECT count(*)::int FROM order_targets t WHERE t.order_id = o.id) AS targets,
                (SELECT count(*)::int FROM audit_log a
                  WHERE a.record_type = 'order' AND a.record_id IN (o.id::text, o.public_id)) AS audits,
                (SELECT count(*)::int FROM search_outbox s WHERE s.order_id = o.id) AS outbox
           FROM orders o WHERE o.summary = $1`,
        [marker],
      );
      if (write.status === 201) expect(rows).toHaveLength(1);
      expect(rows.length).toBeLessThanOrEqual(1);
      for (const row of rows) {
        expect(row.targets).toBe(1);
        expect(row.audits).toBeGreaterThanOrEqual(1);
        expect(row.outbox).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await client.end();
    }
  }, 60_000);
});
