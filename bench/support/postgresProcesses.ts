// What a benchmark's own PostgreSQL uses, read from /proc (Linux): its postmaster (the first line of
// postmaster.pid in its data directory) and the postmaster's children, never another PostgreSQL on the
// machine. Memory is PSS (shared pages divided among the processes that map them), so the sum over the
// processes counts shared_buffers once, as RSS summed would not.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TICKS_PER_SECOND = 100;

/** The postmaster's pid and its children's. */
function postgresPids(pgDataDir: string): number[] {
  const postmaster = Number(readFileSync(path.join(pgDataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(Number(entry))[1]) === postmaster) pids.push(Number(entry));
    } catch {
      // The process ended while we read it.
    }
  }
  return pids;
}

/** The fields of /proc/PID/stat after the command name: ppid is [1], utime [11], stime [12]. */
function statFields(pid: number): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by the PostgreSQL whose data directory this is (exited backends not counted). */
export function postgresCpuSeconds(pgDataDir: string): number {
  let total = 0;
  for (const pid of postgresPids(pgDataDir)) {
    try {
      total += cpuSecondsOf(pid);
    } catch {
      // The process ended while we read it.
    }
  }
  return total;
}

/** Bytes of memory (PSS, summed over its processes) the PostgreSQL whose data directory this is holds now. */
export function postgresPssBytes(pgDataDir: string): number {
  let total = 0;
  for (const pid of postgresPids(pgDataDir)) {
    try {
      const kb = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      // The process ended while we read it.
    }
  }
  return total;
}
