// Signs a checkpoint of the transparency log when the tree has grown since the last one, and keeps it:
// every checkpoint the archive ever published stays in log_checkpoints, for monitors to check.
import type pg from 'pg';
import { treeRoot } from '../../domain/transparencyLog/merkle.ts';
import { formatCheckpoint, signNote, type NoteSigner } from '../../domain/transparencyLog/note.ts';
import {
  latestCheckpoint,
  logSize,
  storedSubtrees,
  type CheckpointRow,
} from '../records/transparencyLogRecords.ts';

export interface CheckpointSigning {
  db: pg.Pool;
  signer: NoteSigner;
  origin: string;
}

/**
 * The latest checkpoint, signing a new one first when the log holds more leaves than it covers (or none
 * was ever signed). Two processes signing at once keep one checkpoint per size.
 */
export async function signCheckpointIfGrown({
  db,
  signer,
  origin,
}: CheckpointSigning): Promise<CheckpointRow> {
  const [size, latest] = await Promise.all([logSize(db), latestCheckpoint(db)]);
  if (latest && latest.tree_size >= size) return latest;
  // The head and the nodes of its leaves commit together, so every node under `size` is there.
  const root = await treeRoot(size, storedSubtrees(db));
  const note = signNote(formatCheckpoint({ origin, size, root }), signer);
  const { rows } = await db.query<CheckpointRow>(
    `INSERT INTO log_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3)
     ON CONFLICT (tree_size) DO NOTHING RETURNING tree_size, root_hash, note, published_at`,
    [size, root, note],
  );
  return rows[0] ?? (await latestCheckpoint(db))!;
}
