// The rendition job for one document, pg-boss's side of it: make the redacted rendition in a sandbox
// process, then record it (commands/renditionRecorder.ts). A file that cannot be rendered, or a
// redaction that cannot be placed, is a result; only infrastructure errors throw, to be retried.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { StoredPage } from '../../ingest/renditions/redactionBoxes.ts';
import { RenditionError } from '../../ingest/renditions/renditionError.ts';
import { renderRedactedInSandbox, renditionTimeoutMs } from '../../ingest/renditions/renditionSandbox.ts';
import { recordRendition, type RenditionOutcome } from '../commands/renditionRecorder.ts';
import type { Config } from '../config.ts';
import type { RenderRedactedJob } from '../queue/jobQueue.ts';
import type { BlobStore } from '../storage/blobStore.ts';

export interface RenditionJobDependencies {
  db: pg.Pool;
  blobs: BlobStore;
  config: Pick<Config, 'dataDir' | 'EXTRACT_MEMORY_MB' | 'EXTRACT_MAX_TIMEOUT_MS'>;
  logger: Logger;
}

interface DocumentToRender {
  sha256: string;
  mime: string;
  ocr_languages: string;
  page_count: number | null;
  rendition_input_sha256: string | null;
  pages: StoredPage[] | null;
}

export type RenditionJobResult = RenditionOutcome['status'] | 'superseded';

export async function runRenditionJob(
  deps: RenditionJobDependencies,
  job: RenderRedactedJob,
): Promise<RenditionJobResult> {
  const { rows } = await deps.db.query<DocumentToRender>(
    `SELECT d.sha256, d.mime, d.ocr_languages, d.page_count, d.rendition_input_sha256,
            (SELECT json_agg(json_build_object('number', p.number, 'text', p.text, 'method', p.method)
                             ORDER BY p.number)
               FROM document_pages p WHERE p.document_id = d.id) AS pages
       FROM documents d WHERE d.id = $1`,
    [job.documentId],
  );
  const document = rows[0];
  if (!document || document.rendition_input_sha256 !== job.inputSha256) {
    deps.logger.info({ documentId: job.documentId }, 'rendition request superseded, skipped');
    return 'superseded';
  }
  const pages = document.pages ?? [];
  const pageCount = document.page_count ?? Math.max(1, pages.length);
  // An image is read by OCR whole; a PDF page only when it has redactions and was read by OCR.
  const redactedPages = new Set(job.redactions.map((redaction) => redaction.page));
  const ocrPages = document.mime.startsWith('image/')
    ? pageCount
    : pages.filter((page) => page.method === 'ocr' && redactedPages.has(page.number)).length;
  const workDir = path.join(
    deps.config.dataDir,
    'work',
    `rendition-${job.documentId}-${randomBytes(4).toString('hex')}`,
  );
  // Page images of documents not yet public pass through here: the archive's user's alone.
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  const started = Date.now();
  let outcome: RenditionOutcome;
  try {
    const rendition = await renderRedactedInSandbox(
      {
        file: deps.blobs.pathOf(document.sha256),
        mime: document.mime,
        redactions: job.redactions,
        boxesByPage: job.boxesByPage,
        pages,
        ocrLanguages: document.ocr_languages,
        workDir,
      },
      {
        memoryMb: deps.config.EXTRACT_MEMORY_MB,
        timeoutMs: renditionTimeoutMs(pageCount, ocrPages, deps.config.EXTRACT_MAX_TIMEOUT_MS),
      },
    );
    outcome = { status: rendition.unplaced.length > 0 ? 'incomplete' : 'made', rendition };
  } catch (error) {
    if (!(error instanceof RenditionError)) throw error;
    outcome = { status: 'failed', reason: error.message };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const recorded = await recordRendition(deps, {
    documentId: job.documentId,
    inputSha256: job.inputSha256,
    outcome,
  });
  deps.logger.info(
    {
      documentId: job.documentId,
      status: recorded ? outcome.status : 'superseded',
      ms: Date.now() - started,
    },
    'document rendition',
  );
  return recorded ? outcome.status : 'superseded';
}
