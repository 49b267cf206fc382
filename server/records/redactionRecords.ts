// Reads redactions: a document's list for those who decide on them, and what the public must not read
// in an order's documents (the spans and values to burn in).
import type { HiddenSpan, HiddenValue } from '../../domain/redaction.ts';
import type { Queryable } from '../database/transaction.ts';
import type { Redaction, RedactionListQuery } from '../schemas/redactions.ts';
import { keysetPage, SqlConditions } from './keysetPage.ts';

export const REDACTION_SELECT_SQL = `
  SELECT r.id, r.document_id, r.page, r.start_offset AS start, r.end_offset AS "end", r.kind,
         r.redacted_text AS text, r.area, r.reason, r.state, r.source, r.placed, r.decided_by, r.decided_at,
         r.boxes, r.created_at
    FROM redactions r`;

export async function listRedactions(
  db: Queryable,
  documentId: number,
  query: RedactionListQuery,
): Promise<{ items: Redaction[]; next_cursor: string | null }> {
  const where = new SqlConditions().add((p) => `r.document_id = ${p}`, documentId);
  if (query.state) where.add((p) => `r.state = ${p}`, query.state);
  if (query.cursor) where.add((p) => `r.id > ${p}::bigint`, query.cursor);
  const { text, values } = where.listSql(REDACTION_SELECT_SQL, 'r.id', query.limit);
  const { rows } = await db.query<Redaction>(text, values);
  return keysetPage(
    rows,
    query.limit,
    (row) => row,
    (row) => row.id,
  );
}

export async function findRedaction(db: Queryable, id: number): Promise<Redaction | undefined> {
  const { rows } = await db.query<Redaction>(`${REDACTION_SELECT_SQL} WHERE r.id = $1`, [id]);
  return rows[0];
}

/** What the public must not read in one order's documents: spans by document and page, and the values. */
export interface HiddenText {
  spans: Map<number, Map<number, HiddenSpan[]>>;
  values: HiddenValue[];
}

export const NOTHING_HIDDEN: HiddenText = { spans: new Map(), values: [] };

export function spansOf(hidden: HiddenText, documentId: number, page: number): HiddenSpan[] {
  return hidden.spans.get(Number(documentId))?.get(Number(page)) ?? [];
}

/**
 * What the public must not read in these orders' documents: accepted redactions, and proposals nobody
 * has decided on yet (hidden until someone decides; rejected ones are shown). A redaction whose text was
 * not found again after a re-reading hides its text wherever it is written, having no place of its own.
 * An area drawn on a scan names no text: only the rendition covers it.
 */
export async function readHiddenText(db: Queryable, orderIds: number[]): Promise<Map<number, HiddenText>> {
  const { rows } = await db.query<{
    order_id: string;
    document_id: string;
    page: number;
    start_offset: number;
    end_offset: number;
    kind: string;
    redacted_text: string;
    placed: boolean;
  }>(
    `SELECT d.order_id, r.document_id, r.page, r.start_offset, r.end_offset, r.kind, r.redacted_text, r.placed
       FROM redactions r JOIN documents d ON d.id = r.document_id
      WHERE d.order_id = ANY($1::bigint[]) AND r.state <> 'rejected' AND r.area IS NULL
      ORDER BY r.document_id, r.page, r.start_offset`,
    [orderIds],
  );
  const byOrder = new Map<number, HiddenText>();
  for (const row of rows) {
    const orderId = Number(row.order_id);
    let hidden = byOrder.get(orderId);
    if (!hidden) byOrder.set(orderId, (hidden = { spans: new Map(), values: [] }));
    hidden.values.push({ text: row.redacted_text, kind: row.kind });
    if (!row.placed) continue;
    const documentId = Number(row.document_id);
    const pages = hidden.spans.get(documentId) ?? new Map<number, HiddenSpan[]>();
    hidden.spans.set(documentId, pages);
    const spans = pages.get(row.page) ?? [];
    pages.set(row.page, spans);
    spans.push({ start: row.start_offset, end: row.end_offset, kind: row.kind });
  }
  return byOrder;
}

export async function readOrderHiddenText(db: Queryable, orderId: number): Promise<HiddenText> {
  return (await readHiddenText(db, [orderId])).get(Number(orderId)) ?? NOTHING_HIDDEN;
}

/** The proposals nobody has decided on in an order's documents (a publication is refused while any). */
export async function listUndecidedRedactions(db: Queryable, orderId: number) {
  const { rows } = await db.query<{
    document_id: number;
    redaction_id: number;
    page: number;
    kind: Redaction['kind'];
    text: string;
  }>(
    `SELECT r.document_id, r.id AS redaction_id, r.page, r.kind, r.redacted_text AS text
       FROM redactions r JOIN documents d ON d.id = r.document_id
      WHERE d.order_id = $1 AND r.state = 'proposed'
      ORDER BY r.document_id, r.page, r.start_offset, r.id
      LIMIT 1000`,
    [orderId],
  );
  return rows.map((row) => ({
    ...row,
    document_id: Number(row.document_id),
    redaction_id: Number(row.redaction_id),
  }));
}
