// Builds the search documents of orders from PostgreSQL (the source of truth): one `orders` document per
// order, and one `pages` document per page of its documents (a page too long for Meilisearch's 65,535
// word positions per attribute is split into parts, so no text is ever dropped). An order whose documents
// have redactions gets two copies of each: `text_scope` "redacted", with the redactions burned in, for the
// public, and "unredacted" for those who may read it (searchCopyFilter in auth/orderAccess.ts picks one).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Queryable } from '../database/transaction.ts';
import { canonicalizeUrl } from '../../domain/canonicalUrl.ts';
import { LOCALIZED_TEXT_SUFFIXES } from './searchIndexes.ts';
import { foldAll, foldText, unfoldingOf } from '../../domain/textFolding.ts';
import { redactText } from '../../domain/redaction.ts';
import { REVIEW_PENDING_SQL } from '../auth/orderAccess.ts';
import { NOTHING_HIDDEN, readHiddenText, redactOrderFields, spansOf } from '../records/redactionRecords.ts';

/** Which text a search document holds: redactions burned in, the whole text, or both (nothing to hide). */
export type TextScope = 'redacted' | 'unredacted' | 'both';

/** The order's facts both indexes carry: filters, facets and the visibility rule. */
export interface OrderFilterFields {
  order_id: number;
  public_id: string;
  authority_id: number | null;
  authority_slug: string | null;
  country: string | null;
  /** The outlet the order belongs to (the visibility rule); outlet_ids adds the targeted articles' outlets. */
  owner_outlet_id: number | null;
  outlet_ids: number[];
  outlet_slugs: string[];
  /** The collection an imported order came from (registry, gov-takedowns, lumen), else 'archive'. */
  source: string;
  status: string;
  demanded_actions: string[];
  legal_basis: string[];
  legal_acts: string[];
  languages: string[];
  event_kinds: string[];
  response_kinds: string[];
  has_response: boolean;
  /** Unix seconds (UTC midnight for dates). */
  issued_at: number | null;
  received_at: number | null;
  created_at: number;
  issued_year: number | null;
  /** sha256 of each targeted canonical URL, and of each of its parent paths (filter equality ignores case; URLs do not). */
  target_url_keys: string[];
  target_prefix_keys: string[];
  visibility: string;
  embargo_until: number | null;
  /** A redaction proposal awaits a decision: a passed embargo does not lift. */
  review_pending: boolean;
  researchers_may_read_unredacted: boolean;
  text_scope: TextScope;
}

export interface OrderSearchDocument extends OrderFilterFields {
  /** The order's id; its unredacted copy's is `<id>-unredacted`. */
  id: number | string;
  /** Which write put it there (see PageSearchDocument). */
  index_rev: number;
  draft: boolean;
  reference_number: string | null;
  issued_on: string | null;
  received_on: string | null;
  updated_at: number;
  authority: { slug: string; name: string; local_name: string | null; country: string } | null;
  outlet: { slug: string; name: string } | null;
  targets: { url: string; display_url: string; title: string | null }[];
  documents: { id: number; role: string; filename: string | null; page_count: number | null }[];
  // Searchable, folded (see textFolding.ts):
  authority_names: string[];
  outlet_names: string[];
  target_urls: string[];
  target_display_urls: string[];
  target_titles: string[];
  legal_basis_raw: string | null;
  summary: string | null;
  stated_reason: string | null;
  threatened_consequence: string | null;
  responses_text: string | null;
  documents_text_rus?: string;
  documents_text_eng?: string;
  documents_text?: string;
  /** The words of its text fields that folding changed (see unfoldingOf), for snippets. */
  unfolding?: string;
}

export interface PageSearchDocument extends OrderFilterFields {
  id: string;
  document_id: number;
  page: number;
  part: number;
  role: string;
  filename: string | null;
  text_rus?: string;
  text_eng?: string;
  text?: string;
  /** The words of the page that folding changed (see unfoldingOf), for snippets. */
  unfolding?: string;
  /** Which write put the page there: pages of an order from an older write are deleted after a newer one lands. */
  index_rev: number;
}

