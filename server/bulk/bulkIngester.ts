// Ingests every file of a folder or zip: into one order, into the orders a manifest names, or each
// into a draft order of its own. Re-running skips what is already stored, so an interrupted import resumes.
import type pg from 'pg';
import { sniffType } from '../../ingest/sniffType.ts';
import type { Caller } from '../auth/caller.ts';
import { attachDocuments } from '../commands/documentReceiver.ts';
import { fileDraftOrder } from '../commands/draftOrderFiler.ts';
import { describeError } from '../errors.ts';
import type { JobQueue } from '../queue/jobQueue.ts';
import type { DocumentRole } from '../schemas/documents.ts';
import type { BlobStore } from '../storage/blobStore.ts';
import type { ManifestEntry } from './importManifest.ts';
import { listSourceFiles } from './sourceFiles.ts';

export interface BulkIngestOptions {
  source: string;
  /** Every file goes to this order (public id)… */
  order?: string;
  /** …or to the order its manifest row names; files not in the manifest are left out. */
  manifest?: Map<string, ManifestEntry>;
  role: DocumentRole;
  ocrLanguages: string;
}

export interface BulkIngestProgress {
  total: number;
  processed: number;
  stored: number;
  skipped: number;
  failed: { name: string; reason: string }[];
  current?: string;
}

export async function bulkIngest(
  deps: { db: pg.Pool; jobs: JobQueue; blobs: BlobStore; maxBytes: number },
  caller: Caller,
  options: BulkIngestOptions,
  onProgress: (progress: BulkIngestProgress) => void = () => undefined,
): Promise<BulkIngestProgress> {
  const files = await listSourceFiles(options.source);
  const progress: BulkIngestProgress = {
    total: files.length,
    processed: 0,
    stored: 0,
    skipped: 0,
    failed: [],
  };
  for (const file of files) {
    progress.current = file.name;
    onProgress(progress);
    const listed = options.manifest?.get(file.name);
    if (options.manifest && !listed) {
      progress.skipped++;
      progress.processed++;
      continue;
    }
    try {
      const blob = await deps.blobs.store(file.open(), deps.maxBytes);
      const { mime } = await sniffType(blob.path);
      const received = {
        role: listed?.role ?? options.role,
        filename: file.name.split('/').pop(),
        blob,
        mime,
      };
      const orderId = listed?.order ?? options.order;
      const ocrLanguages = listed?.ocrLanguages ?? options.ocrLanguages;
      let attached;
      if (orderId === undefined) {
        // One draft per new file; bytes already anywhere in the archive are not filed again.
        const { rowCount } = await deps.db.query('SELECT 1 FROM documents WHERE sha256 = $1 LIMIT 1', [
          blob.sha256,
        ]);
        if (rowCount) {
          progress.skipped++;
          continue;
        }
        [attached] = (await fileDraftOrder(deps, { caller, files: [received], ocrLanguages })).documents;
      } else {
        [attached] = await attachDocuments(deps, { caller, orderId, files: [received], ocrLanguages });
      }
      if (attached!.duplicate) progress.skipped++;
      else progress.stored++;
    } catch (error) {
      progress.failed.push({ name: file.name, reason: describeError(error) });
    } finally {
      progress.processed++;
    }
  }
  delete progress.current;
  onProgress(progress);
  return progress;
}
