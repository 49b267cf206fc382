// Page-level search: the pages of documents that match, each citable by document and page number, under
// the same filters and visibility rule as order search.
import type { SearchParams, SearchResponse } from 'meilisearch';
import type { Caller } from '../auth/caller.ts';
import { searchAccessFilter } from '../auth/orderAccess.ts';
import { invalidInput } from '../errors.ts';
import { canonicalizeUrl, InvalidUrlError } from '../../domain/canonicalUrl.ts';
import type { PageSearchQuery, PageSearchResult } from '../schemas/search.ts';
import { pageHit, snippetParams, type SearchDependencies } from './orderSearch.ts';
import type { PageSearchDocument } from '../indexing/searchDocuments.ts';
import { urlPrefixes } from '../indexing/searchDocuments.ts';
import { searchFilterConditions, urlFilter } from './searchFilters.ts';
import { PAGE_TEXT_FIELDS, searchIndexNames } from '../indexing/searchIndexes.ts';
import { foldText } from '../../domain/textFolding.ts';

const PAGE_FIELDS = [
  'document_id',
  'page',
  'filename',
  'unfolding',
  'public_id',
  'authority_slug',
  'country',
  'status',
  'issued_at',
] satisfies (keyof PageSearchDocument)[];

const dateOf = (seconds: number | null) =>
  seconds === null ? null : new Date(seconds * 1000).toISOString().slice(0, 10);

export async function searchPages(
  deps: SearchDependencies,
  caller: Caller,
  query: PageSearchQuery,
  now = new Date(),
): Promise<PageSearchResult> {
  const filter = [...searchAccessFilter(caller, now), ...searchFilterConditions(query)];
  if (query.url) {
    try {
      const url = canonicalizeUrl(query.url);
      filter.push(urlFilter(url.canonical, urlPrefixes(url.canonical).at(-1) ?? url.host, 'under'));
    } catch (error) {
      if (error instanceof InvalidUrlError) throw invalidInput(error.message, 'url');
      throw error;
    }
  }
  const params: SearchParams = {
    filter,
    page: query.page,
    hitsPerPage: query.per_page,
    attributesToRetrieve: PAGE_FIELDS,
    matchingStrategy: query.match === 'any' ? 'last' : 'all',
    ...snippetParams(PAGE_TEXT_FIELDS, 30),
  };
  const response: SearchResponse<PageSearchDocument> = await deps.meili
    .index<PageSearchDocument>(searchIndexNames(deps.config.MEILI_INDEX_PREFIX).pages)
    .search(foldText(query.q.trim()), params);
  return {
    query: query.q,
    total: response.totalHits ?? 0,
    page: response.page ?? query.page,
    per_page: query.per_page,
    total_pages: response.totalPages ?? 0,
    hits: response.hits.map((hit) => ({
      ...pageHit(hit),
      order: {
        id: hit.public_id,
        url: `/api/orders/${hit.public_id}`,
        authority: hit.authority_slug,
        country: hit.country,
        status: hit.status as PageSearchResult['hits'][number]['order']['status'],
        issued_on: dateOf(hit.issued_at),
      },
    })),
  };
}
