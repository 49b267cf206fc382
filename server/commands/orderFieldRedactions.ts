// Redactions of what the outlet types on the order itself (summary, stated_reason, threatened_consequence):
// proposed from the personal data found when a field is written, kept in step when it is rewritten, and
// added by the order's outlet or an editor. Deciding and removing go through redactionDecisions.ts, as for
// a document's spans.
import type pg from 'pg';
import { findPersonalData } from '../../ingest/suggestions/findPersonalData.ts';
import { neighbourhood, placeAgain } from '../../domain/redactionPlacement.ts';
import { actorName, type Caller } from '../auth/caller.ts';
import { withTransaction, type Queryable } from '../database/transaction.ts';
import { invalidInput } from '../errors.ts';
import { enqueueOrderForSearch } from '../indexing/searchOutbox.ts';
import { findRedaction } from '../records/redactionRecords.ts';
import {
  ORDER_TEXT_FIELDS,
  type OrderFieldRedactionInput,
  type OrderTextField,
  type Redaction,
} from '../schemas/redactions.ts';
import { recordAudit } from './auditTrail.ts';
import { lockOrderForChange } from './orderLock.ts';

export const FIELD_CHANGED_REASON = 'could not be placed after the field was changed';

/** The order's text fields among `columns` (the values about to be written). */
export function orderTextsIn(
  columns: Record<string, unknown>,
): Partial<Record<OrderTextField, string | null>> {
  return Object.fromEntries(
    ORDER_TEXT_FIELDS.filter((field) => field in columns).map((field) => [
      field,
      (columns[field] as string | null | undefined) ?? null,
    ]),
  );
}

/**
 * Runs when an order's text fields are written (filed or changed), in that transaction: every redaction of
 * a changed field is placed again in its new text (by its text and neighbourhood) or, when its text is gone
 * from the field, becomes a proposal again (its text stays hidden wherever written) and the archive's
 * undecided proposals are replaced by those found in the new text.
 */
export async function proposeOrderFieldRedactions(
  db: Queryable,
  orderId: number,
  texts: Partial<Record<OrderTextField, string | null>>,
  earlier: Partial<Record<OrderTextField, string | null>> = {},
): Promise<void> {
  for (const field of ORDER_TEXT_FIELDS) {
    if (!(field in texts)) continue;
    const text = texts[field] ?? '';
    const old = earlier[field] ?? '';
    if (text === old && field in earlier) continue;
    await db.query(
      `DELETE FROM redactions WHERE order_id = $1 AND field = $2 AND state = 'proposed' AND source = 'auto'
          AND placed`,
      [orderId, field],
    );
    const { rows } = await db.query<{ id: number; start_offset: number; end_offset: number; text: string }>(
      `SELECT id, start_offset, end_offset, redacted_text AS text FROM redactions
        WHERE order_id = $1 AND field = $2 ORDER BY (state = 'proposed'), id`,
      [orderId, field],
    );
    const taken: { start: number; end: number }[] = [];
    const overlaps = (place: { start: number; end: number }) =>
      taken.some((other) => other.start < place.end && place.start < other.end);
    for (const kept of rows) {
      const place = placeAgain(
        {
          page: 1,
          start: kept.start_offset,
          text: kept.text,
          ...neighbourhood(old, kept.start_offset, kept.end_offset),
        },
        [{ number: 1, text }],
        overlaps,
      );
      if (place) {
        taken.push(place);
        await db.query(
          `UPDATE redactions SET start_offset = $2, end_offset = $3, placed = true, updated_at = now() WHERE id = $1`,
          [kept.id, place.start, place.end],
        );
      } else {
        await db.query(
          `UPDATE redactions SET placed = false, state = 'proposed', reason = $2, decided_by = NULL,
                  decided_at = NULL, updated_at = now()
            WHERE id = $1`,
          [kept.id, FIELD_CHANGED_REASON],
        );
      }
    }
    const fresh = findPersonalData(text).filter((found) => found.value.length <= 2000 && !overlaps(found));
    if (!fresh.length) continue;
    await db.query(
      `INSERT INTO redactions (order_id, field, start_offset, end_offset, kind, redacted_text, state, source)
       SELECT $1, $2, *, 'proposed', 'auto' FROM unnest($3::int[], $4::int[], $5::text[], $6::text[])`,
      [
        orderId,
        field,
        fresh.map((found) => found.start),
        fresh.map((found) => found.end),
        fresh.map((found) => found.kind),
        fresh.map((found) => found.value),
      ],
    );
  }
}

/** A span of the order's own text to hide, added by its outlet or an editor: accepted at once, audited. */
export async function addOrderFieldRedaction(
  pool: pg.Pool,
  { caller, orderId, input }: { caller: Caller; orderId: string; input: OrderFieldRedactionInput },
): Promise<Redaction> {
  return withTransaction(pool, async (client) => {
    const order = await lockOrderForChange(client, caller, orderId);
    const text = order[input.field];
    if (!text) throw invalidInput(`${order.public_id} has no ${input.field}`, 'field');
    const { start, end } = input;
    if (end <= start) throw invalidInput('end must be after start', 'end');
    if (end > text.length) {
      throw invalidInput(`${input.field} has ${text.length} characters; end is past them`, 'end');
    }
    const hidden = text.slice(start, end);
    if (!hidden.trim()) throw invalidInput('the span holds only blanks: nothing to hide', 'start');
    if (hidden.length > 2000) throw invalidInput('a redaction hides at most 2000 characters', 'end');
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO redactions (order_id, field, start_offset, end_offset, kind, redacted_text, reason, state,
                               source, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'accepted', 'person', $8, now()) RETURNING id`,
      [
        order.internal_id,
        input.field,
        start,
        end,
        input.kind,
        hidden,
        input.reason ?? null,
        actorName(caller),
      ],
    );
    const redaction = (await findRedaction(client, inserted.rows[0]!.id))!;
    await recordAudit(client, caller, {
      action: 'redaction.add',
      recordType: 'redaction',
      recordId: redaction.id,
      after: {
        order_id: order.public_id,
        field: input.field,
        start,
        end,
        kind: input.kind,
        state: redaction.state,
        reason: redaction.reason,
      },
    });
    await enqueueOrderForSearch(client, order.internal_id);
    return redaction;
  });
}
