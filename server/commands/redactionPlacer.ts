// Keeps a document's redactions in step with its text when the text is recorded: the archive's proposals
// from the personal data found in the new text, and every decision taken on an earlier reading placed
// again (by its text and neighbourhood); an area drawn on a page stays where it is (the file, and so the
// page image, has not changed). A decision whose text is not found again becomes a proposal, with
// the reason, so the order is held from publication until someone decides again.
import { neighbourhood, placeAgain, type EarlierPlace, type Place } from '../../domain/redactionPlacement.ts';
import type { Queryable } from '../database/transaction.ts';

export const NOT_PLACED_REASON = 'could not be placed after re-reading';

export interface ProposedSpan {
  page: number;
  start: number;
  end: number;
  kind: string;
  text: string;
}

interface KeptRedaction {
  id: number;
  page: number;
  start_offset: number;
  end_offset: number;
  redacted_text: string;
}

/** The earlier reading's page texts when the document has redactions from it (else undefined). */
export async function readEarlierReading(
  db: Queryable,
  documentId: number,
): Promise<Map<number, string> | undefined> {
  const { rows } = await db.query<{ has: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM redactions WHERE document_id = $1) AS has',
    [documentId],
  );
  if (!rows[0]?.has) return undefined;
  const pages = await db.query<{ number: number; text: string }>(
    'SELECT number, text FROM document_pages WHERE document_id = $1',
    [documentId],
  );
  return new Map(pages.rows.map((row) => [row.number, row.text]));
}

/**
 * Runs after the new pages are written, in the same transaction. The archive's undecided proposals from the
 * earlier reading are replaced by those of this one; everything else (decisions, spans people added,
 * proposals that could not be placed before) is placed again.
 */
export async function placeRedactions(
  db: Queryable,
  {
    documentId,
    earlierPages,
    pages,
    proposals,
  }: {
    documentId: number;
    earlierPages: Map<number, string> | undefined;
    pages: { number: number; text: string }[];
    proposals: ProposedSpan[];
  },
): Promise<void> {
  const taken: Place[] = [];
  const overlaps = (place: Place) =>
    taken.some((other) => other.page === place.page && other.start < place.end && place.start < other.end);
  if (earlierPages) {
    await db.query(
      `DELETE FROM redactions WHERE document_id = $1 AND state = 'proposed' AND source = 'auto' AND placed`,
      [documentId],
    );
    const { rows } = await db.query<KeptRedaction>(
      `SELECT id, page, start_offset, end_offset, redacted_text FROM redactions
        WHERE document_id = $1 AND area IS NULL
        ORDER BY (state = 'proposed'), id`,
      [documentId],
    );
    for (const kept of rows) {
      const old = earlierPages.get(kept.page) ?? '';
      const earlier: EarlierPlace = {
        page: kept.page,
        start: kept.start_offset,
        text: kept.redacted_text,
        ...neighbourhood(old, kept.start_offset, kept.end_offset),
      };
      const place = placeAgain(earlier, pages, overlaps);
      if (place) {
        taken.push(place);
        await db.query(
          `UPDATE redactions SET page = $2, start_offset = $3, end_offset = $4, placed = true, updated_at = now()
            WHERE id = $1`,
          [kept.id, place.page, place.start, place.end],
        );
      } else {
        await db.query(
          `UPDATE redactions SET placed = false, state = 'proposed', reason = $2, decided_by = NULL,
                  decided_at = NULL, updated_at = now()
            WHERE id = $1`,
          [kept.id, NOT_PLACED_REASON],
        );
      }
    }
  }
  const fresh = proposals.filter((proposal) => !overlaps(proposal));
  if (!fresh.length) return;
  await db.query(
    `INSERT INTO redactions (document_id, page, start_offset, end_offset, kind, redacted_text, state, source)
     SELECT $1, * , 'proposed', 'auto' FROM unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::text[])`,
    [
      documentId,
      fresh.map((proposal) => proposal.page),
      fresh.map((proposal) => proposal.start),
      fresh.map((proposal) => proposal.end),
      fresh.map((proposal) => proposal.kind),
      fresh.map((proposal) => proposal.text),
    ],
  );
}

/**
 * The personal data found in the joined text (pages joined by a blank line, as the sandbox reads them), as
 * spans of each page's text as stored (NUL characters removed); a find across two pages is dropped.
 */
export function proposalsFromText(
  found: { kind: string; value: string; start: number; end: number }[],
  pages: { number: number; text: string }[],
  stored: (text: string) => string,
): ProposedSpan[] {
  const proposals: ProposedSpan[] = [];
  let pageStart = 0;
  const bounds = pages.map((page) => {
    const bound = { page, start: pageStart, end: pageStart + page.text.length };
    pageStart = bound.end + 2;
    return bound;
  });
  for (const item of found) {
    const bound = bounds.find((candidate) => item.start >= candidate.start && item.end <= candidate.end);
    if (!bound || item.value.length > 2000) continue;
    const text = stored(bound.page.text);
    let start = item.start - bound.start;
    if (text.slice(start, start + item.value.length) !== item.value) {
      start = text.indexOf(item.value);
      if (start < 0) continue;
    }
    proposals.push({
      page: bound.page.number,
      start,
      end: start + item.value.length,
      kind: item.kind,
      text: item.value,
    });
  }
  return proposals;
}
