// One sandbox child process: a node process with a heap cap, started detached in its own process group,
// that reads one file at a time under a wall-clock limit (growing with the pages it says it will OCR)
// and answers with a result, never an exception: a crash or a timeout becomes a failed result in words.
// Which process reads which file, and when one is replaced, is the pool's business (sandboxPool.ts).
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
import {
  describeCrash,
  describeTimeout,
  oomKillCount,
  stoppedFromOutside,
  type ChildEnd,
} from './describeCrash.ts';
import type { SandboxProgress, SandboxReady, SandboxReply } from './extractionChild.ts';

const CHILD_ENTRY = fileURLToPath(new URL('./extractionChild.ts', import.meta.url));
// Resolved from this file, not the working directory, so it works from the server, a CLI or a test worker.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STDERR_TAIL_BYTES = 16 * 1024;
/** How long to wait for the child's pipes to close after it exited, before answering anyway. */
const CLOSE_GRACE_MS = 2_000;
/**
 * How a child's V8 collects garbage. pdf.js makes garbage fast (a 4-page court decision: ~580 young-
 * generation collections per 300 files with V8's 16 MiB default, ~290 with 32). Collecting on the
 * child's own thread, not also on V8's helper threads, costs the same time and ~10% less CPU: helpers
 * only pay off on an idle core, and a worker busy with several files keeps its cores busy already.
 * Measured per file of that decision, in one process: 53–55 ms of CPU with the defaults, 45–46 with
 * these. A warm child holds ~470 MB of RSS instead of ~400, ~530 instead of ~510 after 150 files.
 */
const GC_FLAGS = ['--single-threaded-gc', '--max-semi-space-size=32'];

const failed = (mime: string, reason: string) => resultWithoutText('failed', mime, reason);

const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TESSDATA_PREFIX'];

/**
 * The child parses untrusted files: it gets what it needs to run (from this process's environment),
 * not the server's secrets, and tesseract one thread.
 */
export function sandboxEnvironment(): NodeJS.ProcessEnv {
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
export class SandboxProcess {
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
  /** Whether this process sent the child a kill (a timeout, nonsense, the pool stopping it). */
  private killedHere = false;
  private oomKillsAtStart: number | undefined;
  /** How the child ended when a signal from outside stopped it during a file (the pool tries that file again). */
  outsideStop: ChildEnd | undefined;
  isReady = false;
  private markReady: () => void = () => undefined;
  private markGone: () => void = () => undefined;
  /** Settles once the process has exited. */
  readonly gone = new Promise<void>((resolve) => (this.markGone = resolve));
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
      // A process that never started sends no 'exit': it is gone all the same.
      if (this.child.pid === undefined && !this.exited) {
        this.exited = true;
        this.markReady();
        this.markGone();
        this.onGone(this);
      }
    });
    this.child.on('exit', (exitCode, signal) => {
      this.exited = true;
      this.markReady();
      clearTimeout(this.idleTimer);
      killProcessGroup(this.child.pid); // whatever it left running dies with it
      this.markGone();
      this.onGone(this);
      if (!this.current) return;
      const { input, limitMs } = this.current;
      const oomKillsAtStart = this.oomKillsAtStart;
      const report = () => {
        if (this.timedOut) return this.finish(failed(input.mime, describeTimeout(limitMs)));
        const oomKills = oomKillCount();
        const end: ChildEnd = {
          mime: input.mime,
          exitCode,
          signal,
          stderr: this.stderr,
          memoryMb: this.memoryMb,
          killedHere: this.killedHere,
          oomKillerRan: oomKills !== undefined && oomKillsAtStart !== undefined && oomKills > oomKillsAtStart,
        };
        if (stoppedFromOutside(end)) this.outsideStop = end;
        this.finish(failed(input.mime, describeCrash(end)));
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
    this.oomKillsAtStart = oomKillCount();
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

  /** Waits for work without keeping the parent process alive; stops after `stopAfterMs` idle, if given. */
  park(stopAfterMs?: number): void {
    this.holdParent(false);
    clearTimeout(this.idleTimer);
    if (stopAfterMs === undefined) return;
    this.idleTimer = setTimeout(() => this.kill(), stopAfterMs);
    this.idleTimer.unref();
  }

  kill(): void {
    this.killedHere = true;
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
