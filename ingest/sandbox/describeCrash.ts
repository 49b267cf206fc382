// Turns the way a sandboxed extraction ended (exit code, signal, last words on stderr) into a user's sentence.
import { fileNoun } from '../sniffType.ts';

export interface ChildEnd {
  mime: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The tail of the child's stderr. */
  stderr: string;
  memoryMb: number;
}

function cause(end: ChildEnd): string {
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(end.stderr)) {
    return `the parser ran out of memory (the limit is ${end.memoryMb} MB)`;
  }
  if (/Maximum call stack size exceeded/.test(end.stderr)) {
    return 'its structure is nested too deeply for the parser';
  }
  if (end.signal === 'SIGKILL')
    return 'the extraction process was killed by the system, perhaps for using too much memory';
  if (end.signal) return `the extraction process crashed (${end.signal})`;
  if (end.exitCode !== 0) return `the extraction process stopped unexpectedly (exit code ${end.exitCode})`;
  return 'the extraction process ended without a result';
}

export function describeCrash(end: ChildEnd): string {
  return `${fileNoun(end.mime)} could not be read: ${cause(end)}`;
}

export function describeTimeout(timeoutMs: number): string {
  const seconds = timeoutMs >= 10_000 ? Math.round(timeoutMs / 1000) : Math.round(timeoutMs / 100) / 10;
  return `Extraction took longer than ${seconds} s and was stopped`;
}
