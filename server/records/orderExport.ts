// Reads every order a caller may see, with its targets, responses, events and documents' metadata, as a
// stream of batches for the exports (/api/export.jsonl and .csv, `npm run export`). Keyset batches in id
// order: each batch is one query, read only when the consumer asks for it (so a slow reader holds no
// connection and no snapshot, and memory stays at one batch whatever the size of the archive). Whoever may
// not read an order unredacted gets it as the public reads it: every hidden value replaced wherever it is
// written. Each document carries its original's sha256 and what the caller may download, with that
// file's sha256, as GET /api/documents/:id says it (see docs/ARCHITECTURE.md, "Data out").
import type { Caller } from '../auth/caller.ts';
import { canSeeUnredacted, downloadFor, visibleOrdersSql } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import { redactStrings } from '../../domain/redaction.ts';
import type { ExportedOrder } from '../schemas/exports.ts';
import type { DataFilterValues } from '../schemas/statistics.ts';
import { describeDownload, downloadFactsOf, type DocumentRow } from './documentRecords.ts';
import { issuedRangeConditions, orderFactConditions } from './orderDataFilters.ts';
import { readHiddenText, redactOrderFields, type HiddenText } from './redactionRecords.ts';

export const EXPORT_BATCH_SIZE = 500;

interface ExportRow {
  internal_id: string;
  outlet_id: string | null;
  researchers_may_read_unredacted: boolean;
  visibility: 'private' | 'embargoed' | 'public';
  embargo_until: Date | string | null;
  order: Omit<ExportedOrder, 'redacted' | 'documents'>;
  documents: (Omit<ExportedOrder['documents'][number], 'original_available' | 'download'> & {
    original_publishable: boolean;
    mime: string | null;
    rendition_status: DocumentRow['rendition_status'];
  })[];
}

const EXPORT_SELECT_SQL = `
  SELECT o.id AS internal_id, o.outlet_id, o.researchers_may_read_unredacted, o.visibility, o.embargo_until,
    json_build_object(
      'id', o.public_id, 'url', '/orders/' || o.public_id,
      'authority', CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('slug', a.slug, 'name', a.name,
                     'local_name', a.local_name, 'country', a.country, 'kind', a.kind) END,
      'outlet', CASE WHEN ou.id IS NULL THEN NULL ELSE json_build_object('slug', ou.slug, 'name', ou.name,
                  'country', ou.country) END,
      'reference_number', o.reference_number, 'issued_on', o.issued_on, 'received_on', o.received_on,
      'deadline_at', o.deadline_at, 'channel', o.channel, 'legal_basis', o.legal_basis,
      'legal_basis_raw', o.legal_basis_raw, 'demanded_actions', o.demanded_actions,
      'stated_reason', o.stated_reason, 'threatened_consequence', o.threatened_consequence,
      'status', o.status, 'visibility', o.visibility, 'embargo_until', o.embargo_until,
      'language', o.language, 'summary', o.summary, 'draft', o.draft,
      'source', CASE WHEN o.import_source IS NULL THEN NULL ELSE json_build_object('name', o.import_source,
                  'reference', o.import_reference, 'licence', o.import_licence, 'url', o.import_source_url,
                  'reviewed', o.import_reviewed) END,
      'created_at', o.created_at, 'updated_at', o.updated_at,
      'targets', COALESCE((SELECT json_agg(json_build_object(
                    'url', CASE WHEN t.article_disclosed THEN ar.url ELSE ar.canonical_url END,
                    'canonical_url', ar.canonical_url,
                    'title', CASE WHEN t.article_disclosed THEN ar.title END,
                    'published_on', CASE WHEN t.article_disclosed THEN ar.published_on END,
                    'outlet', tou.slug, 'note', t.note) ORDER BY t.id)
                  FROM order_targets t JOIN articles ar ON ar.id = t.article_id
                  LEFT JOIN outlets tou ON tou.id = ar.outlet_id
                 WHERE t.order_id = o.id), '[]'),
      'responses', COALESCE((SELECT json_agg(json_build_object('kind', r.kind, 'responded_on', r.responded_on,
                      'text', r.text, 'source_url', r.source_url) ORDER BY r.responded_on NULLS LAST, r.id)
                    FROM responses r WHERE r.order_id = o.id), '[]'),
      'events', COALESCE((SELECT json_agg(json_build_object('kind', e.kind, 'occurred_at', e.occurred_at,
                   'country', e.country, 'source_url', e.source_url, 'description', e.description)
                   ORDER BY e.occurred_at, e.id)
                 FROM events e WHERE e.order_id = o.id), '[]')
    ) AS order,
    COALESCE((SELECT json_agg(json_build_object('id', d.id, 'parent_document_id', d.parent_document_id,
                'role', d.role, 'filename', d.original_filename, 'mime', d.mime, 'size', d.size,
                'page_count', d.page_count, 'language', d.language, 'status', d.status,
                'created_at', d.created_at, 'sha256', d.sha256,
                'rendition_sha256', CASE WHEN d.rendition_status = 'made' THEN d.rendition_sha256 END,
                'rendition_status', d.rendition_status,
                'metadata', d.metadata, 'original_publishable', d.original_publishable) ORDER BY d.id)
              FROM documents d WHERE d.order_id = o.id), '[]') AS documents
    FROM orders o
    LEFT JOIN authorities a ON a.id = o.authority_id
    LEFT JOIN outlets ou ON ou.id = o.outlet_id`;