export interface BuiltSearchDocuments {
  orders: OrderSearchDocument[];
  pages: PageSearchDocument[];
  /** Requested orders that no longer exist: delete them from the indexes. */
  missing: number[];
}

// The orders index carries a bounded excerpt of the documents; the pages index carries all of it.
const DOCUMENTS_EXCERPT_CHARS = 20_000;
// Meilisearch counts 1 position per word and 8 per hard separator, and keeps 65,535 per attribute.
const MAX_POSITIONS_PER_PART = 30_000;
const HARD_SEPARATOR = /[.!?;:\n]/u;

interface OrderRow {
  id: number;
  public_id: string;
  draft: boolean;
  import_source: string | null;
  authority_id: number | null;
  outlet_id: number | null;
  reference_number: string | null;
  issued_on: string | null;
  received_on: string | null;
  legal_basis: string[];
  legal_basis_raw: string | null;
  demanded_actions: string[];
  stated_reason: string | null;
  threatened_consequence: string | null;
  status: string;
  visibility: string;
  embargo_until: Date | null;
  language: string | null;
  summary: string | null;
  created_at: Date;
  updated_at: Date;
  review_pending: boolean;
  researchers_may_read_unredacted: boolean;
  authority_slug: string | null;
  authority_name: string | null;
  authority_local_name: string | null;
  authority_aliases: string[] | null;
  authority_country: string | null;
  outlet_slug: string | null;
  outlet_name: string | null;
}

interface TargetRow {
  order_id: number;
  canonical_url: string;
  title: string | null;
  outlet_id: number | null;
  outlet_slug: string | null;
  outlet_name: string | null;
}

interface DocumentRow {
  id: number;
  order_id: number;
  role: string;
  original_filename: string | null;
  language: string | null;
  page_count: number | null;
}

interface PageRow {
  document_id: number;
  number: number;
  text: string;
}

const seconds = (value: Date | null) => (value ? Math.floor(value.getTime() / 1000) : null);
const dateSeconds = (value: string | null) =>
  value ? Math.floor(Date.parse(`${value}T00:00:00Z`) / 1000) : null;
const unique = <T>(values: (T | null | undefined)[]) => [
  ...new Set(values.filter((value): value is T => value !== null && value !== undefined)),
];

export function urlKey(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

/** `host`, `host/a`, `host/a/b`… of a canonical URL: "everything under this path". */
export function urlPrefixes(canonical: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(canonical);
  } catch {
    return [];
  }
  const segments = parsed.pathname.split('/').filter(Boolean).slice(0, 12);
  const prefixes = [parsed.host];
  for (const segment of segments) prefixes.push(`${prefixes.at(-1)}/${segment}`);
  return prefixes;
}

export function legalActOf(code: string): string {
  return code.split('/').slice(0, 2).join('/');
}

function localizedSuffix(language: string | null): string {
  return LOCALIZED_TEXT_SUFFIXES[language as keyof typeof LOCALIZED_TEXT_SUFFIXES] ?? '';
}

/** Splits a page's text into parts Meilisearch indexes whole. */
export function splitForPositions(text: string, maxPositions = MAX_POSITIONS_PER_PART): string[] {
  const parts: string[] = [];
  let positions = 0;
  let start = 0;
  for (const token of text.matchAll(/[\p{L}\p{N}]+|[.!?;:\n]/gu)) {
    positions += HARD_SEPARATOR.test(token[0]) ? 8 : 1;
    if (positions >= maxPositions) {
      const end = token.index + token[0].length;
      parts.push(text.slice(start, end));
      start = end;
      positions = 0;
    }
  }
  if (start < text.length || parts.length === 0) parts.push(text.slice(start));
  return parts.filter((part, index) => index === 0 || part.trim() !== '');
}

