// Streams a blocking-registry dump (one dump.csv, or a folder of its chunks dump-00.csv … read in name
// order as one file) from windows-1251 into rows, one at a time: memory stays flat whatever the size.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse';
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

  const skipped: RegistryRowProblem[] = [];
  const parser = parse({
    delimiter: ';',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (error) => {
      skipped.push({
        line: (error as { lines?: number } | undefined)?.lines ?? 0,
        reason: `the row cannot be split into fields: ${error?.message ?? 'malformed quoting'}`,
      });
      return undefined;
    },
  });
  const records = joined.pipe(iconv.decodeStream('win1251')).pipe(parser);

  let first = true;
  for await (const { record, info } of records as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    while (skipped.length > 0) yield { kind: 'problem', problem: skipped.shift()! };
    if (first) {
      first = false;
      const updated = record.length === 1 ? parseUpdatedLine(record[0]!) : undefined;
      if (updated) {
        yield { kind: 'updated', at: updated };
        continue;
      }
    }
    const row = parseRegistryRow(record, info.lines);
    yield isRowProblem(row) ? { kind: 'problem', problem: row } : { kind: 'row', row };
  }
  while (skipped.length > 0) yield { kind: 'problem', problem: skipped.shift()! };
}
