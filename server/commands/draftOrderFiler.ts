// Files a demand that arrives as files alone (POST /api/intake, the upload page, the bulk ingester): a
// private draft order and its documents in one transaction, so a failure leaves no empty draft behind,
// and the files the request stored anew are removed again unless a document has come to use them.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { withTransaction } from '../database/transaction.ts';
import type { JobQueue } from '../queue/jobQueue.ts';
import { discardUnusedBlobs } from '../storage/blobClaims.ts';
import { attachDocumentsIn, type AttachedDocument, type ReceivedFile } from './documentReceiver.ts';
import { insertDraftOrder } from './orderCreator.ts';

export interface DraftToFile {
  caller: Caller;
  /** The outlet's slug; a member of one outlet files for it when this is left out. */
  outlet?: string | undefined;
  files: ReceivedFile[];
  ocrLanguages: string;
}

export interface FiledDraft {
  /** The draft order's public id. */
  orderId: string;
  documents: AttachedDocument[];
}

export async function fileDraftOrder(
  deps: { db: pg.Pool; jobs: JobQueue },
  { caller, outlet, files, ocrLanguages }: DraftToFile,
): Promise<FiledDraft> {
  try {
    return await withTransaction(deps.db, async (client) => {
      const orderId = await insertDraftOrder(client, { caller, outlet });
      const documents = await attachDocumentsIn(
        { client, jobs: deps.jobs },
        { caller, orderId, files, ocrLanguages },
      );
      return { orderId, documents };
    });
  } catch (error) {
    await discardUnusedBlobs(
      deps.db,
      files.map((file) => file.blob),
    );
    throw error;
  }
}
