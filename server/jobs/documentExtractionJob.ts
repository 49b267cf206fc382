// The ingest job for one document, pg-boss's side of it: claim the document, read its file in the
// sandbox while writing its progress, then record the result (commands/extractionRecorder.ts).
// A bad file is a result (failed/partial with a reason); only infrastructure errors throw, to be retried.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Logger } from 'pino';
import { extractFile } from '../../ingest/extractFile.ts';
import type { ExtractionProgress } from '../../ingest/extraction.ts';
import type { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import { recordExtraction } from '../commands/extractionRecorder.ts';
import type { Config } from '../config.ts';
import type { JobQueue } from '../queue/jobQueue.ts';
import type { BlobStore } from '../storage/blobStore.ts';

export interface ExtractionJobDependencies {
  db: pg.Pool;
  blobs: BlobStore;
  jobs: JobQueue;
  config: Config;
  logger: Logger;
  /** The worker's sandbox processes, which read the files. */
  sandboxes: SandboxPool;
}

interface ClaimedDocument {
  sha256: string;
  original_filename: string | null;
  ocr_languages: string;
  order_id: number;
  depth: number;
}

export async function runDocumentExtraction(
  deps: ExtractionJobDependencies,
  documentId: number,
): Promise<void> {
  const { rows } = await deps.db.query<ClaimedDocument>(
    `UPDATE documents d SET status = 'processing', progress = 'extracting text', attempts = attempts + 1,
            updated_at = now()
      WHERE id = $1 AND status IN ('pending', 'processing')
      RETURNING sha256, original_filename, ocr_languages, order_id,
        (WITH RECURSIVE chain AS (
           SELECT parent_document_id FROM documents WHERE id = d.id
           UNION ALL SELECT p.parent_document_id FROM documents p JOIN chain ON p.id = chain.parent_document_id)
         SELECT count(*) - 1 FROM chain)::int AS depth`,
    [documentId],
  );
  const claimed = rows[0];
  if (!claimed) return; // deleted, or already extracted by another worker
  const workDir = path.join(
    deps.config.dataDir,
    'work',
    `document-${documentId}-${randomBytes(4).toString('hex')}`,
  );
  const progress = progressWriter(deps, documentId);
  // Page images and OCR text of private documents pass through here: the archive's user's alone.
  await mkdir(path.dirname(workDir), { recursive: true, mode: 0o700 });
  try {
    const started = Date.now();
    const result = await extractFile({
      path: deps.blobs.pathOf(claimed.sha256),
      ...(claimed.original_filename ? { filename: claimed.original_filename } : {}),
      ocrLanguages: claimed.ocr_languages,
      workDir,
      limits: {
        timeoutMs: deps.config.EXTRACT_TIMEOUT_MS,
        ocrPageMs: deps.config.EXTRACT_OCR_PAGE_MS,
        maxTimeoutMs: deps.config.EXTRACT_MAX_TIMEOUT_MS,
      },
      sandboxes: deps.sandboxes,
      onProgress: progress.report,
    });
    await progress.settled();
    const { attachmentIds } = await recordExtraction(deps, {
      documentId,
      orderId: claimed.order_id,
      ocrLanguages: claimed.ocr_languages,
      depth: claimed.depth,
      result,
    });
    deps.logger.info(
      {
        documentId,
        status: result.status,
        pages: result.pages.length,
        attachments: attachmentIds.length,
        ms: Date.now() - started,
      },
      'document extracted',
    );
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** In words, for the document's `progress` while it is processed. */
function describeProgress({ ocrPages, ocrDone }: ExtractionProgress): string {
  if (ocrPages === 1) return 'reading the scan (OCR)';
  return `reading scanned pages (OCR): ${ocrDone} of ${ocrPages} done`;
}

/** Writes progress to the document row one UPDATE at a time; reports arriving meanwhile keep only the latest. */
function progressWriter(deps: ExtractionJobDependencies, documentId: number) {
  let written = Promise.resolve();
  let latest: string | undefined;
  return {
    report(report: ExtractionProgress): void {
      const first = latest === undefined;
      latest = describeProgress(report);
      if (!first) return; // the write queued below picks it up
      written = written
        .then(async () => {
          const text = latest;
          latest = undefined;
          await deps.db.query(
            `UPDATE documents SET progress = $2, updated_at = now() WHERE id = $1 AND status = 'processing'`,
            [documentId, text],
          );
        })
        .catch((error: Error) =>
          deps.logger.warn({ documentId, error: error.message }, 'could not record extraction progress'),
        );
    },
    settled: () => written,
  };
}