async function readRows(db: Queryable, orderIds: number[]) {
  // On the pool the queries run side by side; on one client (a reindex's snapshot) one after another.
  const inOrder = 'release' in db;
  const run = async <T>(queries: (() => Promise<T>)[]): Promise<T[]> => {
    if (!inOrder) return Promise.all(queries.map((query) => query()));
    const results: T[] = [];
    for (const query of queries) results.push(await query());
    return results;
  };
  const [orders, targets, responses, events, documents, pages] = (await run<unknown>([
    () =>
      db.query<OrderRow>(
        `SELECT o.id, o.public_id, o.draft, o.import_source, o.authority_id, o.outlet_id, o.reference_number, o.issued_on,
              o.received_on, o.legal_basis, o.legal_basis_raw, o.demanded_actions, o.stated_reason,
              o.threatened_consequence, o.status, o.visibility, o.embargo_until, o.language, o.summary,
              o.created_at, o.updated_at, ${REVIEW_PENDING_SQL('o')} AS review_pending,
              o.researchers_may_read_unredacted, a.slug AS authority_slug, a.name AS authority_name,
              a.local_name AS authority_local_name, a.aliases AS authority_aliases,
              a.country AS authority_country, ou.slug AS outlet_slug, ou.name AS outlet_name
         FROM orders o
         LEFT JOIN authorities a ON a.id = o.authority_id
         LEFT JOIN outlets ou ON ou.id = o.outlet_id
        WHERE o.id = ANY($1::bigint[])`,
        [orderIds],
      ),
    () =>
      db.query<TargetRow>(
        `SELECT t.order_id, ar.canonical_url, CASE WHEN t.article_disclosed THEN ar.title END AS title, ar.outlet_id, ou.slug AS outlet_slug, ou.name AS outlet_name
         FROM order_targets t JOIN articles ar ON ar.id = t.article_id LEFT JOIN outlets ou ON ou.id = ar.outlet_id
        WHERE t.order_id = ANY($1::bigint[]) ORDER BY t.order_id, t.id`,
        [orderIds],
      ),
    () =>
      db.query<{ order_id: number; kind: string; text: string | null }>(
        `SELECT order_id, kind, text FROM responses WHERE order_id = ANY($1::bigint[])
        ORDER BY order_id, responded_on NULLS LAST, id`,
        [orderIds],
      ),
    () =>
      db.query<{ order_id: number; kind: string }>(
        'SELECT order_id, kind FROM events WHERE order_id = ANY($1::bigint[]) ORDER BY order_id, occurred_at, id',
        [orderIds],
      ),
    () =>
      db.query<DocumentRow>(
        `SELECT id, order_id, role, original_filename, language, page_count FROM documents
        WHERE order_id = ANY($1::bigint[]) ORDER BY order_id, id`,
        [orderIds],
      ),
    () =>
      db.query<PageRow>(
        `SELECT p.document_id, p.number, p.text FROM document_pages p JOIN documents d ON d.id = p.document_id
        WHERE d.order_id = ANY($1::bigint[]) ORDER BY p.document_id, p.number`,
        [orderIds],
      ),
  ])) as [
    pg.QueryResult<OrderRow>,
    pg.QueryResult<TargetRow>,
    pg.QueryResult<{ order_id: number; kind: string; text: string | null }>,
    pg.QueryResult<{ order_id: number; kind: string }>,
    pg.QueryResult<DocumentRow>,
    pg.QueryResult<PageRow>,
  ];
  const hidden = await readHiddenText(db, orderIds);
  return { orders, targets, responses, events, documents, pages, hidden };
}

function groupBy<T extends { order_id: number }>(rows: T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(row.order_id);
    if (group) group.push(row);
    else groups.set(row.order_id, [row]);
  }
  return groups;
}

