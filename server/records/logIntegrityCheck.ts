// The start-up integrity check: every stored file re-hashed against its log entry's sha256, every leaf
// hash against its entry, and the tree re-built from the leaves against the latest signed checkpoint.
// It only reads and reports: a mismatch names the document, for an operator to investigate.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parseDocumentEntry } from '../../domain/transparencyLog/entry.ts';
import { leafHash, nodeHash } from '../../domain/transparencyLog/merkle.ts';
import type { Queryable } from '../database/transaction.ts';
import type { BlobStore } from '../storage/blobStore.ts';
import { latestCheckpoint } from './transparencyLogRecords.ts';

export interface IntegrityProblem {
  documentId?: number;
  leafIndex?: number;
  problem: string;
}

export interface IntegrityReport {
  leavesChecked: number;
  filesChecked: number;
  problems: IntegrityProblem[];
}

async function sha256OfFile(file: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return hash.digest('hex');
}

/** Folds leaf hashes, one at a time, into the root of the tree they make (O(log n) memory). */
class StreamingRoot {
  private readonly stack: Array<{ level: number; hash: Buffer }> = [];
  add(hash: Buffer): void {
    let node = { level: 0, hash };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.level === node.level) {
      const left = this.stack.pop()!;
      node = { level: node.level + 1, hash: nodeHash(left.hash, node.hash) };
    }
    this.stack.push(node);
  }
  root(): Buffer | undefined {
    if (this.stack.length === 0) return undefined;
    let hash = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i -= 1) hash = nodeHash(this.stack[i]!.hash, hash);
    return hash;
  }
}

/** Checks the whole log and every logged file; `onProblem` hears each mismatch as it is found. */
export async function checkLogIntegrity(
  deps: { db: Queryable; blobs: BlobStore },
  onProblem: (problem: IntegrityProblem) => void = () => undefined,
  batchSize = 1000,
): Promise<IntegrityReport> {
  const report: IntegrityReport = { leavesChecked: 0, filesChecked: 0, problems: [] };
  const found = (problem: IntegrityProblem) => {
    report.problems.push(problem);
    onProblem(problem);
  };
  const checkpoint = await latestCheckpoint(deps.db);
  const tree = new StreamingRoot();
  let after = -1;
  for (;;) {
    const { rows } = await deps.db.query<{
      leaf_index: number;
      document_id: number;
      entry: Buffer;
      leaf_hash: Buffer;
      node_hash: Buffer | null;
    }>(
      `SELECT l.leaf_index, l.document_id, l.entry, l.leaf_hash, n.hash AS node_hash
         FROM log_leaves l LEFT JOIN log_nodes n ON n.level = 0 AND n.node_index = l.leaf_index
        WHERE l.leaf_index > $1 ORDER BY l.leaf_index LIMIT $2`,
      [after, batchSize],
    );
    for (const row of rows) {
      const leafIndex = Number(row.leaf_index);
      const documentId = Number(row.document_id);
      if (leafIndex !== report.leavesChecked) {
        found({ leafIndex: report.leavesChecked, problem: 'the log has no leaf at this index' });
      }
      report.leavesChecked = leafIndex + 1;
      const hash = leafHash(row.entry);
      if (!hash.equals(row.leaf_hash) || !row.node_hash?.equals(hash)) {
        found({ documentId, leafIndex, problem: 'the leaf hash does not match its entry' });
      }
      if (checkpoint && leafIndex < checkpoint.tree_size) tree.add(hash);
      const entry = parseDocumentEntry(row.entry.toString('utf8'));
      if (!entry || entry.documentId !== documentId) {
        found({ documentId, leafIndex, problem: 'the entry is not a document entry of this document' });
        continue;
      }
      const actual = await sha256OfFile(deps.blobs.pathOf(entry.sha256));
      report.filesChecked += 1;
      if (actual === undefined) found({ documentId, leafIndex, problem: 'the stored file is missing' });
      else if (actual !== entry.sha256) {
        found({
          documentId,
          leafIndex,
          problem: `the stored file's bytes no longer match sha256 ${entry.sha256}`,
        });
      }
    }
    if (rows.length < batchSize) break;
    after = Number(rows[rows.length - 1]!.leaf_index);
  }
  if (checkpoint && checkpoint.tree_size > 0 && !tree.root()?.equals(checkpoint.root_hash)) {
    found({ problem: `the leaves do not give the root of the checkpoint of size ${checkpoint.tree_size}` });
  }
  return report;
}
