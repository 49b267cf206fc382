// CPU time used so far by the processes a benchmark run involves, grouped by kind, read from /proc
// (Linux): to say where a run's time went, not just how long it took. Processes that exited in
// between are missing from the later reading, so compare readings taken while the same ones run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export type ProcessKind =
  'server (this process)' | 'upload clients' | 'sandboxes' | 'postgres' | 'meilisearch' | 'tools';
export type CpuSeconds = Partial<Record<ProcessKind, number>>;

const TICKS_PER_SECOND = 100;

function kindOf(pid: number, commandLine: string): ProcessKind | undefined {
  if (pid === process.pid) return 'server (this process)';
  if (commandLine.includes('--takedown-sandbox')) return 'sandboxes';
  if (commandLine.includes('--upload-clients')) return 'upload clients';
  if (/\bpostgres\b/.test(commandLine)) return 'postgres';
  if (commandLine.includes('meilisearch')) return 'meilisearch';
  if (/\b(tesseract|pdftoppm)\b/.test(commandLine)) return 'tools';
  return undefined;
}

export function cpuSecondsByKind(): CpuSeconds | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const totals: CpuSeconds = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const kind = kindOf(
        Number(entry),
        readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '),
      );
      if (!kind) continue;
      // Fields after the command name: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      totals[kind] = (totals[kind] ?? 0) + seconds;
    } catch {
      // The process ended while we read it.
    }
  }
  return totals;
}

/** "server 14.2, sandboxes 20.1, … ms of CPU per document" over passes of `documents` each (readings before and after each). */
export function cpuPerDocument(
  passes: { before: CpuSeconds | undefined; after: CpuSeconds | undefined }[],
  documents: number,
) {
  const used: CpuSeconds = {};
  for (const { before, after } of passes) {
    if (!before || !after) return 'CPU use not available (no /proc)';
    for (const [kind, seconds] of Object.entries(after) as [ProcessKind, number][]) {
      used[kind] = (used[kind] ?? 0) + seconds - (before[kind] ?? 0);
    }
  }
  const parts = Object.entries(used).map(
    ([kind, seconds]) => `${kind} ${((seconds * 1000) / (documents * passes.length)).toFixed(1)}`,
  );
  return `${parts.join(', ')} ms of CPU per document`;
}
