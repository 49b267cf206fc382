// Reads documents in the shape the API shows, with the order facts access rules need.
import { upgradeStoredSuggestions } from '../../ingest/suggestions/upgradeStoredSuggestions.ts';
import type { TextSuggestions } from '../../ingest/suggestions/suggestionSchema.ts';
import type { Caller } from '../auth/caller.ts';
import {
  canSeeOrder,
  canSeeUnredacted,
  REVIEW_PENDING_SQL,
  visibleOrdersSql,
  type DownloadKind,
  type OrderAccessFacts,
} from '../auth/orderAccess.ts';
import { canRender } from '../../ingest/renditions/renderableTypes.ts';
import type { Queryable } from '../database/transaction.ts';
import { notFound } from '../errors.ts';
import type { DocumentDetail, DocumentListQuery, DocumentSummary } from '../schemas/documents.ts';
import { redactStrings, redactText } from '../../domain/redaction.ts';
import { keysetPage, SqlConditions } from './keysetPage.ts';
import { readOrderHiddenText, spansOf } from './redactionRecords.ts';

export interface DocumentRow extends Omit<DocumentSummary, 'file_url'> {
  internal_order_id: number;
  order_access: OrderAccessFacts;
  /** The redacted rendition (migration 010): null when none was asked for since the text was read. */
  rendition_status: 'pending' | 'made' | 'incomplete' | 'failed' | null;
  rendition_sha256: string | null;
}

const DOCUMENT_SELECT_SQL = `
  SELECT d.id, o.public_id AS order_id, d.order_id AS internal_order_id, d.parent_document_id, d.role,
         d.original_filename, d.sha256, d.size, d.mime, d.status, d.status_reason, d.progress, d.page_count,
         d.language, d.created_at, d.extracted_at,
         json_build_object('outlet_id', o.outlet_id, 'visibility', o.visibility,
                           'embargo_until', o.embargo_until, 'review_pending', ${REVIEW_PENDING_SQL('o')},
                           'researchers_may_read_unredacted', o.researchers_may_read_unredacted) AS order_access,
         d.original_publishable, d.rendition_status, d.rendition_sha256
    FROM documents d JOIN orders o ON o.id = d.order_id`;

export function presentDocument(row: DocumentRow): DocumentSummary {
  const {
    internal_order_id: _order,
    order_access: _access,
    rendition_status: _status,
    rendition_sha256: _rendition,
    ...summary
  } = row;
  return { ...summary, url: `/api/documents/${row.id}`, file_url: `/api/documents/${row.id}/file` };
}

export async function findDocumentRow(
  db: Queryable,
  id: number,
  forUpdate = false,
): Promise<DocumentRow | undefined> {
  const lock = forUpdate ? ' FOR UPDATE OF d' : '';
  const { rows } = await db.query<DocumentRow>(`${DOCUMENT_SELECT_SQL} WHERE d.id = $1${lock}`, [id]);
  return rows[0];
}

/**
 * A document for someone who reads it unredacted (its redactions, its page images, its review): anyone
 * else is told there is no such document, as for one that does not exist.
 */
export async function findDocumentReadUnredacted(
  db: Queryable,
  caller: Caller,
  id: number,
): Promise<DocumentRow> {
  const row = await findDocumentRow(db, id);
  if (!row || !canSeeOrder(caller, row.order_access) || !canSeeUnredacted(caller, row.order_access)) {
    throw notFound(`There is no document ${id}`);
  }
  return row;
}

export async function listOrderDocuments(db: Queryable, orderId: number): Promise<DocumentSummary[]> {
  const { rows } = await db.query<DocumentRow>(`${DOCUMENT_SELECT_SQL} WHERE d.order_id = $1 ORDER BY d.id`, [
    orderId,
  ]);
  return rows.map(presentDocument);
}

/**
 * The documents a caller may see (those of the orders it may see), newest first, filtered, with keyset
 * pagination on the id. No index on status: it changes with every extraction, and an index on it would
 * cost each of those updates; a filter on it scans the ids backwards until the page is full.
 */
export async function listDocuments(
  db: Queryable,
  caller: Caller,
  query: DocumentListQuery,
): Promise<{ items: DocumentSummary[]; next_cursor: string | null }> {
  const where = new SqlConditions().require((params) => visibleOrdersSql(caller, 'o', params));
  if (query.order) {
    const byPublicId = query.order.startsWith('TD-');
    where.add((p) => (byPublicId ? `o.public_id = ${p}` : `d.order_id = ${p}::bigint`), query.order);
  }
  if (query.status) where.add((p) => `d.status = ${p}`, query.status);
  if (query.role) where.add((p) => `d.role = ${p}`, query.role);
  if (query.cursor) where.add((p) => `d.id < ${p}::bigint`, query.cursor);
  const { text, values } = where.listSql(DOCUMENT_SELECT_SQL, 'd.id DESC', query.limit);
  const { rows } = await db.query<DocumentRow>(text, values);
  return keysetPage(rows, query.limit, presentDocument, (row) => row.id);
}

/**
 * Waits until none of these documents is queued or being read any more (a worker anywhere may take
 * them), until `deadline` (epoch milliseconds), or until `abandoned()` says nobody waits for the answer.
 * Polls: a few cheap indexed reads per second per waiting request, fewer as the wait grows.
 */
