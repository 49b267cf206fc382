// What every importer of a public collection takes and answers: its dependencies, its progress and its
// report (what came in, what changed, what was left out and why).
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import type { JobQueue } from '../queue/jobQueue.ts';
import type { BlobStore } from '../storage/blobStore.ts';

export interface ImportDeps {
  db: pg.Pool;
  jobs: JobQueue;
  blobs: BlobStore;
  /** The largest file filed as a document (MAX_UPLOAD_BYTES). */
  maxBytes: number;
  /** Who the audit log names; an operator by default. */
  caller?: Caller;
}

export interface ImportProgress {
  total: number;
  processed: number;
  current?: string;
}

export type ImportProgressListener = (progress: ImportProgress) => void;

export interface ImportReport {
  /** New orders. */
  imported: number;
  /** Orders already imported whose notice brought something new. */
  updated: number;
  /** Orders already imported, found as they were. */
  unchanged: number;
  skipped: { file: string; reason: string }[];
  /** Issuing bodies the catalogue did not have, created for these orders (slugs). */
  newAuthorities: string[];
}

export function emptyReport(): ImportReport {
  return { imported: 0, updated: 0, unchanged: 0, skipped: [], newAuthorities: [] };
}
