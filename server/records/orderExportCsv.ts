// An exported order as one CSV row: the order's own fields as columns, its lists (laws, actions,
// targets, responses, events, documents) each in one cell, one item per line (a line break is the one
// separator no URL or code contains), with counts beside them so a spreadsheet can sum without parsing.
import type { ExportedOrder } from '../schemas/exports.ts';

type Cell = string | number | boolean | null;

const lines = (items: readonly (string | null | undefined)[]) =>
  items.filter((item): item is string => Boolean(item)).join('\n');
const joined = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' ');

const COLUMNS: [string, (order: ExportedOrder) => Cell][] = [
  ['id', (o) => o.id],
  ['url', (o) => o.url],
  ['authority', (o) => o.authority?.slug ?? null],
  ['authority_name', (o) => o.authority?.name ?? null],
  ['authority_local_name', (o) => o.authority?.local_name ?? null],
  ['country', (o) => o.authority?.country ?? null],
  ['outlet', (o) => o.outlet?.slug ?? null],
  ['outlet_name', (o) => o.outlet?.name ?? null],
  ['reference_number', (o) => o.reference_number],
  ['issued_on', (o) => o.issued_on],
  ['received_on', (o) => o.received_on],
  ['deadline_at', (o) => o.deadline_at],
  ['channel', (o) => o.channel],
  ['legal_basis', (o) => lines(o.legal_basis)],
  ['legal_basis_raw', (o) => o.legal_basis_raw],
  ['demanded_actions', (o) => lines(o.demanded_actions)],
  ['stated_reason', (o) => o.stated_reason],
  ['threatened_consequence', (o) => o.threatened_consequence],
  ['status', (o) => o.status],
  ['visibility', (o) => o.visibility],
  ['embargo_until', (o) => o.embargo_until],
  ['language', (o) => o.language],
  ['summary', (o) => o.summary],
  ['draft', (o) => o.draft],
  ['source', (o) => o.source?.name ?? null],
  ['source_reference', (o) => o.source?.reference ?? null],
  ['source_licence', (o) => o.source?.licence ?? null],
  ['source_url', (o) => o.source?.url ?? null],
  ['target_count', (o) => o.targets.length],
  ['target_urls', (o) => lines(o.targets.map((target) => target.url))],
  ['response_count', (o) => o.responses.length],
  ['responses', (o) => lines(o.responses.map((r) => joined(r.responded_on, r.kind, r.source_url)))],
  ['event_count', (o) => o.events.length],
  ['events', (o) => lines(o.events.map((e) => joined(e.occurred_at, e.kind, e.country, e.source_url)))],
  ['document_count', (o) => o.documents.length],
  ['document_sha256', (o) => lines(o.documents.map((d) => d.sha256))],
  // A line per document, as in document_sha256 (empty where there is nothing to download yet).
  ['document_download_sha256', (o) => o.documents.map((d) => d.download.sha256 ?? '').join('\n')],
  ['redacted', (o) => o.redacted],
  ['created_at', (o) => o.created_at],
  ['updated_at', (o) => o.updated_at],
];

export const ORDER_CSV_COLUMNS = COLUMNS.map(([name]) => name);

/**
 * A cell a spreadsheet would run as a formula (text from outlets or imports starting with = + - @, or a
 * tab or carriage return) gets a leading apostrophe, as OWASP advises for CSV meant for spreadsheets.
 */
function inert(cell: Cell): Cell {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export function orderCsvRow(order: ExportedOrder): Cell[] {
  return COLUMNS.map(([, read]) => inert(read(order)));
}