export async function waitForExtraction(
  db: Queryable,
  ids: number[],
  deadline: number,
  abandoned: () => boolean,
): Promise<void> {
  let pause = 50;
  while (!abandoned()) {
    const { rows } = await db.query<{ unfinished: number }>(
      `SELECT count(*)::int AS unfinished FROM documents
        WHERE id = ANY($1::bigint[]) AND status IN ('pending', 'processing')`,
      [ids],
    );
    const left = deadline - Date.now();
    if (!rows[0]?.unfinished || left <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    pause = Math.min(pause * 2, 500);
  }
}

/**
 * The suggestions read from these documents' text so far (null: not read yet, or no text), in today's
 * shape even when stored in an older one.
 */
export async function readSuggestions(
  db: Queryable,
  ids: number[],
): Promise<Map<number, TextSuggestions | null>> {
  const { rows } = await db.query<{ id: string; suggestions: unknown }>(
    'SELECT id, suggestions FROM documents WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(rows.map((row) => [Number(row.id), upgradeStoredSuggestions(row.suggestions)]));
}

/**
 * The document as the API shows it. `redacted` (for whoever may not read it unredacted): its redactions
 * burned into the pages' text, the hidden values replaced wherever else they are written (metadata such as
 * e-mail headers, warnings, suggestions), and no list of the personal data found.
 */
export async function readDocumentDetail(
  db: Queryable,
  row: DocumentRow,
  { redacted, download }: { redacted: boolean; download: DownloadKind },
): Promise<DocumentDetail> {
  const [extra, pages, children] = await Promise.all([
    db.query('SELECT ocr_languages, metadata, warnings, suggestions FROM documents WHERE id = $1', [row.id]),
    db.query(
      'SELECT number, text, method, confidence FROM document_pages WHERE document_id = $1 ORDER BY number',
      [row.id],
    ),
    db.query<{ id: number }>('SELECT id FROM documents WHERE parent_document_id = $1 ORDER BY id', [row.id]),
  ]);
  const { suggestions, ...rest } = extra.rows[0];
  const detail: DocumentDetail = {
    ...presentDocument(row),
    ...rest,
    suggestions: upgradeStoredSuggestions(suggestions),
    children: children.rows.map((child) => child.id),
    pages: pages.rows,
    download: describeDownload(row, download),
  };
  if (!redacted) return detail;
  const hidden = await readOrderHiddenText(db, row.internal_order_id);
  return {
    ...detail,
    metadata: redactStrings(detail.metadata, hidden.values),
    warnings: redactStrings(detail.warnings, hidden.values),
    suggestions:
      detail.suggestions && redactStrings({ ...detail.suggestions, personal_data: [] }, hidden.values),
    pages: detail.pages.map((page) => ({
      ...page,
      text: redactText(page.text, spansOf(hidden, row.id, page.number), hidden.values),
    })),
  };
}

/** The facts orderAccess.downloadFor needs of a document: may the public have its original, has it pages to render. */
export function downloadFactsOf(document: { original_publishable: boolean; mime: string | null }) {
  return {
    original_publishable: document.original_publishable,
    renderable: document.mime !== null && canRender(document.mime),
  };
}

/**
 * What GET /api/documents/:id/file gives this caller (orderAccess.downloadFor decided which), with that
 * file's sha256: the document JSON and the export say it the same way.
 */
export function describeDownload(
  row: Pick<DocumentRow, 'id' | 'sha256' | 'rendition_status' | 'rendition_sha256'>,
  kind: DownloadKind,
): DocumentDetail['download'] {
  const url = `/api/documents/${row.id}/file`;
  if (kind === 'original') return { kind, url, sha256: row.sha256, rendition_status: null };
  if (kind === 'none') return { kind, url: null, sha256: null, rendition_status: null };
  const made = row.rendition_status === 'made';
  return { kind, url, sha256: made ? row.rendition_sha256 : null, rendition_status: row.rendition_status };
}

/** The text of every page of an order's documents, by document id, in page order (the order's page). */
export async function listOrderDocumentPages(
  db: Queryable,
  orderId: number,
  { redacted }: { redacted: boolean },
): Promise<Map<number, { number: number; text: string }[]>> {
  const hidden = redacted ? await readOrderHiddenText(db, orderId) : undefined;
  const { rows } = await db.query<{ document_id: string; number: number; text: string }>(
    `SELECT p.document_id, p.number, p.text FROM document_pages p JOIN documents d ON d.id = p.document_id
      WHERE d.order_id = $1 ORDER BY p.document_id, p.number`,
    [orderId],
  );
  const pages = new Map<number, { number: number; text: string }[]>();
  for (const row of rows) {
    const id = Number(row.document_id);
    if (!pages.has(id)) pages.set(id, []);
    // For whoever may not read it unredacted, as GET /api/documents/:id shows it (readDocumentDetail).
    const text = hidden ? redactText(row.text, spansOf(hidden, id, row.number), hidden.values) : row.text;
    pages.get(id)!.push({ number: row.number, text });
  }
  return pages;
}
