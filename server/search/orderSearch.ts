// Searches orders the caller may see: words (folded like the index), filters, a pasted web address,
// facet counts and totals under the same visibility filter, and for each hit its best matching pages.
import type { Meilisearch, MultiSearchQuery, SearchParams, SearchResponse } from 'meilisearch';
import type { Caller } from '../auth/caller.ts';
import { searchAccessFilter } from '../auth/orderAccess.ts';
import { invalidInput } from '../errors.ts';
import type { Config } from '../config.ts';
import { canonicalizeUrl, InvalidUrlError, type CanonicalUrl } from '../../domain/canonicalUrl.ts';
import type { SearchHit, SearchQuery, SearchResult, SearchSort } from '../schemas/search.ts';
import type { OrderSearchDocument, PageSearchDocument } from '../indexing/searchDocuments.ts';
import { urlPrefixes } from '../indexing/searchDocuments.ts';
import { searchFilterConditions, urlFilter } from './searchFilters.ts';
import {
  FACET_FIELDS,
  ORDER_TEXT_FIELDS,
  PAGE_TEXT_FIELDS,
  searchIndexNames,
} from '../indexing/searchIndexes.ts';
import { hasMatch, SNIPPET_SEARCH_PARAMS, snippetHtml } from './searchSnippets.ts';
import { foldText } from '../../domain/textFolding.ts';

export interface SearchDependencies {
  meili: Meilisearch;
  config: Pick<Config, 'MEILI_INDEX_PREFIX'>;
}

type Hit<T> = T & { _formatted?: Partial<Record<keyof T, unknown>> };

export const ORDER_CARD_FIELDS = [
  'order_id',
  'public_id',
  'authority',
  'outlet',
  'reference_number',
  'issued_on',
  'received_on',
  'issued_at',
  'status',
  'visibility',
  'demanded_actions',
  'legal_basis',
  'legal_acts',
  'authority_id',
  'event_kinds',
  'response_kinds',
  'targets',
  'created_at',
  'updated_at',
  'summary',
  'unfolding',
] satisfies (keyof OrderSearchDocument)[];

const PAGE_HIT_FIELDS = [
  'order_id',
  'document_id',
  'page',
  'filename',
  'unfolding',
] satisfies (keyof PageSearchDocument)[];

// Orders filed in the same second keep the order they were filed in.
const SORTS: Record<SearchSort, string[] | undefined> = {
  relevance: undefined,
  issued: ['issued_at:desc', 'order_id:desc'],
  issued_asc: ['issued_at:asc', 'order_id:asc'],
  received: ['received_at:desc', 'order_id:desc'],
  received_asc: ['received_at:asc', 'order_id:asc'],
  created: ['created_at:desc', 'order_id:desc'],
};