/** Reads the orders (and their story and pages) and builds their search documents. */
export async function buildSearchDocuments(
  db: Queryable,
  orderIds: number[],
  indexRev: number,
): Promise<BuiltSearchDocuments> {
  const ids = unique(orderIds.map(Number));
  if (!ids.length) return { orders: [], pages: [], missing: [] };
  const rows = await readRows(db, ids);
  const targets = groupBy(rows.targets.rows);
  const responses = groupBy(rows.responses.rows);
  const events = groupBy(rows.events.rows);
  const documents = groupBy(rows.documents.rows);
  const pagesByDocument = new Map<number, PageRow[]>();
  for (const page of rows.pages.rows) {
    const list = pagesByDocument.get(page.document_id) ?? [];
    list.push(page);
    pagesByDocument.set(page.document_id, list);
  }

  const built: BuiltSearchDocuments = { orders: [], pages: [], missing: [] };
  const found = new Set<number>();
  for (const order of rows.orders.rows) {
    found.add(order.id);
    const orderDocuments = documents.get(order.id) ?? [];
    const filters = filterFields(
      order,
      targets.get(order.id) ?? [],
      responses.get(order.id) ?? [],
      events.get(order.id) ?? [],
      orderDocuments,
    );
    const hidden = rows.hidden.get(order.id) ?? NOTHING_HIDDEN;
    const redacts = hidden.values.length > 0;
    // The public's copy: every page with the order's redactions burned in.
    const readable = (document: DocumentRow, page: PageRow): PageRow =>
      redacts
        ? { ...page, text: redactText(page.text, spansOf(hidden, document.id, page.number), hidden.values) }
        : page;
    const copies: [TextScope, (document: DocumentRow, page: PageRow) => PageRow][] = redacts
      ? [
          ['redacted', readable],
          ['unredacted', (_document, page) => page],
        ]
      : [['both', (_document, page) => page]];
    for (const [scope, textOf] of copies) {
      const scoped = { ...filters, text_scope: scope };
      const pagesOf = new Map(
        orderDocuments.map((document) => [
          document.id,
          (pagesByDocument.get(document.id) ?? []).map((page) => textOf(document, page)),
        ]),
      );
      const orderCopy = orderDocument(
        // The public's copy reads the order's own texts redacted too.
        scope === 'redacted' ? redactOrderFields(order, hidden) : order,
        scoped,
        targets.get(order.id) ?? [],
        responses.get(order.id) ?? [],
        orderDocuments,
        pagesOf,
      );
      built.orders.push({
        ...orderCopy,
        id: scope === 'unredacted' ? `${order.id}-unredacted` : order.id,
        index_rev: indexRev,
      });
      for (const document of orderDocuments) {
        for (const page of pagesOf.get(document.id) ?? []) {
          built.pages.push(
            ...pageDocuments(scoped, document, page, indexRev, scope === 'unredacted' ? '-u' : ''),
          );
        }
      }
    }
  }
  built.missing = ids.filter((id) => !found.has(id));
  return built;
}

function filterFields(
  order: OrderRow,
  targets: TargetRow[],
  responses: { kind: string }[],
  events: { kind: string }[],
  documents: DocumentRow[],
): OrderFilterFields {
  const canonicalUrls = targets.map((target) => target.canonical_url);
  return {
    order_id: order.id,
    public_id: order.public_id,
    authority_id: order.authority_id,
    authority_slug: order.authority_slug,
    country: order.authority_country,
    owner_outlet_id: order.outlet_id,
    outlet_ids: unique([order.outlet_id, ...targets.map((target) => target.outlet_id)]),
    outlet_slugs: unique([order.outlet_slug, ...targets.map((target) => target.outlet_slug)]),
    source: order.import_source ?? 'archive',
    status: order.status,
    demanded_actions: order.demanded_actions,
    legal_basis: order.legal_basis,
    legal_acts: unique(order.legal_basis.map(legalActOf)),
    languages: unique([order.language, ...documents.map((document) => document.language)]),
    event_kinds: unique(events.map((event) => event.kind)),
    response_kinds: unique(responses.map((response) => response.kind)),
    has_response: responses.length > 0,
    issued_at: dateSeconds(order.issued_on),
    received_at: dateSeconds(order.received_on),
    created_at: seconds(order.created_at)!,
    issued_year: order.issued_on ? Number(order.issued_on.slice(0, 4)) : null,
    target_url_keys: unique(canonicalUrls.map(urlKey)),
    target_prefix_keys: unique(canonicalUrls.flatMap(urlPrefixes).map(urlKey)),
    visibility: order.visibility,
    embargo_until: seconds(order.embargo_until),
    review_pending: order.review_pending,
    researchers_may_read_unredacted: order.researchers_may_read_unredacted,
    text_scope: 'both',
  };
}

