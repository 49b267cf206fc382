// Reads of the transparency log: perfect-subtree hashes for proofs, a document's leaf, the tree's size
// and the published checkpoints.
import {
  inclusionProof,
  type SubtreePosition,
  type SubtreeReader,
} from '../../domain/transparencyLog/merkle.ts';
import type { Queryable } from '../database/transaction.ts';

/** Reads the hashes a proof needs in one query. */
export function storedSubtrees(db: Queryable): SubtreeReader {
  return async (positions: readonly SubtreePosition[]) => {
    const { rows } = await db.query<{ level: number; node_index: number; hash: Buffer }>(
      `SELECT level, node_index, hash FROM log_nodes
        WHERE (level, node_index) IN (SELECT * FROM unnest($1::smallint[], $2::bigint[]))`,
      [positions.map((p) => p.level), positions.map((p) => p.index)],
    );
    const byPosition = new Map(rows.map((row) => [`${row.level}/${row.node_index}`, row.hash]));
    return positions.map(({ level, index }) => {
      const hash = byPosition.get(`${level}/${index}`);
      if (!hash) throw new Error(`the transparency log has no node at level ${level}, index ${index}`);
      return hash;
    });
  };
}

/** How many leaves the log holds (committed ones). */
export async function logSize(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ size: number }>('SELECT size FROM log_head');
  return Number(rows[0]?.size ?? 0);
}

export interface LeafRow {
  leaf_index: number;
  document_id: number;
  entry: Buffer;
  leaf_hash: Buffer;
}

export async function findLeafOfDocument(db: Queryable, documentId: number): Promise<LeafRow | undefined> {
  const { rows } = await db.query<LeafRow>(
    'SELECT leaf_index, document_id, entry, leaf_hash FROM log_leaves WHERE document_id = $1',
    [documentId],
  );
  return rows[0];
}

export interface CheckpointRow {
  tree_size: number;
  root_hash: Buffer;
  note: string;
  published_at: Date;
}

const CHECKPOINT_COLUMNS = 'tree_size, root_hash, note, published_at';

export async function latestCheckpoint(db: Queryable): Promise<CheckpointRow | undefined> {
  const { rows } = await db.query<CheckpointRow>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1`,
  );
  return rows[0];
}

/** The published checkpoints of these sizes (those that exist). */
export async function checkpointsOfSizes(db: Queryable, sizes: number[]): Promise<CheckpointRow[]> {
  const { rows } = await db.query<CheckpointRow>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM log_checkpoints WHERE tree_size = ANY ($1::bigint[])`,
    [sizes],
  );
  return rows;
}

/** Published checkpoints larger than `after`, smallest first. */
export async function listCheckpoints(db: Queryable, after: number, limit: number): Promise<CheckpointRow[]> {
  const { rows } = await db.query<CheckpointRow>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM log_checkpoints WHERE tree_size > $1 ORDER BY tree_size LIMIT $2`,
    [after, limit],
  );
  return rows;
}

export interface DocumentProofAnswer {
  entry: string;
  leaf_index: number;
  tree_size: number;
  inclusion: string[];
  checkpoint: string;
}

/** The JSON proof of a leaf against a checkpoint that covers it (docs/TRANSPARENCY-LOG.md §6). */
export async function readDocumentProof(
  db: Queryable,
  leaf: LeafRow,
  checkpoint: CheckpointRow,
): Promise<DocumentProofAnswer> {
  const inclusion = await inclusionProof(
    Number(leaf.leaf_index),
    Number(checkpoint.tree_size),
    storedSubtrees(db),
  );
  return {
    entry: leaf.entry.toString('base64'),
    leaf_index: Number(leaf.leaf_index),
    tree_size: Number(checkpoint.tree_size),
    inclusion: inclusion.map((hash) => hash.toString('base64')),
    checkpoint: checkpoint.note,
  };
}
