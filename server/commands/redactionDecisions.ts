// Deciding on redactions: the order's outlet or an editor adds a span to hide (accepted at once), accepts
// or rejects a proposal, and removes a span someone added; a span of the order's own field is decided and
// removed here too (orderFieldRedactions.ts proposes and adds them). Each decision is audited and sends the order
// to search again (its redacted copy changes), in the transaction that makes it.
import type pg from 'pg';
import { canRender } from '../../ingest/renditions/renderableTypes.ts';
import { actorName, type Caller } from '../auth/caller.ts';
import { withTransaction, type Queryable } from '../database/transaction.ts';
import { ArchiveError, conflict, invalidInput, notFound } from '../errors.ts';
import { enqueueOrderForSearch } from '../indexing/searchOutbox.ts';
import { findDocumentRow, type DocumentRow } from '../records/documentRecords.ts';
import { findRedaction } from '../records/redactionRecords.ts';
import type { Redaction, RedactionArea, RedactionDecision, RedactionInput } from '../schemas/redactions.ts';
import { recordAudit } from './auditTrail.ts';
import { lockOrderForChange } from './orderLock.ts';
import type { JobQueue } from '../queue/jobQueue.ts';
import { redactionsToRender, requestRendition } from './renditionRequester.ts';

export interface RedactionDeps {
  db: pg.Pool;
  jobs: JobQueue;
}

/**
 * A PDF's or an image's redacted rendition follows every decision: it is asked for again, in the same
 * transaction, with every span the public may not read (accepted, and still undecided, as the redacted
 * text hides them), so the rendition never shows what the text hides.
 */
async function renderAgain(
  client: pg.PoolClient,
  jobs: JobQueue,
  caller: Caller,
  document: { id: number | string; mime: string | null },
): Promise<void> {
  if (!document.mime || !canRender(document.mime)) return;
  const input = await redactionsToRender(client, Number(document.id));
  await requestRendition({ client, jobs }, { caller, documentId: Number(document.id), ...input });
}

/** Locks the document's order for a redaction decision: 404 when hidden from the caller, 403 when not theirs. */
async function lockDocumentOrder(client: Queryable, caller: Caller, documentId: number, missing: string) {
  const document = await findDocumentRow(client, documentId);
  if (!document) throw notFound(missing);
  await lockOrderForChange(client, caller, String(document.internal_order_id)).catch((error: unknown) => {
    throw error instanceof ArchiveError && error.code === 'not_found' ? notFound(missing) : error;
  });
  return document;
}

/**
 * Locks the order a redaction belongs to (its document's, or the order whose field it is in): 404 when
 * hidden from the caller, 403 when not theirs. `document` is undefined for a field's redaction.
 */
async function lockRedactionOrder(client: Queryable, caller: Caller, redaction: Redaction, missing: string) {
  if (redaction.document_id !== null) {
    const document = await lockDocumentOrder(client, caller, redaction.document_id, missing);
    return { document, orderId: document.internal_order_id, publicId: document.order_id };
  }
  const { rows } = await client.query<{ order_id: string }>('SELECT order_id FROM redactions WHERE id = $1', [
    redaction.id,
  ]);
  const order = await lockOrderForChange(client, caller, String(rows[0]!.order_id)).catch(
    (error: unknown) => {
      throw error instanceof ArchiveError && error.code === 'not_found' ? notFound(missing) : error;
    },
  );
  return { document: undefined, orderId: order.internal_id, publicId: order.public_id };
}

/** What an audit record says of a redaction: where and what kind, never the text it hides. */
const audited = (
  redaction: Pick<Redaction, 'document_id' | 'page' | 'field' | 'start' | 'end' | 'kind' | 'state'>,
) => ({
  document_id: redaction.document_id,
  page: redaction.page,
  ...(redaction.field ? { field: redaction.field } : {}),
  start: redaction.start,
  end: redaction.end,
  kind: redaction.kind,
  state: redaction.state,
});

/** The tolerance for an area's right and bottom edges past the page's (rounding in a browser). */
const EDGE_SLACK = 1e-6;

/**
 * A box drawn on a page of a PDF or an image, accepted at once: the rendition paints it as it is. It names
 * no text (the page's words under it are not known to the archive), so it hides none in the page text.
 */
async function addArea(
  client: pg.PoolClient,
  jobs: JobQueue,
  caller: Caller,
  document: DocumentRow,
  input: RedactionInput & { area: RedactionArea },
): Promise<Redaction> {
  const { area } = input;
  if (!document.mime || !canRender(document.mime)) {
    throw invalidInput(
      `Document ${document.id} is not a PDF or an image: hide a span of its text (start, end) instead`,
      'area',
    );
  }
  if (document.page_count !== null && input.page > document.page_count) {
    throw invalidInput(`document ${document.id} has no page ${input.page}`, 'page');
  }
  if (area.x + area.width > 1 + EDGE_SLACK || area.y + area.height > 1 + EDGE_SLACK) {
    throw invalidInput('the area reaches past the page: x + width and y + height are at most 1', 'area');
  }
  const inserted = await client.query<{ id: number }>(
    `INSERT INTO redactions (document_id, page, area, kind, reason, state, source, decided_by, decided_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, 'accepted', 'person', $6, now()) RETURNING id`,
    [document.id, input.page, JSON.stringify(area), input.kind, input.reason ?? null, actorName(caller)],
  );
  const redaction = (await findRedaction(client, inserted.rows[0]!.id))!;
  await recordAudit(client, caller, {
    action: 'redaction.add',
    recordType: 'redaction',
    recordId: redaction.id,
    after: { ...audited(redaction), area, order_id: document.order_id, reason: redaction.reason },
  });
  await renderAgain(client, jobs, caller, document);
  return redaction;
}

