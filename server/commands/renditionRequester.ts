// Asks for a document's redacted rendition, in the caller's transaction (the one that accepts or changes
// its redactions): the request is named by a hash of its input, the document says a rendition is pending
// (none is served meanwhile: the last one shows older decisions), the job is queued and the request
// audited. The redactions are plain input, whatever table they come from.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { canRender } from '../../ingest/renditions/renderableTypes.ts';
import type { PageBoxes, RedactionToPlace } from '../../ingest/renditions/redactionBoxes.ts';
import { operatorCaller, type Caller } from '../auth/caller.ts';
import { withTransaction, type Queryable } from '../database/transaction.ts';
import { ArchiveError, invalidInput, notFound } from '../errors.ts';
import type { JobQueue } from '../queue/jobQueue.ts';
import { findDocumentRow } from '../records/documentRecords.ts';
import { recordAudit } from './auditTrail.ts';
import { lockOrderForChange } from './orderLock.ts';

export interface RenditionToRequest {
  caller: Caller;
  documentId: number;
  /** The accepted redactions of the document, all of them (the rendition shows exactly these). */
  redactions: RedactionToPlace[];
  /** Boxes a person drew on pages (where the text cannot be found), covered as they are. */
  boxesByPage?: PageBoxes[];
}

export interface RequestedRendition {
  documentId: number;
  inputSha256: string;
}

const isCount = (value: unknown, min: number) => Number.isInteger(value) && (value as number) >= min;

function checkRedactions(redactions: RedactionToPlace[], boxesByPage: PageBoxes[]): void {
  for (const [index, redaction] of redactions.entries()) {
    const field = `redactions/${index}`;
    if (!isCount(redaction.page, 1))
      throw invalidInput('A redaction’s page is a number from 1', `${field}/page`);
    if (typeof redaction.text !== 'string' || !redaction.text.trim()) {
      throw invalidInput('A redaction names the text it hides', `${field}/text`);
    }
    const { start, end } = redaction;
    if (
      (start === undefined) !== (end === undefined) ||
      (start !== undefined && !(isCount(start, 0) && end! > start))
    ) {
      throw invalidInput('A redaction’s start and end are given together, start before end', field);
    }
  }
  for (const [index, page] of boxesByPage.entries()) {
    const sizes = [page.page, page.width, page.height].every((value) => isCount(value, 1)) && page.dpi > 0;
    const boxes = page.boxes.every((box) =>
      [box.x, box.y, box.width, box.height].every((value) => Number.isFinite(value) && value >= 0),
    );
    if (!sizes || !boxes)
      throw invalidInput('Boxes are given on a page of a stated size, in its pixels', `boxes/${index}`);
  }
}

