// Runs an OCR tool (tesseract, pdftoppm) with a time limit, a memory limit and bounded output, one
// thread per tool. The memory limit is the tool's address space, set by util-linux's prlimit (on every
// Debian system); where prlimit is missing the tool runs without one.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /**
   * With a memory limit in force, the tool said it could not get memory, or crashed. pdftoppm may say
   * so and still exit 0 with a broken image, so this counts whatever the exit code.
   */
  outOfMemory: boolean;
}

export interface CommandOptions {
  timeoutMs: number;
  /** Output beyond this many bytes per stream is dropped: a tool's chatter must not fill memory. */
  maxOutputBytes?: number;
  /** The tool's address space, in MiB (a page crafted to make pdftoppm or tesseract allocate gigabytes). */
  memoryMb?: number;
}

/**
 * How a tool that could not get memory says so: C++'s bad_alloc, leptonica's "pixdata_malloc fail",
 * poppler's "Out of memory", or the loader failing to map a library under a very low limit.
 */
const OUT_OF_MEMORY = /bad_alloc|cannot allocate|out of memory|malloc fail|failed to map segment/i;

let prlimitPath: string | null | undefined;
function prlimit(): string | null {
  prlimitPath ??=
    (process.env.PATH ?? '/usr/bin:/bin')
      .split(path.delimiter)
      .map((dir) => path.join(dir, 'prlimit'))
      .find((candidate) => existsSync(candidate)) ?? null;
  return prlimitPath;
}

/** Thrown when the tool itself is not installed, so callers can say "install it" rather than "it failed". */
export class CommandMissingError extends Error {
  constructor(readonly command: string) {
    super(`${command} is not installed`);
    this.name = 'CommandMissingError';
  }
}

function collect(stream: NodeJS.ReadableStream | null, maxBytes: number): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on('data', (chunk: Buffer) => {
    if (size >= maxBytes) return;
    chunks.push(chunk);
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

export function runCommand(command: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  const maxBytes = options.maxOutputBytes ?? 16 * 1024 * 1024;
  const limiter = options.memoryMb ? prlimit() : null;
  const [program, programArgs] = limiter
    ? [limiter, [`--as=${options.memoryMb! * 1024 * 1024}`, '--', command, ...args]]
    : [command, args];
  return new Promise((resolve, reject) => {
    // tesseract's OpenMP threads make parallel jobs thrash on a small shared machine.
    const child = spawn(program, programArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    });
    const stdout = collect(child.stdout, maxBytes);
    const stderr = collect(child.stderr, maxBytes);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new CommandMissingError(command) : error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const errors = stderr();
      // prlimit answers 127 when it cannot start the tool, as a shell does.
      if (limiter && exitCode === 127 && errors.includes('failed to execute')) {
        return reject(new CommandMissingError(command));
      }
      const crashed = signal === 'SIGABRT' || signal === 'SIGSEGV' || signal === 'SIGBUS';
      const outOfMemory = Boolean(limiter) && !timedOut && (crashed || OUT_OF_MEMORY.test(errors));
      resolve({ stdout: stdout(), stderr: errors, exitCode, signal, timedOut, outOfMemory });
    });
  });
}

/** The last non-empty line of a tool's error output, for a message a user can read. */
export function lastErrorLine(result: CommandResult): string {
  const lines = result.stderr.split('\n').map((line) => line.trim());
  return lines.filter(Boolean).at(-1) ?? `exit code ${result.exitCode ?? result.signal}`;
}
