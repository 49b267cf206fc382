// A pool of sandbox processes (sandboxProcess.ts), owned by whoever reads files with it: the extraction
// worker, a test, a benchmark. Processes are kept between files (starting node with pdf.js costs about
// a second, longer than reading a typical notice) and replaced after a crash, a timeout,
// MAX_FILES_PER_PROCESS files, or when their heap stays over half the cap after a file: a file can leave
// no lasting state in a process that outlives it. A pool with warm processes starts them before the first
// file and replaces a retiring one in the background, so no file waits for a process to start.
// A process stopped from outside while it reads a file (a user's kill, the kernel's OOM killer) is not
// the file's fault: the file is read once more in a new process, and fails only if that is stopped too.
import { describeRetriedStop, describeStoppedTwice } from './describeCrash.ts';
import {
  DEFAULT_LIMITS,
  resultWithoutText,
  type ExtractionInput,
  type ExtractionProgress,
  type ExtractionResult,
} from '../extraction.ts';
import { SandboxProcess, sandboxEnvironment } from './sandboxProcess.ts';

/**
 * A new process costs ~3 s of CPU before it reads real files at full speed (starting node and pdf.js,
 * the warm-up, then V8 compiling the paths real PDFs take): 15-20 ms per file at 200 files a process,
 * as much as reading the suggestions. Live heap over half the cap retires a process sooner.
 */
export const MAX_FILES_PER_PROCESS = 1000;
/** A warm pool starts a process's successor this many files before it retires, so it is warm by then. */
const SUCCESSOR_LEAD = 20;
/** An idle process beyond the warm ones is stopped after this long, so an idle server holds no extra ones. */
const IDLE_TIMEOUT_MS = 60_000;

export interface SandboxPoolOptions {
  /**
   * Processes kept started and warmed up, busy ones included (an extraction worker keeps one per job it
   * runs at once). Each holds about 470 MB while it waits (pdf.js alone keeps ~140 MB of tables once it
   * has read a file), and saves the next file a second or more. Default 0: started when a file comes.
   */
  warm?: number;
  /** Heap cap of each process in MiB (its tools get twice that as address space). */
  memoryMb?: number;
  /** The processes' environment; by default a minimal one (sandboxEnvironment). */
  environment?: NodeJS.ProcessEnv;
}

/** What reads a file in a sandbox: a pool, or a stand-in for one. */
export interface SandboxRunner {
  run(input: ExtractionInput, onProgress?: (progress: ExtractionProgress) => void): Promise<ExtractionResult>;
}

export class SandboxPool implements SandboxRunner {
  readonly memoryMb: number;
  private readonly warm: number;
  private readonly environment: NodeJS.ProcessEnv;
  private readonly idle: SandboxProcess[] = [];
  /** Every process not yet gone (nor retiring), idle or busy. */
  private readonly live = new Set<SandboxProcess>();
  private stopped = false;

  constructor(options: SandboxPoolOptions = {}) {
    this.warm = options.warm ?? 0;
    this.memoryMb = options.memoryMb ?? DEFAULT_LIMITS.memoryMb;
    this.environment = options.environment ?? sandboxEnvironment();
    this.fill();
  }

  /**
   * Reads one file in a process of the pool, under the pool's heap cap (whatever `input.limits` says),
   * and answers its result; a crash or a timeout is a failed result, not a rejection.
   */
  async run(
    input: ExtractionInput,
    onProgress?: (progress: ExtractionProgress) => void,
  ): Promise<ExtractionResult> {
    if (this.stopped) throw new Error('The sandbox pool has been stopped');
    const first = await this.runOnce(input, onProgress);
    if (!first.outsideStop || this.stopped) return first.result;
    const second = await this.runOnce(input, onProgress);
    if (second.outsideStop) {
      return resultWithoutText(
        'failed',
        input.mime,
        describeStoppedTwice(first.outsideStop, second.outsideStop),
      );
    }
    return {
      ...second.result,
      warnings: [...second.result.warnings, describeRetriedStop(first.outsideStop)],
    };
  }

  /** Reads the file in one process; says how that process ended if a signal from outside stopped it. */
  private async runOnce(
    input: ExtractionInput,
    onProgress?: (progress: ExtractionProgress) => void,
  ): Promise<{ result: ExtractionResult; outsideStop: SandboxProcess['outsideStop'] }> {
    const sandbox = this.takeIdle();
    const result = await this.runIn(sandbox, input, onProgress);
    return { result, outsideStop: sandbox.outsideStop };
  }

  private async runIn(
    sandbox: SandboxProcess,
    input: ExtractionInput,
    onProgress?: (progress: ExtractionProgress) => void,
  ): Promise<ExtractionResult> {
    const result = await sandbox.run(
      { ...input, limits: { ...input.limits, memoryMb: this.memoryMb } },
      onProgress,
    );
    if (sandbox.exited) return result;
    if (this.stopped || this.isWorn(sandbox)) {
      // Its replacement starts now, not when it has exited.
      this.live.delete(sandbox);
      sandbox.kill();
      this.fill();
      return result;
    }
    // A warm pool starts the successor a little ahead, so it has warmed up when this one retires.
    if (this.warm > 0 && sandbox.filesDone === MAX_FILES_PER_PROCESS - SUCCESSOR_LEAD) {
      this.idle.push(this.start());
    }
    sandbox.park(this.live.size > this.warm ? IDLE_TIMEOUT_MS : undefined);
    this.idle.push(sandbox);
    return result;
  }

  /** Settles when every process of the pool has started and warmed up (for logs and benchmarks). */
  async ready(): Promise<void> {
    await Promise.all([...this.live].map((sandbox) => sandbox.ready));
  }

  /**
   * Starts no more processes and stops the idle ones now (settling once they have exited); a busy one
   * finishes its file first, then stops.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const stopping = this.idle.splice(0);
    for (const sandbox of stopping) sandbox.kill();
    await Promise.all(stopping.map((sandbox) => sandbox.gone));
  }

  /**
   * The cap limits the V8 heap, not the process: a warmed-up idle child holds ~210 MB of heap (most of
   * it pdf.js's tables) and ~430 MB of RSS. Live data over half the cap after a file (the child
   * collects garbage before it says so) is what would next run out.
   */
  private isWorn(sandbox: SandboxProcess): boolean {
    return (
      sandbox.filesDone >= MAX_FILES_PER_PROCESS || sandbox.heapUsedBytes > (this.memoryMb * 1024 * 1024) / 2
    );
  }

  private start(): SandboxProcess {
    const sandbox = new SandboxProcess(this.memoryMb, this.environment, (gone) => {
      this.live.delete(gone);
      const at = this.idle.indexOf(gone);
      if (at >= 0) this.idle.splice(at, 1);
      this.fill();
    });
    this.live.add(sandbox);
    return sandbox;
  }

  /** Starts processes until the pool holds its warm count (busy ones included). */
  private fill(): void {
    if (this.stopped) return;
    for (let missing = this.warm - this.live.size; missing > 0; missing--) this.idle.push(this.start());
  }

  private takeIdle(): SandboxProcess {
    // A warmed-up process first; one still starting is still sooner than a new one.
    let index = this.idle.findIndex((sandbox) => !sandbox.exited && sandbox.isReady);
    if (index < 0) index = this.idle.findIndex((sandbox) => !sandbox.exited);
    if (index >= 0) return this.idle.splice(index, 1)[0]!;
    return this.start();
  }
}
