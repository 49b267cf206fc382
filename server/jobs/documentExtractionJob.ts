// The ingest job for one document: extract its text in the sandbox, keep pages, suggestions and
// attachments (as child documents, extracted in turn), and mark the order for search.
// A bad file is a result (failed/partial with a reason); only infrastructure errors throw, to be retried.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Logger } from 'pino';
import { extractFile } from '../../ingest/extractFile.ts';
import type { ExtractionProgress, ExtractionResult } from '../../ingest/extraction.ts';
import type { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import { sniffType } from '../../ingest/sniffType.ts';
import type { Config } from '../config.ts';
import { withTransaction } from '../database/transaction.ts';
import type { JobQueue } from '../queue/jobQueue.ts';
import { recordBlob } from '../storage/blobClaims.ts';
import { BlobTooLargeError, type BlobStore, type StoredBlob } from '../storage/blobStore.ts';

/** E-mails inside e-mails inside e-mails…: deeper than this is not followed. */
const MAX_NESTING = 5;

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

// PostgreSQL text and jsonb cannot hold NUL characters; hostile or broken files do contain them.
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}
function jsonWithoutNul(value: unknown): string {
  return JSON.stringify(value).replaceAll('\\u0000', '');
}

/**
 * Keeps an extraction's result in one statement: its pages (a page read before and not now is removed,
 * as after a reprocess with fewer pages), the document's status and suggestions, and its order queued
 * for search (as enqueueOrderForSearch does). Each PostgreSQL round trip costs both sides CPU, and this
 * statement replaced five of them per file.
 */
const RECORD_EXTRACTION_SQL = `
  WITH pages AS (
         INSERT INTO document_pages (document_id, number, text, method, confidence)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::real[])
         ON CONFLICT (document_id, number) DO UPDATE
           SET text = excluded.text, method = excluded.method, confidence = excluded.confidence),
       stale_pages AS (
         DELETE FROM document_pages WHERE document_id = $1 AND number <> ALL ($2::int[])),
       document AS (
         UPDATE documents SET status = $6, status_reason = $7, mime = $8, page_count = $9, language = $10,
                metadata = $11::jsonb, suggestions = $12::jsonb, warnings = $13, progress = NULL,
                extracted_at = now(), updated_at = now()
          WHERE id = $1)
  INSERT INTO search_outbox (order_id) VALUES ($14)`;

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
    const children = await storeChildren(deps, result, claimed.depth);
    const suggestions = result.suggestions ?? null;
    const warnings = [...result.warnings, ...children.warnings].map(withoutNul);
    const recordValues = [
      documentId,
      result.pages.map((page) => page.number),
      result.pages.map((page) => withoutNul(page.text)),
      result.pages.map((page) => page.method),
      result.pages.map((page) => page.confidence),
      result.status,
      result.reason ? withoutNul(result.reason) : null,
      result.mime,
      result.pages.length,
      suggestions?.language?.code ?? null,
      jsonWithoutNul(result.metadata),
      suggestions ? jsonWithoutNul(suggestions) : null,
      warnings,
      claimed.order_id,
    ];
    if (!children.stored.length) {
      // One statement is one transaction: no BEGIN and COMMIT round trips for the usual file.
      await deps.db.query(RECORD_EXTRACTION_SQL, recordValues);
    } else {
      await withTransaction(deps.db, async (client) => {
        await client.query(RECORD_EXTRACTION_SQL, recordValues);
        for (const child of children.stored) {
          await recordBlob(client, child.blob);
          const inserted = await client.query<{ id: number }>(
            `INSERT INTO documents (order_id, parent_document_id, sha256, size, mime, original_filename, role, ocr_languages)
             VALUES ($1, $2, $3, $4, $5, $6, 'attachment', $7)
             ON CONFLICT DO NOTHING RETURNING id`,
            [
              claimed.order_id,
              documentId,
              child.blob.sha256,
              child.blob.size,
              child.mime,
              child.filename,
              claimed.ocr_languages,
            ],
          );
          if (inserted.rows[0])
            await deps.jobs.enqueueExtraction(client, { documentId: inserted.rows[0].id });
        }
      });
    }
    deps.logger.info(
      { documentId, status: result.status, pages: result.pages.length, ms: Date.now() - started },
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

async function storeChildren(deps: ExtractionJobDependencies, result: ExtractionResult, depth: number) {
  const stored: { filename: string; blob: StoredBlob; mime: string }[] = [];
  const warnings: string[] = [];
  if (result.children.length && depth + 1 > MAX_NESTING) {
    warnings.push(
      `${result.children.length} attachment(s) not extracted: nested more than ${MAX_NESTING} levels deep`,
    );
    return { stored, warnings };
  }
  for (const child of result.children) {
    try {
      const blob = await deps.blobs.store(createReadStream(child.path), deps.config.MAX_UPLOAD_BYTES);
      const { mime } = await sniffType(blob.path);
      stored.push({ filename: child.filename, blob, mime });
    } catch (error) {
      if (!(error instanceof BlobTooLargeError)) throw error;
      warnings.push(`Attachment ${child.filename} not kept: ${error.message}`);
    }
  }
  return { stored, warnings };
}