// One word, with a dot in its host part: vlast.kz/novosti/1, https://…, www.…
const LOOKS_LIKE_URL =
  /^(https?:\/\/\S+|(www\.)?[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.(\p{L}{2,}|xn--[a-z0-9-]+)(:\d+)?([/?#]\S*)?)$/iu;

/** The caller's pasted address, canonicalised like articles; undefined when `q` is words. */
export function urlInQuery(q: string): CanonicalUrl | undefined {
  const trimmed = q.trim();
  if (!LOOKS_LIKE_URL.test(trimmed)) return undefined;
  try {
    return canonicalizeUrl(trimmed);
  } catch {
    return undefined;
  }
}

export function orderCard(document: OrderSearchDocument) {
  return {
    id: document.public_id,
    url: `/api/orders/${document.public_id}`,
    authority: document.authority,
    outlet: document.outlet,
    reference_number: document.reference_number,
    issued_on: document.issued_on,
    received_on: document.received_on,
    status: document.status as SearchHit['status'],
    visibility: document.visibility as SearchHit['visibility'],
    demanded_actions: document.demanded_actions as SearchHit['demanded_actions'],
    legal_basis: document.legal_basis,
    event_kinds: document.event_kinds as SearchHit['event_kinds'],
    response_kinds: document.response_kinds as SearchHit['response_kinds'],
    targets: document.targets,
  };
}

/** The snippet of the first text field (most specific first) where Meilisearch marked a match. */
export function orderSnippet(hit: Hit<OrderSearchDocument>): string | null {
  for (const field of ORDER_TEXT_FIELDS) {
    const formatted = hit._formatted?.[field];
    if (typeof formatted === 'string' && hasMatch(formatted)) {
      return snippetHtml(formatted, hit.unfolding);
    }
  }
  return null;
}

export function pageHit(hit: Hit<PageSearchDocument>) {
  const formatted = PAGE_TEXT_FIELDS.map((field) => hit._formatted?.[field]).find(
    (text): text is string => typeof text === 'string' && text !== '',
  );
  const marked = PAGE_TEXT_FIELDS.map((field) => hit._formatted?.[field]).find(
    (text): text is string => typeof text === 'string' && hasMatch(text),
  );
  const snippetSource = marked ?? formatted;
  return {
    document_id: hit.document_id,
    filename: hit.filename,
    page: hit.page,
    snippet: snippetSource ? snippetHtml(snippetSource, hit.unfolding) : null,
    document_url: `/api/documents/${hit.document_id}`,
    file_url: `/api/documents/${hit.document_id}/file#page=${hit.page}`,
  };
}

/** Search parameters that return cropped, marked text of the given fields. */
export function snippetParams(fields: readonly string[], cropLength: number): SearchParams {
  return {
    attributesToCrop: [...fields],
    attributesToHighlight: [...fields],
    cropLength,
    ...SNIPPET_SEARCH_PARAMS,
  };
}

export interface OrderSearchOutcome {
  response: SearchResponse<OrderSearchDocument>;
  hits: Hit<OrderSearchDocument>[];
  urlMatch: SearchResult['url_match'];
  /** The words pages should be searched with ('' when the query was only an address or filters). */
  words: string;
  /** The caller's visibility and copy rules (see searchAccessFilter). */
  access: string[];
}

/** Runs an order search for `caller` and returns Meilisearch's documents (see searchOrders for the API shape). */
export async function searchOrderDocuments(
  deps: SearchDependencies,
  caller: Caller,
  query: Omit<SearchQuery, 'pages_per_hit'>,
  now = new Date(),
): Promise<OrderSearchOutcome> {
  const names = searchIndexNames(deps.config.MEILI_INDEX_PREFIX);
  let url: CanonicalUrl | undefined;
  if (query.url) {
    try {
      url = canonicalizeUrl(query.url);
    } catch (error) {
      if (error instanceof InvalidUrlError) throw invalidInput(error.message, 'url');
      throw error;
    }
  }
  const pastedUrl = url ? undefined : urlInQuery(query.q);
  url ??= pastedUrl;
  let words = pastedUrl ? '' : query.q.trim();

  const access = searchAccessFilter(caller, now);
  const filter = [...access, ...searchFilterConditions(query)];
  const paramsFor = (text: string): SearchParams => {
    // Without words there is no relevance to rank by: newest first.
    const sort = SORTS[query.sort] ?? (text ? undefined : SORTS.created);
    return {
      q: foldText(text),
      filter,
      page: query.page,
      hitsPerPage: query.per_page,
      facets: Object.values(FACET_FIELDS),
      attributesToRetrieve: ORDER_CARD_FIELDS,
      matchingStrategy: query.match === 'any' ? 'last' : 'all',
      ...(sort ? { sort } : {}),
      ...(text ? snippetParams(ORDER_TEXT_FIELDS, 30) : {}),
    };
  };
  const params = paramsFor(words);

  let response: SearchResponse<OrderSearchDocument>;
  let urlMatch: SearchResult['url_match'] = null;
  if (url) {
    const prefix = urlPrefixes(url.canonical).at(-1) ?? url.host;
    const [exact, under] = (
      await deps.meili.multiSearch<{ queries: MultiSearchQuery[] }, OrderSearchDocument>({
        queries: (['exact', 'under'] as const).map((match) => ({
          indexUid: names.orders,
          ...params,
          filter: [...filter, urlFilter(url!.canonical, prefix, match)],
        })),
      })
    ).results;
    const chosen = exact!.totalHits ? 'exact' : under!.totalHits ? 'under' : 'none';
    urlMatch = { canonical: url.canonical, display: url.display, match: chosen };
    response = chosen === 'under' ? under! : exact!;
    // A pasted address nobody targets may still be quoted in the text of documents.
    if (chosen === 'none' && pastedUrl) {
      words = query.q.trim();
      const text = paramsFor(words);
      response = await deps.meili.index<OrderSearchDocument>(names.orders).search(text.q, text);
    }
  } else {
    response = await deps.meili.index<OrderSearchDocument>(names.orders).search(params.q, params);
  }
  return { response, hits: response.hits as Hit<OrderSearchDocument>[], urlMatch, words, access };
}

export async function searchOrders(
  deps: SearchDependencies,
  caller: Caller,
  query: SearchQuery,
  now = new Date(),
): Promise<SearchResult> {
  const { response, hits, urlMatch, words, access } = await searchOrderDocuments(deps, caller, query, now);
  const pagesIndex = searchIndexNames(deps.config.MEILI_INDEX_PREFIX).pages;
  const pages =
    words && query.pages_per_hit
      ? await pagesPerHit(deps, pagesIndex, hits, words, access, query.pages_per_hit)
      : [];
  return {
    query: query.q,
    url_match: urlMatch,
    total: response.totalHits ?? 0,
    page: response.page ?? query.page,
    per_page: query.per_page,
    total_pages: response.totalPages ?? 0,
    hits: hits.map((hit, index) => ({
      ...orderCard(hit),
      snippet: orderSnippet(hit),
      pages: pages[index] ?? [],
    })),
    facets: facetCounts(response.facetDistribution),
  };
}

/**
 * For each order hit, its best matching pages. One query over all the hits' pages, with a count of
 * matching pages per order, usually holds enough of each order's best pages; the orders it shorted
 * get a query of their own (one more request). Per-order queries alone cost Meilisearch the query's
 * word expansion once per hit (~2 ms each on 20 hits, measured).
 */
async function pagesPerHit(
  deps: SearchDependencies,
  pagesIndex: string,
  hits: OrderSearchDocument[],
  words: string,
  access: string[],
  limit: number,
): Promise<ReturnType<typeof pageHit>[][]> {
  if (!hits.length) return [];
  const query = (orderIds: number[], count: number): SearchParams => ({
    q: foldText(words),
    filter: [...access, `order_id IN [${orderIds.map((id) => Math.trunc(id)).join(', ')}]`],
    limit: count,
    attributesToRetrieve: PAGE_HIT_FIELDS,
    // A page citing some of the words is worth showing: drop the commonest words first.
    matchingStrategy: 'frequency',
    ...snippetParams(PAGE_TEXT_FIELDS, 24),
  });
  const orderIds = hits.map((hit) => hit.order_id);
  const all = await deps.meili
    .index<PageSearchDocument>(pagesIndex)
    .search(foldText(words), { ...query(orderIds, orderIds.length * limit), facets: ['order_id'] });

  const byOrder = new Map<number, Hit<PageSearchDocument>[]>(orderIds.map((id) => [id, []]));
  for (const page of all.hits as Hit<PageSearchDocument>[]) {
    const pages = byOrder.get(page.order_id);
    if (pages && pages.length < limit) pages.push(page);
  }
  const matching = all.facetDistribution?.order_id ?? {};
  const shorted = orderIds.filter(
    (id) => byOrder.get(id)!.length < Math.min(limit, matching[String(id)] ?? 0),
  );
  if (shorted.length) {
    const { results } = await deps.meili.multiSearch<{ queries: MultiSearchQuery[] }, PageSearchDocument>({
      queries: shorted.map((id) => ({ indexUid: pagesIndex, ...query([id], limit) })),
    });
    shorted.forEach((id, index) => byOrder.set(id, results[index]!.hits as Hit<PageSearchDocument>[]));
  }
  return orderIds.map((id) => byOrder.get(id)!.map(pageHit));
}

export function facetCounts(distribution: Record<string, Record<string, number>> | undefined) {
  return Object.fromEntries(
    Object.entries(FACET_FIELDS).map(([name, field]) => [name, distribution?.[field] ?? {}]),
  );
}
