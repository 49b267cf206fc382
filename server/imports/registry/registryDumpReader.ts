// Streams a blocking-registry dump (one dump.csv, or a folder of its chunks dump-00.csv … read in name
// order as one file) from windows-1251 (iconv-lite's stream) into rows, one at a time: memory stays flat
// whatever the size. Rows with quotes (URLs holding `;`, `|` or a line break) are read by csv-parse.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse as parseSync } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import {
  isRowProblem,
  parseRegistryRow,
  parseUpdatedLine,
  type RegistryRow,
  type RegistryRowProblem,
} from '../../../domain/registryRows.ts';

export type DumpItem =
  | { kind: 'updated'; at: Date }
  | { kind: 'row'; row: RegistryRow }
  | { kind: 'problem'; problem: RegistryRowProblem };

export interface DumpFiles {
  paths: string[];
  bytes: number;
  /** Names the dump wherever it lies: its size and the sha256 of its first MiB. */
  key: string;
}

/** The dump's files: PATH itself, or the .csv files of the folder PATH in name order. */
export async function findDumpFiles(source: string): Promise<DumpFiles> {
  const info = await stat(source);
  const paths = info.isDirectory()
    ? (await readdir(source))
        .filter((name) => name.toLowerCase().endsWith('.csv') && !name.startsWith('.'))
        .sort()
        .map((name) => path.join(source, name))
    : [source];
  if (paths.length === 0) throw new Error(`${source} holds no .csv dump files`);
  let bytes = 0;
  for (const file of paths) bytes += (await stat(file)).size;
  const head = Buffer.alloc(1 << 20);
  const handle = await open(paths[0]!, 'r');
  let headLength = 0;
  try {
    ({ bytesRead: headLength } = await handle.read(head, 0, head.length, 0));
  } finally {
    await handle.close();
  }
  const digest = createHash('sha256').update(head.subarray(0, headLength)).digest('hex');
  return { paths, bytes, key: `${bytes}:${paths.length}:${digest}` };
}

/**
 * Each row of the dump in order, with its line number (of the files joined), read or reported; a broken
 * row is reported and reading goes on. `onBytes` hears how many raw bytes have been read.
 */
export async function* readRegistryDump(
  files: DumpFiles,
  onBytes: (bytes: number) => void = () => {},
): AsyncGenerator<DumpItem> {
  const joined = new PassThrough();
  void (async () => {
    for (const file of files.paths) {
      const stream = createReadStream(file, { highWaterMark: 1 << 16 });
      stream.on('data', (chunk) => onBytes(chunk.length));
      try {
        for await (const chunk of stream) {
          if (!joined.write(chunk)) await new Promise((resolve) => joined.once('drain', resolve));
        }
      } catch (error) {
        joined.destroy(error as Error);
        return;
      }
    }
    joined.end();
  })();

  let first = true;
  let pending: { line: number; lines: string[] } | undefined;
  const records = function* (text: string, line: number): Generator<DumpItem> {
    if (!pending && !text.includes('"')) {
      // Most rows hold no quote: split as csv-parse would, without its per-character machinery (the
      // dump's single largest cost when every row went through it).
      if (text.trim() !== '') yield* itemOf(text.split(';'), line);
      return;
    }
    pending ??= { line, lines: [] };
    pending.lines.push(text);
    const quoted = parseQuoted(pending.lines.join('\n'));
    if (quoted === 'unclosed' && pending.lines.length < MAX_QUOTED_LINES) return;
    const held = pending;
    pending = undefined;
    if (Array.isArray(quoted)) {
      yield* itemOf(quoted, held.line);
      return;
    }
    yield {
      kind: 'problem',
      problem: {
        line: held.line,
        reason: `the row cannot be split into fields: ${quoted === 'unclosed' ? 'a quoted field is never closed' : quoted}`,
      },
    };
    // The lines read on in search of the closing quote are rows of their own.
    for (const [offset, next] of held.lines.slice(1).entries()) yield* records(next, held.line + 1 + offset);
  };
  const itemOf = function* (fields: string[], line: number): Generator<DumpItem> {
    if (first) {
      first = false;
      const updated = fields.length === 1 ? parseUpdatedLine(fields[0]!) : undefined;
      if (updated) {
        yield { kind: 'updated', at: updated };
        return;
      }
    }
    const row = parseRegistryRow(fields, line);
    yield isRowProblem(row) ? { kind: 'problem', problem: row } : { kind: 'row', row };
  };

  let carry = '';
  let lineNumber = 0;
  for await (const chunk of joined.pipe(iconv.decodeStream('win1251')) as AsyncIterable<string>) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop()!;
    for (const text of lines) yield* records(text.endsWith('\r') ? text.slice(0, -1) : text, ++lineNumber);
  }
  if (carry !== '') yield* records(carry, ++lineNumber);
  // The dump ended inside a quoted field: its first line is broken, the rest are rows of their own.
  while (pending) {
    const held: { line: number; lines: string[] } = pending;
    pending = undefined;
    yield {
      kind: 'problem',
      problem: {
        line: held.line,
        reason: 'the row cannot be split into fields: a quoted field is never closed',
      },
    };
    for (const [offset, next] of held.lines.slice(1).entries()) yield* records(next, held.line + 1 + offset);
  }
}

/** A quoted field may hold `;` and line breaks: a rare row with quotes is read by csv-parse itself. */
const MAX_QUOTED_LINES = 5;

function parseQuoted(text: string): string[] | 'unclosed' | string {
  try {
    const records = parseSync(text, {
      delimiter: ';',
      relax_quotes: true,
      relax_column_count: true,
    }) as string[][];
    if (records.length === 1) return records[0]!;
    return `it reads as ${records.length} rows`;
  } catch (error) {
    if ((error as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED') return 'unclosed';
    return (error as Error).message;
  }
}
