// `npm run monitor -- URL [--interval S] [--state FILE] [--key KEYTEXT]`: watches an archive's transparency
// log from outside. Each check fetches the latest checkpoint, verifies its signature with the log's key
// (pinned in the state file at first use), and proves it consistent with the last checkpoint seen: the same
// size must have the same root, a larger one needs a consistency proof that verifies, a smaller one is an
// alarm. Without --interval it checks once (for cron). Exit 0 while all is well; 1 on an alarm, with both
// signed checkpoints on stderr as evidence; 2 when the command is wrong; 3 when the archive could not be
// checked (unreachable, an error answer) on a one-off check.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { verifyConsistency } from '../domain/transparencyLog/merkle.ts';
import {
  formatVerifierKey,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  type Checkpoint,
  type NoteVerifier,
} from '../domain/transparencyLog/note.ts';

const USAGE = 'usage: npm run monitor -- URL [--interval SECONDS] [--state FILE] [--key KEYTEXT]';

class UsageError extends Error {}
/** The archive could not be asked (network, an error status): nothing is known to be wrong. */
class UncheckedError extends Error {}
/** The log misbehaved: a bad signature, a smaller tree, a fork, a consistency proof that fails. */
class Alarm extends Error {
  constructor(
    message: string,
    readonly evidence: string[],
  ) {
    super(message);
  }
}

interface MonitorState {
  url: string;
  key: string;
  /** The last checkpoint seen that verified, as signed. */
  checkpoint: string | null;
  checkedAt: string | null;
}

async function readState(path: string | undefined): Promise<MonitorState | null> {
  if (!path) return null;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read the state file ${path}`);
  }
  try {
    return JSON.parse(text) as MonitorState;
  } catch {
    throw new UsageError(`the state file ${path} is not JSON`);
  }
}

async function writeState(path: string | undefined, state: MonitorState): Promise<void> {
  if (!path) return;
  await writeFile(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

async function get(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(15_000),
      headers: { 'cache-control': 'no-cache' },
    });
  } catch (error) {
    throw new UncheckedError(`${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new UncheckedError(`${url} answered ${response.status}`);
  return response;
}

function openCheckpoint(note: string, key: NoteVerifier): Checkpoint {
  const body = openNote(note, key);
  const checkpoint = body === null ? null : parseCheckpoint(body);
  if (!checkpoint) throw new Alarm(`the checkpoint is not signed by ${key.name}`, [note]);
  if (checkpoint.origin !== key.name) {
    throw new Alarm(`the checkpoint is of log ${checkpoint.origin}, not ${key.name}`, [note]);
  }
  return checkpoint;
}

async function consistencyProof(base: string, from: number, to: number): Promise<Buffer[]> {
  const response = await get(`${base}/api/log/consistency?from=${from}&to=${to}`);
  const json = (await response.json().catch(() => null)) as {
    from?: unknown;
    to?: unknown;
    proof?: unknown;
  } | null;
  if (!json || json.from !== from || json.to !== to || !Array.isArray(json.proof)) {
    throw new Alarm(`the archive answered no consistency proof from ${from} to ${to}`, []);
  }
  return json.proof.map((hash) => Buffer.from(String(hash), 'base64'));
}

/** One check; returns the line to print, throws Alarm or UncheckedError. */
async function checkOnce(base: string, key: NoteVerifier, state: MonitorState): Promise<string> {
  const note = await (await get(`${base}/api/log/checkpoint`)).text();
  const next = openCheckpoint(note, key);
  const previousNote = state.checkpoint;
  let verdict: string;
  if (previousNote === null) {
    verdict = `first checkpoint: ${next.size} leaves, root ${next.root.toString('base64')}`;
  } else {
    const previous = openCheckpoint(previousNote, key);
    const evidence = [previousNote, note];
    if (next.size < previous.size) {
      throw new Alarm(`the tree shrank from ${previous.size} to ${next.size} leaves`, evidence);
    }
    if (next.size === previous.size) {
      if (!next.root.equals(previous.root)) {
        throw new Alarm(`two different roots were signed for ${next.size} leaves: the log forked`, evidence);
      }
      verdict = `unchanged: ${next.size} leaves`;
    } else if (previous.size === 0) {
      verdict = `grew from 0 to ${next.size} leaves`;
    } else {
      const proof = await consistencyProof(base, previous.size, next.size);
      if (!verifyConsistency(previous.size, next.size, previous.root, next.root, proof)) {
        throw new Alarm(
          `the tree of ${next.size} leaves is not consistent with the one of ${previous.size}: history was rewritten`,
          evidence,
        );
      }
      verdict = `grew from ${previous.size} to ${next.size} leaves, consistent`;
    }
  }
  state.checkpoint = note;
  state.checkedAt = new Date().toISOString();
  return verdict;
}

async function keyFor(base: string, given: string | undefined, state: MonitorState | null): Promise<string> {
  if (given !== undefined) {
    if (state && state.key !== given.trim()) {
      throw new UsageError('--key differs from the key pinned in the state file: start a new state file');
    }
    return given.trim();
  }
  if (state) return state.key;
  // Trust on first use: the key is pinned in the state file from now on.
  return (await (await get(`${base}/api/log/key`)).text()).trim();
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { interval: { type: 'string' }, state: { type: 'string' }, key: { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [url, ...extra] = parsed.positionals;
  if (!url || extra.length > 0 || !/^https?:\/\//.test(url)) throw new UsageError('give the archive URL');
  const base = url.replace(/\/+$/, '');
  const interval = parsed.values.interval === undefined ? null : Number(parsed.values.interval);
  if (interval !== null && !(interval >= 1 && interval <= 86_400)) {
    throw new UsageError('--interval is a number of seconds from 1 to 86400');
  }
  const statePath = parsed.values.state;
  const saved = await readState(statePath);
  if (saved && saved.url !== base) throw new UsageError(`the state file watches ${saved.url}, not ${base}`);

  let key: NoteVerifier;
  const keyText = await keyFor(base, parsed.values.key, saved);
  try {
    key = parseVerifierKey(keyText);
  } catch (error) {
    throw new UsageError(`key: ${(error as Error).message}`);
  }
  const state: MonitorState = saved ?? {
    url: base,
    key: formatVerifierKey(key),
    checkpoint: null,
    checkedAt: null,
  };
  if (!saved) await writeState(statePath, state);

  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());

  for (;;) {
    try {
      const verdict = await checkOnce(base, key, state);
      await writeState(statePath, state);
      process.stdout.write(`${new Date().toISOString()} ${key.name}: ${verdict}\n`);
    } catch (error) {
      if (error instanceof Alarm) {
        process.stderr.write(`ALARM ${key.name}: ${error.message}\n`);
        for (const note of error.evidence) process.stderr.write(`\n${note}`);
        return 1;
      }
      if (!(error instanceof UncheckedError)) throw error;
      process.stderr.write(`${new Date().toISOString()} not checked: ${error.message}\n`);
      if (interval === null) return 3;
    }
    if (interval === null || stopping) return 0;
    await sleep(interval * 1000, undefined, { signal: controller.signal }).catch(() => undefined);
    if (stopping) return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    process.exit(error instanceof UncheckedError ? 3 : 2);
  },
);
