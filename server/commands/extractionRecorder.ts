// Records what the extraction worker read from a document's file: its pages, status, suggestions and
// attachments (filed as child documents, each with its own extraction job), the order queued for
// search, and an audit record, all in one transaction.
// A bad file is a result like any other (failed/partial with a reason); only infrastructure errors throw.
import { createReadStream } from 'node:fs';
import type pg from 'pg';
import type { ExtractionResult } from '../../ingest/extraction.ts';
import { sniffType } from '../../ingest/sniffType.ts';
import type { Config } from '../config.ts';
import { withTransaction } from '../database/transaction.ts';
import type { JobQueue } from '../queue/jobQueue.ts';
import { recordBlob } from '../storage/blobClaims.ts';
import { BlobTooLargeError, type BlobStore, type StoredBlob } from '../storage/blobStore.ts';
import { fileDocument } from './documentFiler.ts';
import { placeRedactions, proposalsFromText, readEarlierReading } from './redactionPlacer.ts';

/** E-mails inside e-mails inside e-mails…: deeper than this is not followed. */
export const MAX_NESTING = 5;

/** Who the audit log names for an extraction: the worker, on nobody's token. */
export const EXTRACTION_ACTOR = 'worker:extraction';

export interface ExtractionRecorderDependencies {
  db: pg.Pool;
  blobs: BlobStore;
  jobs: JobQueue;
  config: Pick<Config, 'MAX_UPLOAD_BYTES'>;
}

export interface ExtractionToRecord {
  /** The document whose file was read. */
  documentId: number;
  /** Its order's internal id, queued for search. */
  orderId: number;
  /** The document's OCR languages, which its attachments are read in too. */
  ocrLanguages: string;
  /** How many containers the document sits in (0: uploaded itself); see MAX_NESTING. */
  depth: number;
  result: ExtractionResult;
}

export interface RecordedExtraction {
  /** The attachments filed as new documents, waiting for their own extraction. */
  attachmentIds: number[];
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
 * as after a reprocess with fewer pages), the document's status and suggestions, the audit record (only
 * if the document is still there), and its order queued for search (as enqueueOrderForSearch does). Each
 * PostgreSQL round trip costs both sides CPU, and this statement replaced six of them per file.
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
                extracted_at = now(), updated_at = now(),
                -- A new reading may propose new spans: the rendition of the last one is forgotten (and a
                -- job still making it records nothing); the next decision or public download asks again.
                rendition_status = NULL, rendition_input_sha256 = NULL, rendition_sha256 = NULL,
                rendition_reason = NULL, rendition_boxes = NULL, rendition_unplaced = NULL,
                rendition_made_at = NULL
          WHERE id = $1
          RETURNING id),
       audit AS (
         INSERT INTO audit_log (actor, action, record_type, record_id, after)
         SELECT $15, 'document.extract', 'document', id::text, $16::jsonb FROM document)
  INSERT INTO search_outbox (order_id) VALUES ($14)`;

export async function recordExtraction(
  deps: ExtractionRecorderDependencies,
  { documentId, orderId, ocrLanguages, depth, result }: ExtractionToRecord,
): Promise<RecordedExtraction> {
  const children = await storeAttachments(deps, result, depth);
  const suggestions = result.suggestions ?? null;
  const reason = result.reason ? withoutNul(result.reason) : null;
  const recordValues = (attachments: number) => [
    documentId,
    result.pages.map((page) => page.number),
    result.pages.map((page) => withoutNul(page.text)),
    result.pages.map((page) => page.method),
    result.pages.map((page) => page.confidence),
    result.status,
    reason,
    result.mime,
    result.pages.length,
    suggestions?.language?.code ?? null,
    jsonWithoutNul(result.metadata),
    suggestions ? jsonWithoutNul(suggestions) : null,
    [...result.warnings, ...children.warnings].map(withoutNul),
    orderId,
    EXTRACTION_ACTOR,
    JSON.stringify({
      status: result.status,
      reason,
      page_count: result.pages.length,
      mime: result.mime,
      attachments,
    }),
  ];
  // Redaction proposals from the personal data found, and decisions of an earlier reading placed again.
  const proposals = proposalsFromText(suggestions?.personal_data ?? [], result.pages, withoutNul);
  const earlierPages = await readEarlierReading(deps.db, documentId);
  const redactions = proposals.length > 0 || earlierPages !== undefined;
  if (!children.stored.length && !redactions) {
    // One statement is one transaction: no BEGIN and COMMIT round trips for the usual file.
    await deps.db.query(RECORD_EXTRACTION_SQL, recordValues(0));
    return { attachmentIds: [] };
  }
  return withTransaction(deps.db, async (client) => {
    // The earlier reading's redactions as they are now, under the order's lock, which decisions take too.
    if (redactions) await client.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
    const earlier = redactions ? await readEarlierReading(client, documentId) : undefined;
    const attachmentIds: number[] = [];
    for (const child of children.stored) {
      await recordBlob(client, child.blob);
      const id = await fileDocument(
        { client, jobs: deps.jobs },
        {
          orderId,
          parentDocumentId: documentId,
          blob: child.blob,
          mime: child.mime,
          filename: child.filename,
          role: 'attachment',
          ocrLanguages,
        },
      );
      // Undefined when a reading before this one filed the same attachment already.
      if (id !== undefined) attachmentIds.push(id);
    }
    await client.query(RECORD_EXTRACTION_SQL, recordValues(attachmentIds.length));
    if (redactions) {
      await placeRedactions(client, {
        documentId,
        earlierPages: earlier,
        pages: result.pages.map((page) => ({ number: page.number, text: withoutNul(page.text) })),
        proposals,
      });
    }
    return { attachmentIds };
  });
}

/** Copies the attachments the extractor wrote into the blob store, unless nested too deep or too large. */
async function storeAttachments(
  deps: ExtractionRecorderDependencies,
  result: ExtractionResult,
  depth: number,
) {
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
