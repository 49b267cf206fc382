// Runs extractions in child processes with a heap cap and a wall-clock limit, so a hostile or broken
// file can crash, hang or exhaust memory there and the caller still gets a result, never an exception.
// Children are kept between files (starting node with pdf.js costs about a second, longer than reading
// a typical notice) and replaced after a crash, a timeout, MAX_FILES_PER_PROCESS files, or when their
// heap stays over half the cap after a file: a file can leave no lasting state in a process that outlives it.
// A worker asks for its processes to be kept warm (keepSandboxesWarm): they start before the first file
// and a retired one is replaced in the background, so no file waits for a process to start.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  extractionLimitMs,
  resultWithoutText,
  type ExtractionInput,
  type ExtractionProgress,
  type ExtractionResult,
} from '../extraction.ts';
import { describeCrash, describeTimeout } from './describeCrash.ts';
import type { SandboxProgress, SandboxReady, SandboxReply } from './extractionChild.ts';

const CHILD_ENTRY = fileURLToPath(new URL('./extractionChild.ts', import.meta.url));
// Resolved from this file, not the working directory, so it works from the server, a CLI or a test worker.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STDERR_TAIL_BYTES = 16 * 1024;
/** How long to wait for the child's pipes to close after it exited, before answering anyway. */
const CLOSE_GRACE_MS = 2_000;
/**
 * A new process costs ~3 s of CPU before it reads real files at full speed (starting node and pdf.js,
 * the warm-up, then V8 compiling the paths real PDFs take): 15-20 ms per file at 200 files a process,
 * as much as reading the suggestions. Live heap over half the cap retires a process sooner.
 */
export const MAX_FILES_PER_PROCESS = 1000;
/** A warm pool starts a process's successor this many files before it retires, so it is warm by then. */
const SUCCESSOR_LEAD = 20;
/** An idle child is stopped after this long, so an idle server holds no extra processes. */
const IDLE_TIMEOUT_MS = 60_000;
/**
 * How a child's V8 collects garbage. pdf.js makes garbage fast (a 4-page court decision: ~580 young-
 * generation collections per 300 files with V8's 16 MiB default, ~290 with 32). Collecting on the
 * child's own thread, not also on V8's helper threads, costs the same time and ~10% less CPU: helpers
 * only pay off on an idle core, and a worker busy with several files keeps its cores busy already.
 * Measured per file of that decision, in one process: 53–55 ms of CPU with the defaults, 45–46 with
 * these. A warm child holds ~470 MB of RSS instead of ~400, ~530 instead of ~510 after 150 files.
 */
const GC_FLAGS = ['--single-threaded-gc', '--max-semi-space-size=32'];

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

