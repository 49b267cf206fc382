// Runs one extraction in a child process with a heap cap and a wall-clock limit, so a hostile or broken
// file can crash, hang or exhaust memory there and the caller still gets a result, never an exception.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ExtractionInput, ExtractionResult } from '../extraction.ts';
import { describeCrash, describeTimeout } from './describeCrash.ts';

const CHILD_ENTRY = fileURLToPath(new URL('./extractionChild.ts', import.meta.url));
// Resolved from this file, not the working directory, so it works from the server, a CLI or a test worker.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STDERR_TAIL_BYTES = 16 * 1024;
/** How long to wait for the child's pipes to close after it exited, before answering anyway. */
const CLOSE_GRACE_MS = 2_000;

// The child parses untrusted files: it gets what it needs to run, not the server's secrets.
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TESSDATA_PREFIX'];

function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { OMP_THREAD_LIMIT: '1' };
  for (const name of INHERITED_ENV) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return env;
}

function failed(mime: string, reason: string): ExtractionResult {
  return { status: 'failed', mime, pages: [], metadata: {}, children: [], warnings: [], reason };
}

function isExtractionResult(value: unknown): value is ExtractionResult {
  const result = value as ExtractionResult | null;
  return typeof result?.status === 'string' && Array.isArray(result.pages) && Array.isArray(result.warnings);
}

/** Kills the child and everything it started (pdftoppm, tesseract): they share its process group. */
function killProcessGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function runInSandbox(input: ExtractionInput): Promise<ExtractionResult> {
  return new Promise((resolve) => {
    const { memoryMb, timeoutMs } = input.limits;
    const child = spawn(
      process.execPath,
      [
        '--import',
        TSX_LOADER,
        `--max-old-space-size=${memoryMb}`,
        CHILD_ENTRY,
        `--work-dir=${input.workDir}`,
      ],
      { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: childEnvironment() },
    );
    let stderr = '';
    let result: ExtractionResult | undefined;
    let timedOut = false;
    let settled = false;

    const finish = (answer: ExtractionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const timer = setTimeout(() => {
      if (result) return;
      timedOut = true;
      killProcessGroup(child.pid);
    }, timeoutMs);

    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    child.on('message', (message: unknown) => {
      if (timedOut) return;
      result = isExtractionResult(message)
        ? message
        : failed(input.mime, 'The extraction process answered nonsense');
      // The answer is in: nothing the child or its tools still do is wanted.
      killProcessGroup(child.pid);
    });
    child.on('error', (error) => {
      killProcessGroup(child.pid);
      finish(failed(input.mime, `The extraction process could not be started: ${error.message}`));
    });
    const answer = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (timedOut) return finish(failed(input.mime, describeTimeout(timeoutMs)));
      if (result) return finish(result);
      finish(failed(input.mime, describeCrash({ mime: input.mime, exitCode, signal, stderr, memoryMb })));
    };
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timer);
      // Whatever the child left running dies with it.
      killProcessGroup(child.pid);
      setTimeout(() => answer(exitCode, signal), CLOSE_GRACE_MS).unref();
      child.on('close', () => answer(exitCode, signal));
    });
    child.send(input, (error) => {
      if (error) finish(failed(input.mime, `The extraction process could not be started: ${error.message}`));
    });
  });
}
