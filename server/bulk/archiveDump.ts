// `npm run export -- DIR`: the archive's open data as files: every order the public may see as JSON lines
// and CSV (the same rows as /api/export.jsonl and .csv for an anonymous caller), written in one pass from
// one snapshot, and a manifest with the counts and the sha256 of each file, so a copy can be checked.
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type pg from 'pg';
import { stringify } from 'csv-stringify/sync';
import type { Caller } from '../auth/caller.ts';
import { exportOrderBatches } from '../records/orderExport.ts';
import { ORDER_CSV_COLUMNS, orderCsvRow } from '../records/orderExportCsv.ts';
import { latestCheckpoint } from '../records/transparencyLogRecords.ts';

export const DUMP_FILES = { jsonl: 'orders.jsonl', csv: 'orders.csv', manifest: 'manifest.json' } as const;

export interface DumpProgress {
  orders: number;
  elapsedMs: number;
}

export interface DumpManifest {
  format: 'takedown-archive-dump/1';
  created_at: string;
  /** Who the dump is for: the public (anonymous), as the open data the archive publishes. */
  audience: 'public';
  counts: { orders: number; targets: number; responses: number; events: number; documents: number };
  files: { name: string; bytes: number; sha256: string }[];
  /**
   * The transparency log's latest signed checkpoint when the dump was made (docs/TRANSPARENCY-LOG.md), so a
   * reader can check each document's sha256 against the log with its proof. Null before the first one.
   */
  transparency_checkpoint: DumpCheckpoint | null;
}

export interface DumpCheckpoint {
  tree_size: number;
  /** base64, as the checkpoint's own text has it. */
  root_hash: string;
  /** The signed note, exactly as GET /api/log/checkpoint served it. */
  note: string;
}

/** A file written with backpressure, hashed and counted as it is written; renamed into place at the end. */
class HashedFile {
  private readonly hash = createHash('sha256');
  private readonly stream: WriteStream;
  bytes = 0;

  constructor(readonly finalPath: string) {
    this.stream = createWriteStream(`${finalPath}.partial`, { mode: 0o644 });
  }

  async write(text: string): Promise<void> {
    const chunk = Buffer.from(text, 'utf8');
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<{ name: string; bytes: number; sha256: string }> {
    this.stream.end();
    await once(this.stream, 'finish');
    await rename(`${this.finalPath}.partial`, this.finalPath);
    return { name: path.basename(this.finalPath), bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** The transparency log's latest signed checkpoint, read in the dump's own snapshot (none before the first). */
async function latestSignedCheckpoint(db: pg.PoolClient): Promise<DumpCheckpoint | null> {
  const latest = await latestCheckpoint(db);
  if (!latest) return null;
  return {
    tree_size: Number(latest.tree_size),
    root_hash: latest.root_hash.toString('base64'),
    note: latest.note,
  };
}

export async function writeArchiveDump(
  pool: pg.Pool,
  directory: string,
  onProgress: (progress: DumpProgress) => void = () => {},
): Promise<DumpManifest> {
  const started = Date.now();
  await mkdir(directory, { recursive: true });
  const jsonl = new HashedFile(path.join(directory, DUMP_FILES.jsonl));
  const csv = new HashedFile(path.join(directory, DUMP_FILES.csv));
  const counts = { orders: 0, targets: 0, responses: 0, events: 0, documents: 0 };
  const anonymous: Caller = { kind: 'anonymous' };
  const client = await pool.connect();
  try {
    // One snapshot for the whole dump, so its files and counts describe one moment of the archive.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await csv.write(`\ufeff${stringify([ORDER_CSV_COLUMNS])}`);
    for await (const batch of exportOrderBatches(client, anonymous, {})) {
      await jsonl.write(batch.map((order) => `${JSON.stringify(order)}\n`).join(''));
      await csv.write(
        stringify(batch.map(orderCsvRow), { cast: { boolean: (value) => (value ? 'true' : 'false') } }),
      );
      for (const order of batch) {
        counts.orders += 1;
        counts.targets += order.targets.length;
        counts.responses += order.responses.length;
        counts.events += order.events.length;
        counts.documents += order.documents.length;
      }
      onProgress({ orders: counts.orders, elapsedMs: Date.now() - started });
    }
    const checkpoint = await latestSignedCheckpoint(client);
    await client.query('COMMIT');
    const manifest: DumpManifest = {
      format: 'takedown-archive-dump/1',
      created_at: new Date().toISOString(),
      audience: 'public',
      counts,
      files: [await jsonl.close(), await csv.close()],
      transparency_checkpoint: checkpoint,
    };
    await writeFile(path.join(directory, DUMP_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
