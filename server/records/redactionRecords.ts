// Reads redactions: a document's or an order's list for those who decide on them, and what the public must
// not read in an order's documents and own fields (the spans and values to burn in).
import { redactText, type HiddenSpan, type HiddenValue } from '../../domain/redaction.ts';
import type { Caller } from '../auth/caller.ts';
import { canSeeUnredacted, type OrderAccessFacts } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import {
  ORDER_TEXT_FIELDS,
  type OrderTextField,
  type Redaction,
  type RedactionListQuery,
} from '../schemas/redactions.ts';
import { keysetPage, SqlConditions } from './keysetPage.ts';

export const REDACTION_SELECT_SQL = `
  SELECT r.id, r.document_id, r.page, r.field, r.start_offset AS start, r.end_offset AS "end", r.kind,
         r.redacted_text AS text, r.area, r.reason, r.state, r.source, r.placed, r.decided_by, r.decided_at,
         r.boxes, r.created_at
    FROM redactions r`;

/** A document's redactions, or an order's own (of its summary, stated reason, threatened consequence). */
export async function listRedactions(
  db: Queryable,
  of: { documentId: number } | { orderId: number },
  query: RedactionListQuery,
): Promise<{ items: Redaction[]; next_cursor: string | null }> {
  const where =
    'documentId' in of
      ? new SqlConditions().add((p) => `r.document_id = ${p}`, of.documentId)
      : new SqlConditions().add((p) => `r.order_id = ${p}`, of.orderId);
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

/**
 * What the public must not read in one order: spans by document and page, spans of the order's own fields
 * (summary, stated_reason, threatened_consequence), and the values, hidden wherever else they are written.
 */
export interface HiddenText {
  spans: Map<number, Map<number, HiddenSpan[]>>;
  fields: Map<OrderTextField, HiddenSpan[]>;
  values: HiddenValue[];
}

export const NOTHING_HIDDEN: HiddenText = { spans: new Map(), fields: new Map(), values: [] };

export function spansOf(hidden: HiddenText, documentId: number, page: number): HiddenSpan[] {
  return hidden.spans.get(Number(documentId))?.get(Number(page)) ?? [];
}

/**
 * What the public must not read in these orders' documents and fields: accepted redactions, and proposals
 * nobody has decided on yet (hidden until someone decides; rejected ones are shown). A redaction whose text
 * was not found again after a re-reading (or a change of the field) hides its text wherever it is written,
 * having no place of its own. An area drawn on a scan names no text: only the rendition covers it.
 */
export async function readHiddenText(db: Queryable, orderIds: number[]): Promise<Map<number, HiddenText>> {
  const { rows } = await db.query<{
    order_id: string;
    document_id: string | null;
    field: OrderTextField | null;
    page: number | null;
    start_offset: number;
    end_offset: number;
    kind: string;
    redacted_text: string;
    placed: boolean;
  }>(
    `SELECT d.order_id, r.document_id, NULL AS field, r.page, r.start_offset, r.end_offset, r.kind,
            r.redacted_text, r.placed
       FROM redactions r JOIN documents d ON d.id = r.document_id
      WHERE d.order_id = ANY($1::bigint[]) AND r.state <> 'rejected' AND r.area IS NULL
     UNION ALL
     SELECT r.order_id, NULL, r.field, NULL, r.start_offset, r.end_offset, r.kind, r.redacted_text, r.placed
       FROM redactions r
      WHERE r.order_id = ANY($1::bigint[]) AND r.state <> 'rejected'
      ORDER BY 2, 3, 4, 5`,
    [orderIds],
  );
  const byOrder = new Map<number, HiddenText>();
  for (const row of rows) {
    const orderId = Number(row.order_id);
    let hidden = byOrder.get(orderId);
    if (!hidden) byOrder.set(orderId, (hidden = { spans: new Map(), fields: new Map(), values: [] }));
    hidden.values.push({ text: row.redacted_text, kind: row.kind });
    if (!row.placed) continue;
    const span = { start: row.start_offset, end: row.end_offset, kind: row.kind };
    if (row.field) {
      hidden.fields.set(row.field, [...(hidden.fields.get(row.field) ?? []), span]);
      continue;
    }
    const documentId = Number(row.document_id);
    const pages = hidden.spans.get(documentId) ?? new Map<number, HiddenSpan[]>();
    hidden.spans.set(documentId, pages);
    const spans = pages.get(row.page!) ?? [];
    pages.set(row.page!, spans);
    spans.push(span);
  }
  return byOrder;
}

export async function readOrderHiddenText(db: Queryable, orderId: number): Promise<HiddenText> {
  return (await readHiddenText(db, [orderId])).get(Number(orderId)) ?? NOTHING_HIDDEN;
}

/** The order's own texts with what the public must not read burned in (the rest of `order` as it is). */
export function redactOrderFields<T extends Partial<Record<OrderTextField, string | null>>>(
  order: T,
  hidden: HiddenText,
): T {
  if (!hidden.values.length) return order;
  const redacted = { ...order };
  for (const field of ORDER_TEXT_FIELDS) {
    const text = order[field];
    if (typeof text === 'string') {
      (redacted as Record<OrderTextField, string | null>)[field] = redactText(
        text,
        hidden.fields.get(field) ?? [],
        hidden.values,
      );
    }
  }
  return redacted;
}

/**
 * The orders as this caller may read them: their own texts with the redactions burned in, unless the caller
 * reads the order unredacted (canSeeUnredacted). Rows the caller may not see at all are the caller's to drop.
 */
export async function orderRowsAsReadBy<
  T extends OrderAccessFacts & { internal_id: number } & Partial<Record<OrderTextField, string | null>>,
>(db: Queryable, caller: Caller, rows: T[]): Promise<T[]> {
  const now = new Date();
  const redactedIds = rows.filter((row) => !canSeeUnredacted(caller, row, now)).map((row) => row.internal_id);
  if (!redactedIds.length) return rows;
  const hidden = await readHiddenText(db, redactedIds);
  return rows.map((row) => {
    const orderHidden = hidden.get(Number(row.internal_id));
    return orderHidden && !canSeeUnredacted(caller, row, now) ? redactOrderFields(row, orderHidden) : row;
  });
}

/** One order as this caller may read it (orderRowsAsReadBy). */
export async function orderRowAsReadBy<
  T extends OrderAccessFacts & { internal_id: number } & Partial<Record<OrderTextField, string | null>>,
>(db: Queryable, caller: Caller, row: T): Promise<T> {
  return (await orderRowsAsReadBy(db, caller, [row]))[0]!;
}

/** The proposals nobody has decided on in an order's documents and fields (a publication is refused while any). */
export async function listUndecidedRedactions(db: Queryable, orderId: number) {
  const { rows } = await db.query<{
    document_id: number | null;
    field: OrderTextField | null;
    redaction_id: number;
    page: number | null;
    kind: Redaction['kind'];
    text: string;
  }>(
    `SELECT r.document_id, NULL AS field, r.id AS redaction_id, r.page, r.kind, r.redacted_text AS text,
             r.start_offset
        FROM redactions r JOIN documents d ON d.id = r.document_id
       WHERE d.order_id = $1 AND r.state = 'proposed'
     UNION ALL
      SELECT NULL, r.field, r.id, NULL, r.kind, r.redacted_text, r.start_offset
        FROM redactions r
       WHERE r.order_id = $1 AND r.state = 'proposed'
      ORDER BY 1 NULLS FIRST, 2, 4, 7, 3
      LIMIT 1000`,
    [orderId],
  );
  return rows.map((row) => ({
    document_id: row.document_id === null ? null : Number(row.document_id),
    field: row.field,
    redaction_id: Number(row.redaction_id),
    page: row.page,
    kind: row.kind,
    text: row.text,
  }));
}
