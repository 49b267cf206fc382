// Appends a document's leaf to the transparency log in the transaction that files the document, and gives
// the documents from before the log their leaves at start-up. Appends are serialised by the one log_head
// row, locked as late as the caller's transaction allows, so leaves take consecutive indexes.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { formatDocumentEntry } from '../../domain/transparencyLog/entry.ts';
import { appendSiblings, appendedSubtrees, leafHash } from '../../domain/transparencyLog/merkle.ts';
import { withTransaction } from '../database/transaction.ts';

export interface LoggedDocument {
  documentId: number;
  orderPublicId: string;
  sha256: string;
  size: number;
  received: Date;
}

/** Appends the document's leaf and the perfect subtrees it completes; answers its leaf index. */
export async function appendDocumentLeaf(client: pg.PoolClient, document: LoggedDocument): Promise<number> {
  const entry = Buffer.from(
    formatDocumentEntry({ ...document, nonce: randomBytes(16).toString('hex') }),
    'utf8',
  );
  const hash = leafHash(entry);
  // The lock: held until the caller commits. Statements after it see what earlier appends committed.
  const head = await client.query<{ leaf_index: string }>(
    'UPDATE log_head SET size = size + 1 RETURNING size - 1 AS leaf_index',
  );
  const index = Number(head.rows[0]!.leaf_index);
  const positions = appendSiblings(index);
  const siblings = positions.length
    ? await client.query<{ level: number; hash: Buffer }>(
        `SELECT level, hash FROM log_nodes
          WHERE (level, node_index) IN (SELECT * FROM unnest($1::smallint[], $2::bigint[])) ORDER BY level`,
        [positions.map((p) => p.level), positions.map((p) => p.index)],
      )
    : { rows: [] };
  if (siblings.rows.length !== positions.length) {
    throw new Error(`the transparency log is missing nodes beside leaf ${index}`);
  }
  const nodes = appendedSubtrees(
    index,
    hash,
    siblings.rows.map((row) => row.hash),
  );
  await client.query(
    `WITH leaf AS (
       INSERT INTO log_leaves (leaf_index, document_id, entry, leaf_hash) VALUES ($1, $2, $3, $4)
     )
     INSERT INTO log_nodes (level, node_index, hash)
     SELECT * FROM unnest($5::smallint[], $6::bigint[], $7::bytea[])`,
    [
      index,
      document.documentId,
      entry,
      hash,
      nodes.map((node) => node.level),
      nodes.map((node) => node.index),
      nodes.map((node) => node.hash),
    ],
  );
  return index;
}

const MISSING_LEAVES_SQL = `
  SELECT d.id, o.public_id, d.sha256, d.size, d.created_at
    FROM documents d JOIN orders o ON o.id = d.order_id
   WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.document_id = d.id)
   ORDER BY d.id LIMIT $1`;

/**
 * Gives every document without a leaf (those filed before the log existed) its leaf, in id order, a batch
 * per transaction. Run at start-up; a second run finds nothing to do. Answers how many it appended.
 */
export async function appendMissingLeaves(db: pg.Pool, batchSize = 500): Promise<number> {
  let appended = 0;
  for (;;) {
    const count = await withTransaction(db, async (client) => {
      // Taking the head first keeps uploads from interleaving with a batch that re-checks what is missing.
      await client.query('SELECT size FROM log_head FOR UPDATE');
      const { rows } = await client.query<{
        id: string;
        public_id: string;
        sha256: string;
        size: string;
        created_at: Date;
      }>(MISSING_LEAVES_SQL, [batchSize]);
      for (const row of rows) {
        await appendDocumentLeaf(client, {
          documentId: Number(row.id),
          orderPublicId: row.public_id,
          sha256: row.sha256,
          size: Number(row.size),
          received: row.created_at,
        });
      }
      return rows.length;
    });
    appended += count;
    if (count < batchSize) return appended;
  }
}