/** The request's name: the same original, redactions and boxes always give the same hash. */
function inputHash(originalSha256: string, redactions: RedactionToPlace[], boxesByPage: PageBoxes[]): string {
  const canonical = {
    original: originalSha256,
    redactions: redactions
      .map(({ page, text, start, end }) => ({ page, text, start: start ?? null, end: end ?? null }))
      .sort((a, b) => a.page - b.page || (a.start ?? -1) - (b.start ?? -1) || a.text.localeCompare(b.text)),
    boxes: boxesByPage.map(({ page, dpi, width, height, boxes }) => ({ page, dpi, width, height, boxes })),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export async function requestRendition(
  deps: { client: pg.PoolClient; jobs: JobQueue },
  { caller, documentId, redactions, boxesByPage = [] }: RenditionToRequest,
): Promise<RequestedRendition> {
  const { client } = deps;
  const row = await findDocumentRow(client, documentId);
  if (!row) throw notFound(`There is no document ${documentId}`);
  // Same rules as changing its order (404 when hidden, 403 when not theirs).
  await lockOrderForChange(client, caller, String(row.internal_order_id)).catch((error: unknown) => {
    const hidden = error instanceof ArchiveError && error.code === 'not_found';
    throw hidden ? notFound(`There is no document ${documentId}`) : error;
  });
  if (!row.mime || !canRender(row.mime)) {
    throw invalidInput(
      `Document ${documentId} is not a PDF or an image: it has no rendition, its redacted text is what is shown`,
    );
  }
  checkRedactions(redactions, boxesByPage);
  const inputSha256 = inputHash(row.sha256, redactions, boxesByPage);
  await client.query(
    `UPDATE documents SET rendition_status = 'pending', rendition_input_sha256 = $2, rendition_sha256 = NULL,
            rendition_reason = NULL, rendition_boxes = NULL, rendition_unplaced = NULL,
            rendition_made_at = NULL, updated_at = now()
      WHERE id = $1`,
    [documentId, inputSha256],
  );
  await deps.jobs.enqueueRendition(client, { documentId, inputSha256, redactions, boxesByPage });
  // Counts only: the audit log is not a second copy of what the redactions hide.
  await recordAudit(client, caller, {
    action: 'document.rendition_request',
    recordType: 'document',
    recordId: documentId,
    after: { input_sha256: inputSha256, redactions: redactions.length, box_pages: boxesByPage.length },
  });
  return { documentId, inputSha256 };
}

/** An area's fractions, as boxes on a page of a stated size (a million units a side: no rounding). */
const AREA_UNITS = 1_000_000;

/**
 * What the document's rendition covers: every span the public may not read (accepted, and still
 * undecided, as the redacted text hides them), and every area drawn on a page (accepted when added).
 */
export async function redactionsToRender(
  db: Queryable,
  documentId: number,
): Promise<{ redactions: RedactionToPlace[]; boxesByPage: PageBoxes[] }> {
  const { rows } = await db.query<{
    page: number;
    text: string | null;
    start: number | null;
    end: number | null;
    area: { x: number; y: number; width: number; height: number } | null;
  }>(
    `SELECT page, redacted_text AS text, start_offset AS start, end_offset AS "end", area FROM redactions
      WHERE document_id = $1 AND state IN ('accepted', 'proposed') ORDER BY page, start_offset, id`,
    [documentId],
  );
  const redactions: RedactionToPlace[] = [];
  const boxesByPage: PageBoxes[] = [];
  for (const row of rows) {
    if (row.area) {
      const { x, y, width, height } = row.area;
      boxesByPage.push({
        page: row.page,
        dpi: 72,
        width: AREA_UNITS,
        height: AREA_UNITS,
        boxes: [
          { x: x * AREA_UNITS, y: y * AREA_UNITS, width: width * AREA_UNITS, height: height * AREA_UNITS },
        ],
      });
    } else {
      redactions.push({ page: row.page, text: row.text!, start: row.start!, end: row.end! });
    }
  }
  return { redactions, boxesByPage };
}

/** The archive itself asks, when a public download finds no rendition: the audit log says so. */
const ARCHIVE = operatorCaller('the archive (a public download)');

/**
 * A public download found no rendition: the archive asks for one, once (a second download meanwhile finds
 * it pending). Only a document whose text has been read, so its personal data was proposed for redaction;
 * otherwise nothing is asked and the caller is told (false).
 */
export async function requestPublicRendition(
  deps: { db: pg.Pool; jobs: JobQueue },
  documentId: number,
): Promise<boolean> {
  return withTransaction(deps.db, async (client) => {
    const row = await findDocumentRow(client, documentId);
    if (!row) return false;
    // The order first, as every redaction decision locks it: a decision and this request do not cross.
    await lockOrderForChange(client, ARCHIVE, String(row.internal_order_id));
    const { rows } = await client.query<{ rendition_status: string | null; status: string }>(
      'SELECT rendition_status, status FROM documents WHERE id = $1 FOR UPDATE',
      [documentId],
    );
    const current = rows[0];
    if (!current || !['extracted', 'partial'].includes(current.status)) return false;
    if (current.rendition_status !== null) return true;
    await requestRendition(
      { client, jobs: deps.jobs },
      { caller: ARCHIVE, documentId, ...(await redactionsToRender(client, documentId)) },
    );
    return true;
  });
}
