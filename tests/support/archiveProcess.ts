// Runs the archive as a user would (`node server/main.ts`, what `npm start` runs) for process-level tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface ArchiveProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/** `via: 'npm'` runs `npm start`, as a process manager would, instead of node itself. */
export function startArchive(env: Record<string, string>, via: 'node' | 'npm' = 'node'): ArchiveProcess {
  let output = '';
  const [command, args] =
    via === 'npm' ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'server/main.ts']];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${env.PORT}`, output: () => output, exited };
}

export async function getHealth(
  url: string,
): Promise<{ status: number; body: Record<string, string> } | undefined> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  } catch {
    return undefined;
  }
}

/** Polls until `check` passes or the time is up; returns the last value seen. */
export async function waitFor<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await probe();
  }
  return value;
}

/** Polls /health until it answers 200 or the time is up; returns the last answer. */
export function waitUntilHealthy(url: string, timeoutMs = 60_000) {
  return waitFor(
    () => getHealth(url),
    (health) => health?.status === 200,
    timeoutMs,
  );
}

/** Pids of every process whose command line mentions `text` (e.g. a data directory). */
export function processesMentioning(text: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(text)) found.push({ pid: Number(entry), cmdline });
    } catch {
      // exited while we looked
    }
  }
  return found;
}
