// Turns the way a sandboxed extraction ended (exit code, signal, last words on stderr) into a user's sentence.
import { readFileSync } from 'node:fs';
import { fileNoun } from '../sniffType.ts';

export interface ChildEnd {
  mime: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The tail of the child's stderr. */
  stderr: string;
  memoryMb: number;
  /** Whether this process sent the child its signal (its own kill, never a timeout: that has its own words). */
  killedHere?: boolean;
  /** Whether the kernel's out-of-memory killer killed some process while the child read the file. */
  oomKillerRan?: boolean;
}

/**
 * Signals a process does not send itself: someone (a user, a process manager, the kernel's OOM killer)
 * stopped it. A crash (SIGSEGV, SIGABRT on V8's heap limit) is the file's doing, not theirs.
 */
const OUTSIDE_SIGNALS = new Set<string>(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']);

function ranOutOfHeap(stderr: string): boolean {
  return /heap out of memory|Reached heap limit|Allocation failed/i.test(stderr);
}

/** Whether the child was stopped by a signal this process did not send, and not by its own heap limit. */
export function stoppedFromOutside(end: ChildEnd): boolean {
  return (
    end.signal !== null && OUTSIDE_SIGNALS.has(end.signal) && !end.killedHere && !ranOutOfHeap(end.stderr)
  );
}

/**
 * How many processes the kernel's OOM killer has killed on this machine since it booted (undefined where
 * /proc/vmstat does not say). A SIGKILL looks the same whoever sent it; a count that grew while the child
 * ran is the one hint there is that it was the OOM killer.
 */
export function oomKillCount(): number | undefined {
  try {
    const match = /^oom_kill (\d+)$/m.exec(readFileSync('/proc/vmstat', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function outsideCause(end: ChildEnd): string {
  return end.oomKillerRan
    ? `the extraction process was stopped from outside (signal ${end.signal}), most likely by the system's ` +
        'out-of-memory killer, which killed a process meanwhile'
    : `the extraction process was stopped from outside (signal ${end.signal})`;
}

function cause(end: ChildEnd): string {
  if (ranOutOfHeap(end.stderr)) {
    return `the parser ran out of memory (the limit is ${end.memoryMb} MB)`;
  }
  if (/Maximum call stack size exceeded/.test(end.stderr)) {
    return 'its structure is nested too deeply for the parser';
  }
  if (stoppedFromOutside(end)) return outsideCause(end);
  if (end.signal) return `the extraction process crashed (${end.signal})`;
  if (end.exitCode !== 0) return `the extraction process stopped unexpectedly (exit code ${end.exitCode})`;
  return 'the extraction process ended without a result';
}

export function describeCrash(end: ChildEnd): string {
  return `${fileNoun(end.mime)} could not be read: ${cause(end)}`;
}

/** The warning a file read again after its first process was stopped from outside carries. */
export function describeRetriedStop(first: ChildEnd): string {
  return `${outsideCause(first).replace(/^the/, 'The')}; the file was read again in a new process`;
}

/** The reason of a file whose process was stopped from outside on both tries. */
export function describeStoppedTwice(first: ChildEnd, second: ChildEnd): string {
  const oom = first.oomKillerRan || second.oomKillerRan;
  return (
    `${fileNoun(second.mime)} could not be read: the extraction process was stopped from outside twice ` +
    `(signal ${first.signal}, then ${second.signal})` +
    (oom ? ", most likely by the system's out-of-memory killer" : '')
  );
}

export function describeTimeout(timeoutMs: number): string {
  const seconds = timeoutMs >= 10_000 ? Math.round(timeoutMs / 1000) : Math.round(timeoutMs / 100) / 10;
  return `Extraction took longer than ${seconds} s and was stopped`;
}