function isProgress(value: unknown): value is SandboxProgress {
  const message = value as SandboxProgress | null;
  return (
    typeof message?.id === 'number' &&
    Number.isInteger(message.progress?.ocrPages) &&
    Number.isInteger(message.progress?.ocrDone) &&
    message.progress.ocrPages >= 0
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
        onProgress: ((progress: ExtractionProgress) => void) | undefined;
        startedAt: number;
        /** The wall-clock limit in force: it grows with the pages the extractor says it will OCR. */
        limitMs: number;
        timer: NodeJS.Timeout;
      }
    | undefined;
  private timedOut = false;
  isReady = false;
  private markReady: () => void = () => undefined;
  /** Settles once the process has loaded and warmed up its extractors, or has gone. */
  readonly ready = new Promise<void>((resolve) => {
    this.markReady = () => {
      this.isReady = true;
      resolve();
    };
  });

  constructor(
    readonly memoryMb: number,
    readonly environment: NodeJS.ProcessEnv,
    private readonly onGone: (sandbox: SandboxProcess) => void,
  ) {
    this.child = spawn(
      process.execPath,
      [
        '--import',
        TSX_LOADER,
        `--max-old-space-size=${memoryMb}`,
        ...GC_FLAGS,
        // So the child can tell live data from garbage not yet collected before reporting its heap.
        '--expose-gc',
        CHILD_ENTRY,
        '--takedown-sandbox',
      ],
      { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: environment },
    );
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    this.child.on('message', (message: unknown) => this.answer(message));
    // Held until warmed up, so a caller awaiting `ready` is not left with an empty event loop.
    void this.ready.then(() => {
      if (!this.current) this.holdParent(false);
    });
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
      this.markReady();
      clearTimeout(this.idleTimer);
      killProcessGroup(this.child.pid); // whatever it left running dies with it
      this.onGone(this);
      if (!this.current) return;
      const { input, limitMs } = this.current;
      const report = () => {
        if (this.timedOut) return this.finish(failed(input.mime, describeTimeout(limitMs)));
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

  run(
    input: ExtractionInput,
    onProgress?: (progress: ExtractionProgress) => void,
  ): Promise<ExtractionResult> {
    clearTimeout(this.idleTimer);
    this.holdParent(true);
    this.stderr = '';
    const { progress: _local, ...sendable } = input; // a function does not cross the IPC channel
    return new Promise((resolve) => {
      const id = this.nextId++;
      const limitMs = input.limits.timeoutMs;
      const timer = this.startTimer(limitMs);
      this.current = { id, input, resolve, onProgress, startedAt: Date.now(), limitMs, timer };
      this.child.send({ id, input: sendable }, (error) => {
        if (error) {
          this.finish(failed(input.mime, `The extraction process could not be started: ${error.message}`));
          this.kill();
        }
      });
    });
  }

  /** Waits for work without keeping the parent process alive; a spare one stops after a while. */
  park(spare: boolean): void {
    this.holdParent(false);
    clearTimeout(this.idleTimer);
    if (!spare) return;
    this.idleTimer = setTimeout(() => this.kill(), IDLE_TIMEOUT_MS);
    this.idleTimer.unref();
  }

  kill(): void {
    killProcessGroup(this.child.pid);
  }

  private startTimer(ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      this.timedOut = true;
      this.kill();
    }, ms);
  }

  /** Passes progress on, and gives a file the time its OCR pages are allowed (never past the cap). */
  private progressed({ progress }: SandboxProgress): void {
    const current = this.current!;
    const limitMs = extractionLimitMs(current.input.limits, progress.ocrPages);
    if (limitMs > current.limitMs) {
      clearTimeout(current.timer);
      current.limitMs = limitMs;
      current.timer = this.startTimer(Math.max(0, current.startedAt + limitMs - Date.now()));
    }
    current.onProgress?.(progress);
  }

  /** Whether this process (its handle, IPC channel and stderr pipe) keeps the parent's event loop alive. */
  private holdParent(hold: boolean): void {
    const stderr = this.child.stderr as (NodeJS.ReadableStream & { ref?(): void; unref?(): void }) | null;
    if (hold) {
      this.child.ref();
      this.child.channel?.ref();
      stderr?.ref?.();
    } else {
      this.child.unref();
      this.child.channel?.unref();
      stderr?.unref?.();
    }
  }

  private answer(message: unknown): void {
    if ((message as SandboxReady | null)?.ready === true) return this.markReady();
    if (!this.current || this.timedOut) return;
    if (isProgress(message) && message.id === this.current.id) return this.progressed(message);
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
/** Every process not yet gone, idle or busy. */
const live = new Set<SandboxProcess>();
/** How many processes a worker wants ready, and for which heap cap (see keepSandboxesWarm). */
let warm: { count: number; memoryMb: number } | undefined;

const environmentKey = (environment: NodeJS.ProcessEnv) => JSON.stringify(environment);

/** Whether the process was started with this heap cap and environment, so it can serve such a caller. */
const startedAs = (sandbox: SandboxProcess, memoryMb: number, environment: string) =>
  sandbox.memoryMb === memoryMb && environmentKey(sandbox.environment) === environment;

function startProcess(memoryMb: number, environment: NodeJS.ProcessEnv): SandboxProcess {
  const sandbox = new SandboxProcess(memoryMb, environment, (gone) => {
    live.delete(gone);
    const at = idle.indexOf(gone);
    if (at >= 0) idle.splice(at, 1);
    fillWarmPool();
  });
  live.add(sandbox);
  return sandbox;
}

/** Processes the warm pool counts: same heap cap, same environment. */
function warmCandidates(): SandboxProcess[] {
  if (!warm) return [];
  const key = environmentKey(childEnvironment());
  const memoryMb = warm.memoryMb;
  return [...live].filter((sandbox) => startedAs(sandbox, memoryMb, key));
}

/** Starts processes until the warm pool holds its count (busy ones included). */
function fillWarmPool(): void {
  if (!warm) return;
  for (let missing = warm.count - warmCandidates().length; missing > 0; missing--) {
    idle.push(startProcess(warm.memoryMb, childEnvironment()));
  }
}

/** Whether an idle process beyond the warm pool's count: those stop after IDLE_TIMEOUT_MS. */
function isSpare(sandbox: SandboxProcess): boolean {
  const candidates = warmCandidates();
  return !candidates.includes(sandbox) || candidates.length > (warm?.count ?? 0);
}

/** An idle process serves only a caller that would start an identical one (same heap cap, same environment). */
function takeIdle(memoryMb: number): SandboxProcess {
  const environment = childEnvironment();
  const key = environmentKey(environment);
  const fits = (sandbox: SandboxProcess) => startedAs(sandbox, memoryMb, key) && !sandbox.exited;
  // A warmed-up process first; one still starting is still sooner than a new one.
  let index = idle.findIndex((sandbox) => fits(sandbox) && sandbox.isReady);
  if (index < 0) index = idle.findIndex(fits);
  if (index >= 0) return idle.splice(index, 1)[0]!;
  return startProcess(memoryMb, environment);
}

/**
 * Keeps `count` processes with this heap cap started and ready (an extraction worker asks for as many as
 * it runs jobs at once): each holds about 430 MB of memory while it waits (pdf.js alone keeps about
 * 140 MB of tables once it has read a file), and saves the next file a second or more.
 */
export function keepSandboxesWarm(count: number, memoryMb: number): Promise<void> {
  warm = { count, memoryMb };
  fillWarmPool();
  return sandboxesReady();
}

/** Settles when every process of the warm pool has started and warmed up (for logs and benchmarks). */
export async function sandboxesReady(): Promise<void> {
  await Promise.all(warmCandidates().map((sandbox) => sandbox.ready));
}

export async function runInSandbox(
  input: ExtractionInput,
  onProgress?: (progress: ExtractionProgress) => void,
): Promise<ExtractionResult> {
  const sandbox = takeIdle(input.limits.memoryMb);
  const result = await sandbox.run(input, onProgress);
  // The cap limits the V8 heap, not the process: a warmed-up idle child holds ~210 MB of heap (most of
  // it pdf.js's tables) and ~430 MB of RSS. Live data over half the cap after a file (the child
  // collects garbage before it says so) is what would next run out.
  const worn =
    sandbox.filesDone >= MAX_FILES_PER_PROCESS ||
    sandbox.heapUsedBytes > (input.limits.memoryMb * 1024 * 1024) / 2;
  if (sandbox.exited) return result;
  if (worn) {
    // Its replacement starts now, not when it has exited.
    live.delete(sandbox);
    sandbox.kill();
    fillWarmPool();
  } else {
    // A warm pool starts the successor a little ahead, so it has warmed up when this one retires.
    if (sandbox.filesDone === MAX_FILES_PER_PROCESS - SUCCESSOR_LEAD && warmCandidates().includes(sandbox)) {
      idle.push(startProcess(sandbox.memoryMb, sandbox.environment));
    }
    sandbox.park(isSpare(sandbox));
    idle.push(sandbox);
  }
  return result;
}

/** Stops every idle sandbox process now, and keeps none warm any more (tests, shutdown). */
export function stopIdleSandboxes(): void {
  warm = undefined;
  for (const sandbox of idle.splice(0)) sandbox.kill();
}
