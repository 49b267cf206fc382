// What a newcomer sees: `npm start` on an empty DATA_DIR brings up real PostgreSQL and Meilisearch,
// survives Meilisearch dying, shuts down cleanly, and keeps its data for the next start.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../server/runtime/dataDirState.ts';
import {
  getHealth,
  processesMentioning,
  startArchive,
  waitFor,
  waitUntilHealthy,
  type ArchiveProcess,
} from './support/archiveProcess.ts';

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'takedown-start-'));
  await chmod(dir, 0o755);
  return dir;
}

async function databaseUrlOf(dataDir: string): Promise<string> {
  const state = JSON.parse(await readFile(path.join(dataDir, 'runtime.json'), 'utf8'));
  return `postgres://postgres:${encodeURIComponent(state.postgresPassword)}@127.0.0.1:${state.postgresPort}/takedown_archive`;
}

async function stop(archive: ArchiveProcess): Promise<number | null> {
  archive.child.kill('SIGTERM');
  return archive.exited;
}

/** The data folders and archives a describe block starts: whatever is left of them is gone after it. */
function cleanedUpAfterAll() {
  const dirs: string[] = [];
  const running: ArchiveProcess[] = [];
  afterAll(async () => {
    for (const archive of running) if (archive.child.exitCode === null) archive.child.kill('SIGKILL');
    for (const dir of dirs) {
      for (const { pid } of processesMentioning(dir)) process.kill(pid, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
  return { dirs, running };
}

describe('npm start with the embedded servers', () => {
  const { dirs, running } = cleanedUpAfterAll();

  it('starts, runs beside a second archive, survives Meilisearch dying, stops cleanly and keeps data', async () => {
    const [dirA, dirB] = [await freshDataDir(), await freshDataDir()];
    dirs.push(dirA, dirB);
    const a = startArchive({
      DATA_DIR: dirA,
      PORT: String(await findFreePort()),
      MEILI_INDEXING_MEMORY_MB: '512',
    });
    const b = startArchive({ DATA_DIR: dirB, PORT: String(await findFreePort()) });
    running.push(a, b);

    const started = Date.now();
    const [healthA, healthB] = await Promise.all([a, b].map((archive) => waitUntilHealthy(archive.url)));
    expect(healthA, a.output()).toEqual({
      status: 200,
      body: { status: 'ok', postgres: 'up', meilisearch: 'up' },
    });
    expect(healthB, b.output()).toMatchObject({ status: 200 });
    expect(Date.now() - started).toBeLessThan(60_000);

    // Something to find again after a restart.
    const client = new pg.Client({ connectionString: await databaseUrlOf(dirA) });
    await client.connect();
    await client.query(`INSERT INTO installation (key, value) VALUES ('marker', 'kept across restarts')`);
    await client.end();

    // Each Meilisearch indexes within its archive's memory setting, not two thirds of the machine's RAM.
    const meiliA = processesMentioning(dirA).find((p) => p.cmdline.includes('meilisearch'));
    const meiliB = processesMentioning(dirB).find((p) => p.cmdline.includes('meilisearch'));
    expect(meiliA?.cmdline).toContain('--max-indexing-memory 512MiB');
    expect(meiliB?.cmdline).toContain('--max-indexing-memory 1024MiB');

    // Kill A's Meilisearch: A reports it down and keeps answering, then restarts it by itself.
    process.kill(meiliA!.pid, 'SIGKILL');
    const degraded = await waitFor(
      () => getHealth(a.url),
      (h) => h?.status === 503,
      10_000,
    );
    expect(degraded).toEqual({
      status: 503,
      body: { status: 'degraded', postgres: 'up', meilisearch: 'down' },
    });
    const recovered = await waitUntilHealthy(a.url, 30_000);
    expect(recovered?.status).toBe(200);
    // B never noticed.
    expect((await getHealth(b.url))?.status).toBe(200);

    // SIGTERM: exit 0 and no postgres or meilisearch left behind.
    expect(await stop(a)).toBe(0);
    expect(await stop(b)).toBe(0);
    expect(processesMentioning(dirA)).toEqual([]);
    expect(processesMentioning(dirB)).toEqual([]);

    // A second start on the same DATA_DIR reuses the data.
    const again = startArchive({ DATA_DIR: dirA, PORT: String(await findFreePort()) });
    running.push(again);
    const health = await waitUntilHealthy(again.url);
    expect(health?.status, again.output()).toBe(200);
    const check = new pg.Client({ connectionString: await databaseUrlOf(dirA) });
    await check.connect();
    const { rows } = await check.query(`SELECT value FROM installation WHERE key = 'marker'`);
    await check.end();
    expect(rows).toEqual([{ value: 'kept across restarts' }]);
    expect(await stop(again)).toBe(0);
    expect(processesMentioning(dirA)).toEqual([]);
  }, 180_000);

  it('stops with everything it started when a process manager sends SIGTERM to `npm start`', async () => {
    const dir = await freshDataDir();
    dirs.push(dir);
    const archive = startArchive({ DATA_DIR: dir, PORT: String(await findFreePort()) }, 'npm');
    running.push(archive);
    const health = await waitUntilHealthy(archive.url);
    expect(health?.status, archive.output()).toBe(200);
    archive.child.kill('SIGTERM'); // npm's own process, not the node it runs
    await archive.exited;
    const gone = await waitFor(
      async () => ({ health: await getHealth(archive.url), left: processesMentioning(dir) }),
      ({ health, left }) => health === undefined && left.length === 0,
      15_000,
    );
    expect(gone, archive.output()).toEqual({ health: undefined, left: [] });
    expect(archive.output()).toContain('shutting down');
  }, 90_000);

  it('on SIGTERM cuts off a client stalled mid-body after the grace, and exits in bounded time', async () => {
    const dir = await freshDataDir();
    dirs.push(dir);
    const port = await findFreePort();
    const archive = startArchive({
      DATA_DIR: dir,
      PORT: String(port),
      RUN_WORKER: 'false',
      ADMIN_TOKEN: 'startup-admin-token-0123456789abcdefghij',
      // Long enough that only the shutdown's grace can end the stalled request.
      REQUEST_BODY_TIMEOUT_MS: '120000',
      SHUTDOWN_GRACE_MS: '1000',
    });
    running.push(archive);
    const health = await waitUntilHealthy(archive.url);
    expect(health?.status, archive.output()).toBe(200);

    const stalled = net.connect(port, '127.0.0.1');
    stalled.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.write(
      'POST /api/outlets HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Authorization: Bearer startup-admin-token-0123456789abcdefghij\r\n' +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"slug":',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const started = Date.now();
    archive.child.kill('SIGTERM');
    const code = await Promise.race([
      archive.exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 20_000)),
    ]);
    expect(code, archive.output()).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    await closed;
    expect(archive.output()).toContain('still open after the grace');
    expect(processesMentioning(dir)).toEqual([]);
  }, 90_000);

  it('refuses a wrong setting with a message naming it, and starts nothing', async () => {
    const dir = await freshDataDir();
    dirs.push(dir);
    const archive = startArchive({ DATA_DIR: dir, PORT: 'eighty' });
    expect(await archive.exited).toBe(2);
    expect(archive.output()).toMatch(/PORT/);
    expect(processesMentioning(dir)).toEqual([]);
  });
});

describe('files on disk', () => {
  const { dirs, running } = cleanedUpAfterAll();

  const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
  /** Everything under `dir` that a user other than the owner may read, write or enter. */
  async function openToOthers(dir: string): Promise<string[]> {
    const open: string[] = [];
    for (const entry of await readdir(dir, { recursive: true })) {
      const file = path.join(dir, entry);
      const stats = await lstat(file).catch(() => undefined);
      if (stats && !stats.isSymbolicLink() && (stats.mode & 0o077) !== 0) open.push(file);
    }
    return open;
  }

  it('keeps blobs and the search index readable by the archive only, also those written before', async () => {
    const dir = await freshDataDir();
    dirs.push(dir);
    // A blob an older version wrote: 0644 in 0755 folders.
    const oldBlob = path.join(dir, 'blobs', 'sha256', 'ab', 'cd', 'abcd'.padEnd(64, '0'));
    await mkdir(path.dirname(oldBlob), { recursive: true, mode: 0o755 });
    await writeFile(oldBlob, 'an old private document', { mode: 0o644 });
    await chmod(oldBlob, 0o644);
    const adminToken = randomBytes(24).toString('hex');
    const archive = startArchive({
      DATA_DIR: dir,
      PORT: String(await findFreePort()),
      ADMIN_TOKEN: adminToken,
    });
    running.push(archive);
    expect((await waitUntilHealthy(archive.url))?.status, archive.output()).toBe(200);

    expect(await modeOf(oldBlob)).toBe(0o600);
    for (const folder of ['blobs', 'blobs/sha256', 'blobs/sha256/ab', 'blobs/sha256/ab/cd', 'meili']) {
      expect(await modeOf(path.join(dir, folder)), folder).toBe(0o700);
    }
    expect(archive.output()).toMatch(
      /made \d+ files and folders in DATA_DIR .* readable by the archive's user only/,
    );
    // DATA_DIR: as root, embedded PostgreSQL's user may pass through it to its own folder, nothing more.
    const isRoot = process.getuid?.() === 0;
    expect(await modeOf(dir)).toBe(isRoot ? 0o711 : 0o700);

    const form = new FormData();
    form.append(
      'file',
      new Blob(['A new private notice, plain text.'], { type: 'text/plain' }),
      'notice.txt',
    );
    const upload = await fetch(`${archive.url}/api/intake?wait=0`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
      body: form,
    });
    expect(upload.status, await upload.clone().text()).toBeLessThan(300);
    const sha256 = createHash('sha256').update('A new private notice, plain text.').digest('hex');
    const newBlob = path.join(dir, 'blobs', 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    expect(await modeOf(newBlob)).toBe(0o600);
    expect(await modeOf(path.dirname(newBlob))).toBe(0o700);
    expect(await modeOf(path.dirname(path.dirname(newBlob)))).toBe(0o700);
    expect(await modeOf(path.join(dir, 'blobs', 'tmp'))).toBe(0o700);
    // Meilisearch's files, written while it ran, and everything else of the archive's.
    const meiliOpen = await openToOthers(path.join(dir, 'meili'));
    expect(meiliOpen).toEqual([]);
    expect(await openToOthers(path.join(dir, 'blobs'))).toEqual([]);
    expect(await modeOf(path.join(dir, 'runtime.json'))).toBe(0o600);
    archive.child.kill('SIGTERM');
    expect(await archive.exited).toBe(0);
  }, 120_000);
});