export async function addRedaction(
  { db, jobs }: RedactionDeps,
  { caller, documentId, input }: { caller: Caller; documentId: number; input: RedactionInput },
): Promise<Redaction> {
  return withTransaction(db, async (client) => {
    const document = await lockDocumentOrder(
      client,
      caller,
      documentId,
      `There is no document ${documentId}`,
    );
    if (input.area) {
      if (input.start !== undefined || input.end !== undefined) {
        throw invalidInput('a redaction is a span of the text (start, end) or an area, not both', 'area');
      }
      return addArea(client, jobs, caller, document, input as RedactionInput & { area: RedactionArea });
    }
    if (input.start === undefined || input.end === undefined) {
      throw invalidInput(
        'give start and end (a span of the page’s text), or an area drawn on the page',
        'start',
      );
    }
    const { start, end } = input;
    const { rows } = await client.query<{ text: string }>(
      'SELECT text FROM document_pages WHERE document_id = $1 AND number = $2',
      [documentId, input.page],
    );
    const text = rows[0]?.text;
    if (text === undefined) throw invalidInput(`document ${documentId} has no page ${input.page}`, 'page');
    if (end <= start) throw invalidInput('end must be after start', 'end');
    if (end > text.length) {
      throw invalidInput(`page ${input.page} has ${text.length} characters; end is past them`, 'end');
    }
    const hidden = text.slice(start, end);
    if (!hidden.trim()) throw invalidInput('the span holds only blanks: nothing to hide', 'start');
    if (hidden.length > 2000) throw invalidInput('a redaction hides at most 2000 characters', 'end');
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO redactions (document_id, page, start_offset, end_offset, kind, redacted_text, reason, state,
                               source, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'accepted', 'person', $8, now()) RETURNING id`,
      [documentId, input.page, start, end, input.kind, hidden, input.reason ?? null, actorName(caller)],
    );
    const redaction = (await findRedaction(client, inserted.rows[0]!.id))!;
    await recordAudit(client, caller, {
      action: 'redaction.add',
      recordType: 'redaction',
      recordId: redaction.id,
      after: { ...audited(redaction), order_id: document.order_id, reason: redaction.reason },
    });
    await enqueueOrderForSearch(client, document.internal_order_id);
    await renderAgain(client, jobs, caller, document);
    return redaction;
  });
}

export async function decideRedaction(
  { db, jobs }: RedactionDeps,
  { caller, redactionId, decision }: { caller: Caller; redactionId: number; decision: RedactionDecision },
): Promise<Redaction> {
  return withTransaction(db, async (client) => {
    const missing = `There is no redaction ${redactionId}`;
    const before = await findRedaction(client, redactionId);
    if (!before) throw notFound(missing);
    const { document, orderId, publicId } = await lockRedactionOrder(client, caller, before, missing);
    await client.query(
      `UPDATE redactions SET state = $2, reason = COALESCE($3, reason), decided_by = $4, decided_at = now(),
              updated_at = now()
        WHERE id = $1`,
      [redactionId, decision.state, decision.reason ?? null, actorName(caller)],
    );
    const after = (await findRedaction(client, redactionId))!;
    await recordAudit(client, caller, {
      action: 'redaction.decide',
      recordType: 'redaction',
      recordId: redactionId,
      before: { state: before.state, reason: before.reason },
      after: { ...audited(after), order_id: publicId, reason: after.reason },
    });
    await enqueueOrderForSearch(client, orderId);
    if (document) await renderAgain(client, jobs, caller, document);
    return after;
  });
}

export async function removeRedaction(
  { db, jobs }: RedactionDeps,
  { caller, redactionId }: { caller: Caller; redactionId: number },
): Promise<void> {
  await withTransaction(db, async (client) => {
    const missing = `There is no redaction ${redactionId}`;
    const before = await findRedaction(client, redactionId);
    if (!before) throw notFound(missing);
    const { document, orderId, publicId } = await lockRedactionOrder(client, caller, before, missing);
    if (before.source !== 'person') {
      throw conflict(
        `Redaction ${redactionId} was proposed by the archive: reject it (PATCH state rejected) instead of removing it`,
      );
    }
    await client.query('DELETE FROM redactions WHERE id = $1', [redactionId]);
    await recordAudit(client, caller, {
      action: 'redaction.remove',
      recordType: 'redaction',
      recordId: redactionId,
      before: { ...audited(before), order_id: publicId },
    });
    await enqueueOrderForSearch(client, orderId);
    if (document) await renderAgain(client, jobs, caller, document);
  });
}
