// A stored file serves every document with the same bytes, so removing one is a claim on shared state.
// An upload that stored a new file and then failed (another of its files over the limit, an order it may
// not change) removes what it stored; meanwhile another upload of the same bytes may have found the file
// there and be filing a document on it. Both sides take one PostgreSQL lock per sha256: a file is removed
// only while no `blobs` row names it, and a `blobs` row is written only while its file is there, the
// lock held until that row commits.
import { rm, stat } from 'node:fs/promises';
import type pg from 'pg';
import { ArchiveError } from '../errors.ts';
import { withTransaction } from '../database/transaction.ts';
import type { StoredBlob } from './blobStore.ts';

async function lockBlob(client: pg.PoolClient, sha256: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1::text))', [`blob:${sha256}`]);
}

/**
 * Inside the caller's transaction: records the blob, once its file is known to be there (it stays
 * there: a removal waits for this transaction, then finds the row). A file removed in between is not
 * filed: the caller is told to send the bytes again.
 */
export async function recordBlob(client: pg.PoolClient, blob: Pick<StoredBlob, 'sha256' | 'size' | 'path'>) {
  // The lock and the row in one round trip; the file is checked after, still under the lock.
  await client.query(
    `WITH locked AS (SELECT pg_advisory_xact_lock(hashtext($3::text)))
     INSERT INTO blobs (sha256, size) SELECT $1, $2 FROM locked ON CONFLICT (sha256) DO NOTHING`,
    [blob.sha256, blob.size, `blob:${blob.sha256}`],
  );
  try {
    await stat(blob.path);
  } catch {
    throw new ArchiveError(
      'blob_missing',
      'The file was removed from the store while it was being received (a failed upload of the same ' +
        'bytes cleaned up after itself): send it again.',
    );
  }
}

/** Removes the files a failed request stored anew, unless a document has come to use them since. */
export async function discardUnusedBlobs(db: pg.Pool, stored: StoredBlob[]): Promise<void> {
  for (const blob of stored) {
    if (blob.alreadyStored) continue;
    await withTransaction(db, async (client) => {
      await lockBlob(client, blob.sha256);
      const used = await client.query('SELECT 1 FROM blobs WHERE sha256 = $1', [blob.sha256]);
      if (!used.rowCount) await rm(blob.path, { force: true });
    });
  }
}
