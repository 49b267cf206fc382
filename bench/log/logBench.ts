// `npm run bench:log [-- --pairs 300 --leaves 1000000 --proofs 500]`: what the transparency log costs.
// 1. Filing a document with and without its leaf append, paired in one process (alternating order), on
//    an embedded PostgreSQL: the median of the differences is what the append adds to an upload.
// 2. A tree of --leaves leaves whose nodes are written in large batches, then --proofs inclusion proofs of random
//    leaves read from the stored nodes as GET /api/documents/:id/proof reads them: p50 and p95.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { inclusionProof, leafHash, nodeHash, treeRoot } from '../../domain/transparencyLog/merkle.ts';
import { appendDocumentLeaf } from '../../server/commands/logAppender.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateDatabase } from '../../server/database/migrateDatabase.ts';
import { createPool } from '../../server/database/pool.ts';
import { withTransaction } from '../../server/database/transaction.ts';
import { createLogger } from '../../server/logger.ts';
import { storedSubtrees } from '../../server/records/transparencyLogRecords.ts';
import { startBackingServices } from '../../server/runtime/backingServices.ts';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '300' },
    leaves: { type: 'string', default: '1000000' },
    proofs: { type: 'string', default: '500' },
  },
});
const PAIRS = Number(values.pairs);
const LEAVES = Number(values.leaves);
const PROOFS = Number(values.proofs);
const say = (line: string) => console.log(line);
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (value: number) => `${value.toFixed(3)} ms`;

async function fileOne(db: pg.Pool, orderId: number, withLeaf: boolean): Promise<number> {
  const sha256 = randomBytes(32).toString('hex');
  const started = performance.now();
  await withTransaction(db, async (client) => {
    await client.query('INSERT INTO blobs (sha256, size) VALUES ($1, 10)', [sha256]);
    const { rows } = await client.query<{ id: number; created_at: Date }>(
      `INSERT INTO documents (order_id, sha256, size, role, ocr_languages) VALUES ($1, $2, 10, 'order', 'rus')
       RETURNING id, created_at`,
      [orderId, sha256],
    );
    if (withLeaf) {
      await appendDocumentLeaf(client, {
        documentId: rows[0]!.id,
        orderPublicId: 'TD-2026-00001',
        sha256,
        size: 10,
        received: rows[0]!.created_at,
      });
    }
  });
  return performance.now() - started;
}

async function pairedAppend(db: pg.Pool): Promise<void> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO orders (public_id, authority_id, visibility)
     VALUES ('TD-2026-00001', (SELECT id FROM authorities LIMIT 1), 'public') RETURNING id`,
  );
  const orderId = rows[0]!.id;
  for (let i = 0; i < 20; i += 1) await fileOne(db, orderId, i % 2 === 0); // warm-up
  const differences: number[] = [];
  const without: number[] = [];
  const withLeaf: number[] = [];
  for (let i = 0; i < PAIRS; i += 1) {
    const leafFirst = i % 2 === 0;
    const a = await fileOne(db, orderId, leafFirst);
    const b = await fileOne(db, orderId, !leafFirst);
    const [w, wo] = leafFirst ? [a, b] : [b, a];
    withLeaf.push(w);
    without.push(wo);
    differences.push(w - wo);
  }
  for (const list of [differences, without, withLeaf]) list.sort((x, y) => x - y);
  say(
    `filing a document, ${PAIRS} pairs: without the leaf p50 ${ms(quantile(without, 0.5))}, with ${ms(quantile(withLeaf, 0.5))}`,
  );
  say(`  added by the append: p50 ${ms(quantile(differences, 0.5))}, p95 ${ms(quantile(differences, 0.95))}`);
}

/**
 * Writes the nodes of a tree of `size` random leaves in batches of unnest() inserts (pg-copy-streams, for
 * COPY, is not among the dependencies; these batches fill a million-leaf tree in well under a minute).
 */
async function fillTree(db: pg.Pool, size: number): Promise<void> {
  const started = performance.now();
  // The head row says the size, as the appends would have left it; a proof reads nodes only, so the
  // leaves' rows are not needed, only their level-0 nodes.
  await db.query('UPDATE log_head SET size = $1', [size]);
  let batch: { level: number[]; index: number[]; hash: Buffer[] } = { level: [], index: [], hash: [] };
  const flush = async () => {
    if (batch.level.length === 0) return;
    await db.query(
      'INSERT INTO log_nodes (level, node_index, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])',
      [batch.level, batch.index, batch.hash],
    );
    batch = { level: [], index: [], hash: [] };
  };
  const add = async (level: number, index: number, hash: Buffer) => {
    batch.level.push(level);
    batch.index.push(index);
    batch.hash.push(hash);
    if (batch.level.length >= 20_000) await flush();
  };
  let level: Buffer[] = [];
  const seed = randomBytes(16);
  for (let i = 0; i < size; i += 1) {
    const hash = leafHash(createHash('sha256').update(seed).update(String(i)).digest());
    level.push(hash);
    await add(0, i, hash);
  }
  for (let height = 1; level.length >= 2; height += 1) {
    const above: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const hash = nodeHash(level[i]!, level[i + 1]!);
      above.push(hash);
      await add(height, above.length - 1, hash);
    }
    level = above;
  }
  await flush();
  say(
    `filled a tree of ${size} leaves (${2 * size - 1} nodes at most) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function proofLatency(db: pg.Pool, size: number): Promise<void> {
  const reader = storedSubtrees(db);
  await treeRoot(size, reader);
  const times: number[] = [];
  for (let i = 0; i < PROOFS; i += 1) {
    const index = Math.floor(Math.random() * size);
    const started = performance.now();
    const proof = await inclusionProof(index, size, reader);
    times.push(performance.now() - started);
    if (proof.length === 0 && size > 1) throw new Error('empty proof');
  }
  times.sort((a, b) => a - b);
  say(
    `inclusion proof in a tree of ${size} leaves, ${PROOFS} random leaves: p50 ${ms(quantile(times, 0.5))}, p95 ${ms(quantile(times, 0.95))}`,
  );
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'log-bench-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // Only PostgreSQL is needed: a Meilisearch URL given keeps the embedded one from starting.
    MEILI_URL: 'http://127.0.0.1:9',
    MEILI_MASTER_KEY: 'unused-by-this-bench-0123',
  });
  const services = await startBackingServices(config, createLogger(config));
  const db = createPool(services.databaseUrl, 4);
  try {
    await migrateDatabase(services.databaseUrl);
    await db.query(
      `INSERT INTO authorities (slug, name, country, kind) VALUES ('bench-rkn', 'Bench', 'RU', 'regulator')`,
    );
    say(
      `node ${process.version}, ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    await pairedAppend(db);
    // A fresh database for the big tree, so the appends above do not share its table.
    await db.query('CREATE DATABASE log_bench_tree TEMPLATE template0');
    const treeUrl = services.databaseUrl.replace(/\/([^/?]+)(\?|$)/, '/log_bench_tree$2');
    await migrateDatabase(treeUrl);
    const treeDb = createPool(treeUrl, 4);
    try {
      await fillTree(treeDb, LEAVES);
      await treeDb.query('ANALYZE log_nodes');
      await proofLatency(treeDb, LEAVES);
    } finally {
      await treeDb.end();
    }
  } finally {
    await db.end();
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