/** The orders `caller` may see that match `filters`, in id order, a batch at a time. */
export async function* exportOrderBatches(
  db: Queryable,
  caller: Caller,
  filters: DataFilterValues,
  batchSize = EXPORT_BATCH_SIZE,
  only?: number,
): AsyncGenerator<ExportedOrder[]> {
  let after = 0;
  for (;;) {
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [
      `o.id > ${bind(after)}::bigint`,
      ...(only === undefined ? [] : [`o.id = ${bind(only)}::bigint`]),
      visibleOrdersSql(caller, 'o', params),
      ...orderFactConditions(filters, 'o', bind),
      ...issuedRangeConditions(filters, 'o', bind),
    ];
    const { rows } = await db.query<ExportRow>(
      `${EXPORT_SELECT_SQL} WHERE ${where.join(' AND ')} ORDER BY o.id LIMIT ${bind(batchSize)}`,
      params,
    );
    if (rows.length === 0) return;
    yield await presentBatch(db, caller, rows);
    if (rows.length < batchSize) return;
    after = Number(rows.at(-1)!.internal_id);
  }
}

/** One order as exported (the caller must be allowed to see it: undefined otherwise). */
export async function readExportedOrder(
  db: Queryable,
  caller: Caller,
  internalId: number,
): Promise<ExportedOrder | undefined> {
  for await (const batch of exportOrderBatches(db, caller, {}, 1, internalId)) return batch[0];
  return undefined;
}

/** Every order of the batches, one at a time. */
export async function* exportOrders(
  db: Queryable,
  caller: Caller,
  filters: DataFilterValues,
  batchSize = EXPORT_BATCH_SIZE,
): AsyncGenerator<ExportedOrder> {
  for await (const batch of exportOrderBatches(db, caller, filters, batchSize)) yield* batch;
}

async function presentBatch(db: Queryable, caller: Caller, rows: ExportRow[]): Promise<ExportedOrder[]> {
  const now = new Date();
  // The rows are those the caller may see (the query's WHERE), so only the unredacted rule is left to ask.
  const access = rows.map((row) => ({
    outlet_id: row.outlet_id,
    visibility: row.visibility,
    embargo_until: row.embargo_until,
    review_pending: false,
    researchers_may_read_unredacted: row.researchers_may_read_unredacted,
  }));
  const unredacted = access.map((facts) => canSeeUnredacted(caller, facts, now));
  const redactedIds = rows.flatMap((row, index) => (unredacted[index] ? [] : [Number(row.internal_id)]));
  const hidden: Map<number, HiddenText> = redactedIds.length
    ? await readHiddenText(db, redactedIds)
    : new Map();
  return rows.map((row, index) => {
    const documents = row.documents.map(({ original_publishable, rendition_status, ...document }) => {
      const facts = downloadFactsOf({ original_publishable, mime: document.mime });
      const download = downloadFor(caller, access[index]!, facts, now);
      return {
        ...document,
        original_available: download === 'original',
        download: describeDownload({ ...document, rendition_status }, download),
      };
    });
    const order: ExportedOrder = { ...row.order, redacted: !unredacted[index], documents };
    const orderHidden = hidden.get(Number(row.internal_id));
    if (!orderHidden?.values.length) return order;
    // The order's own texts by their spans first (a short name is hidden only at its place), then every
    // hidden value wherever it is written.
    return redactStrings(redactOrderFields(order, orderHidden), orderHidden.values);
  });
}
