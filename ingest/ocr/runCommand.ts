// Runs an OCR tool (tesseract, pdftoppm) with a time limit and bounded output, one thread per tool.
import { spawn } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

export interface CommandOptions {
  timeoutMs: number;
  /** Output beyond this many bytes per stream is dropped: a tool's chatter must not fill memory. */
  maxOutputBytes?: number;
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
  return new Promise((resolve, reject) => {
    // tesseract's OpenMP threads make parallel jobs thrash on a small shared machine.
    const child = spawn(command, args, {
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
      resolve({ stdout: stdout(), stderr: stderr(), exitCode, signal, timedOut });
    });
  });
}

/** The last non-empty line of a tool's error output, for a message a user can read. */
export function lastErrorLine(result: CommandResult): string {
  const lines = result.stderr.split('\n').map((line) => line.trim());
  return lines.filter(Boolean).at(-1) ?? `exit code ${result.exitCode ?? result.signal}`;
}