function displayUrl(canonical: string): string {
  try {
    return canonicalizeUrl(canonical).display;
  } catch {
    return canonical;
  }
}

function orderDocument(
  order: OrderRow,
  filters: OrderFilterFields,
  targets: TargetRow[],
  responses: { kind: string; text: string | null }[],
  documents: DocumentRow[],
  pagesByDocument: Map<number, PageRow[]>,
): OrderSearchDocument {
  const snippetTexts: string[] = [];
  const folded = (text: string | null): string | null => {
    if (!text) return null;
    snippetTexts.push(text);
    return foldText(text);
  };
  const excerpts = new Map<string, string>();
  let budget = DOCUMENTS_EXCERPT_CHARS;
  for (const document of documents) {
    for (const page of pagesByDocument.get(document.id) ?? []) {
      if (budget <= 0) break;
      const field = `documents_text${localizedSuffix(document.language)}`;
      const piece = page.text.slice(0, budget);
      budget -= piece.length;
      excerpts.set(field, excerpts.has(field) ? `${excerpts.get(field)}\n\n${piece}` : piece);
    }
  }
  const displayTargets = targets.map((target) => ({
    url: target.canonical_url,
    display_url: displayUrl(target.canonical_url),
    title: target.title,
  }));
  const responsesText = responses
    .map((response) => response.text)
    .filter(Boolean)
    .join('\n\n');
  const document: OrderSearchDocument = {
    ...filters,
    id: order.id,
    index_rev: 0,
    draft: order.draft,
    reference_number: order.reference_number,
    issued_on: order.issued_on,
    received_on: order.received_on,
    updated_at: seconds(order.updated_at)!,
    authority: order.authority_slug
      ? {
          slug: order.authority_slug,
          name: order.authority_name!,
          local_name: order.authority_local_name,
          country: order.authority_country!,
        }
      : null,
    outlet: order.outlet_slug ? { slug: order.outlet_slug, name: order.outlet_name! } : null,
    targets: displayTargets,
    documents: documents.map((document) => ({
      id: document.id,
      role: document.role,
      filename: document.original_filename,
      page_count: document.page_count,
    })),
    authority_names: foldAll([
      order.authority_name,
      order.authority_local_name,
      ...(order.authority_aliases ?? []),
    ]),
    outlet_names: foldAll(unique([order.outlet_name, ...targets.map((target) => target.outlet_name)])),
    target_urls: displayTargets.map((target) => target.url),
    target_display_urls: foldAll(displayTargets.map((target) => target.display_url)),
    target_titles: foldAll(targets.map((target) => target.title)),
    legal_basis_raw: folded(order.legal_basis_raw),
    summary: folded(order.summary),
    stated_reason: folded(order.stated_reason),
    threatened_consequence: folded(order.threatened_consequence),
    responses_text: folded(responsesText || null),
    ...Object.fromEntries([...excerpts].map(([field, text]) => [field, folded(text)])),
  };
  const unfolding = unfoldingOf(snippetTexts);
  return unfolding ? { ...document, unfolding } : document;
}

function pageDocuments(
  filters: OrderFilterFields,
  document: DocumentRow,
  page: PageRow,
  indexRev: number,
  idSuffix: string,
): PageSearchDocument[] {
  const field = `text${localizedSuffix(document.language)}`;
  return splitForPositions(page.text).map((part, index) => {
    const unfolding = unfoldingOf([part]);
    return {
      ...filters,
      id: `${document.id}-${page.number}-${index}${idSuffix}`,
      document_id: document.id,
      page: page.number,
      part: index,
      role: document.role,
      filename: document.original_filename,
      [field]: foldText(part),
      ...(unfolding ? { unfolding } : {}),
      index_rev: indexRev,
    };
  });
}
