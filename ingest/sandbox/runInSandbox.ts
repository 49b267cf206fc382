// Runs extractions in child processes with a heap cap and a wall-clock limit, so a hostile or broken
// file can crash, hang or exhaust memory there and the caller still gets a result, never an exception.
// Children are kept between files (starting node with pdf.js costs about a second, longer than reading
// a typical notice) and replaced after a crash, a timeout, MAX_FILES_PER_PROCESS files, or when their
// heap stays over half the cap after a file: a file can leave no lasting state in a process that outlives it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resultWithoutText, type ExtractionInput, type ExtractionResult } from '../extraction.ts';
import { describeCrash, describeTimeout } from './describeCrash.ts';
import type { SandboxReply } from './extractionChild.ts';

const CHILD_ENTRY = fileURLToPath(new URL('./extractionChild.ts', import.meta.url));
// Resolved from this file, not the working directory, so it works from the server, a CLI or a test worker.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STDERR_TAIL_BYTES = 16 * 1024;
/** How long to wait for the child's pipes to close after it exited, before answering anyway. */
const CLOSE_GRACE_MS = 2_000;
export const MAX_FILES_PER_PROCESS = 200;
/** An idle child is stopped after this long, so an idle server holds no extra processes. */
const IDLE_TIMEOUT_MS = 60_000;

// The child parses untrusted files: it gets what it needs to run, not the server's secrets.
const failed = (mime: string, reason: string) => resultWithoutText('failed', mime, reason);

const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TESSDATA_PREFIX'];

function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { OMP_THREAD_LIMIT: '1' };
  for (const name of INHERITED_ENV) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return env;
}

function isReply(value: unknown): value is SandboxReply {
  const reply = value as SandboxReply | null;
  return (
    typeof reply?.id === 'number' &&
    typeof reply.result?.status === 'string' &&
    Array.isArray(reply.result.pages) &&
    Array.isArray(reply.result.warnings)
  );
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

/** One long-lived sandbox process, running one extraction at a time. */
class SandboxProcess {
  readonly child: ChildProcess;
  filesDone = 0;
  heapUsedBytes = 0;
  exited = false;
  private stderr = '';
  private idleTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private current:
    | {
        id: number;
        input: ExtractionInput;
        resolve: (result: ExtractionResult) => void;
        timer: NodeJS.Timeout;
      }
    | undefined;
  private timedOut = false;

  constructor(
    readonly memoryMb: number,
    readonly environment: NodeJS.ProcessEnv,
    private readonly onGone: (sandbox: SandboxProcess) => void,
  ) {
    this.child = spawn(
      process.execPath,
      ['--import', TSX_LOADER, `--max-old-space-size=${memoryMb}`, CHILD_ENTRY, '--takedown-sandbox'],
      { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: environment },
    );
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    this.child.on('message', (message: unknown) => this.answer(message));
    this.child.on('error', (error) => {
      this.finish(
        failed(
          this.current?.input.mime ?? '',
          `The extraction process could not be started: ${error.message}`,
        ),
      );
      this.kill();
    });
    this.child.on('exit', (exitCode, signal) => {
      this.exited = true;
      clearTimeout(this.idleTimer);
      killProcessGroup(this.child.pid); // whatever it left running dies with it
      this.onGone(this);
      if (!this.current) return;
      const { input } = this.current;
      const report = () => {
        if (this.timedOut) return this.finish(failed(input.mime, describeTimeout(input.limits.timeoutMs)));
        this.finish(
          failed(
            input.mime,
            describeCrash({
              mime: input.mime,
              exitCode,
              signal,
              stderr: this.stderr,
              memoryMb: this.memoryMb,
            }),
          ),
        );
      };
      // Let the last words on stderr arrive before describing the crash.
      setTimeout(report, CLOSE_GRACE_MS).unref();
      this.child.on('close', report);
    });
  }

  run(input: ExtractionInput): Promise<ExtractionResult> {
    clearTimeout(this.idleTimer);
    this.child.ref();
    this.child.channel?.ref();
    this.stderr = '';
    return new Promise((resolve) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.timedOut = true;
        this.kill();
      }, input.limits.timeoutMs);
      this.current = { id, input, resolve, timer };
      this.child.send({ id, input }, (error) => {
        if (error) {
          this.finish(failed(input.mime, `The extraction process could not be started: ${error.message}`));
          this.kill();
        }
      });
    });
  }

  /** Waits for work without keeping the parent process alive, and stops after a while. */
  park(): void {
    this.child.unref();
    this.child.channel?.unref();
    this.idleTimer = setTimeout(() => this.kill(), IDLE_TIMEOUT_MS);
    this.idleTimer.unref();
  }

  kill(): void {
    killProcessGroup(this.child.pid);
  }

  private answer(message: unknown): void {
    if (!this.current || this.timedOut) return;
    if (!isReply(message) || message.id !== this.current.id) {
      this.finish(failed(this.current.input.mime, 'The extraction process answered nonsense'));
      this.kill();
      return;
    }
    this.filesDone++;
    this.heapUsedBytes = message.heapUsedBytes;
    this.finish(message.result);
  }

  private finish(result: ExtractionResult): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    clearTimeout(current.timer);
    current.resolve(result);
  }
}

const idle: SandboxProcess[] = [];

/** An idle process serves only a caller that would start an identical one (same heap cap, same environment). */
function takeIdle(memoryMb: number): SandboxProcess {
  const environment = childEnvironment();
  const key = JSON.stringify(environment);
  const index = idle.findIndex(
    (sandbox) =>
      sandbox.memoryMb === memoryMb && JSON.stringify(sandbox.environment) === key && !sandbox.exited,
  );
  if (index >= 0) return idle.splice(index, 1)[0]!;
  return new SandboxProcess(memoryMb, environment, (gone) => {
    const at = idle.indexOf(gone);
    if (at >= 0) idle.splice(at, 1);
  });
}

export async function runInSandbox(input: ExtractionInput): Promise<ExtractionResult> {
  const sandbox = takeIdle(input.limits.memoryMb);
  const result = await sandbox.run(input);
  // The cap limits the V8 heap, not the process: an idle child already holds ~430 MB of RSS in code
  // and native libraries. A heap that stays over half the cap after a file is what would next run out.
  const worn =
    sandbox.filesDone >= MAX_FILES_PER_PROCESS ||
    sandbox.heapUsedBytes > (input.limits.memoryMb * 1024 * 1024) / 2;
  if (sandbox.exited) return result;
  if (worn) sandbox.kill();
  else {
    sandbox.park();
    idle.push(sandbox);
  }
  return result;
}

/** Stops every idle sandbox process now (tests, shutdown). */
export function stopIdleSandboxes(): void {
  for (const sandbox of idle.splice(0)) sandbox.kill();
}
