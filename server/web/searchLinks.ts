// Links of the search page: the same query with a filter added or removed, another page, and the Atom
// feed of the same search. Every link carries only what differs from the search API's defaults.
import { SearchFilters, type SearchQuery } from '../schemas/search.ts';

export const FILTER_NAMES = Object.keys(SearchFilters) as (keyof typeof SearchFilters)[];

/** Facets the search API counts, and the filter each one sets. */
export const FACETS = [
  'authority',
  'country',
  'outlet',
  'source',
  'legal_act',
  'legal_basis',
  'issued_year',
  'demanded_action',
  'status',
  'has_response',
  'event_kind',
  'response_kind',
  'language',
] as const;
export type Facet = (typeof FACETS)[number];

const DEFAULTS: Record<string, string> = {
  q: '',
  match: 'all',
  sort: 'relevance',
  page: '1',
  per_page: '20',
  pages_per_hit: '3',
};

/** The query as link parameters, defaults left out. */
export function searchParamsOf(query: Partial<SearchQuery>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const item of [value].flat()) {
      if (item === undefined || item === null) continue;
      const text = String(item);
      if (DEFAULTS[name] === text) continue;
      params.append(name, text);
    }
  }
  return params;
}

export function searchHref(params: URLSearchParams): string {
  const text = params.toString();
  return text ? `/?${text}` : '/';
}

/** The filter parameters one facet value sets. */
function filterOf(facet: Facet, value: string): [string, string][] {
  if (facet === 'legal_act') return [['legal_basis', value]];
  if (facet === 'issued_year')
    return [
      ['issued_from', `${value}-01-01`],
      ['issued_to', `${value}-12-31`],
    ];
  return [[facet, value]];
}

export function isSelected(params: URLSearchParams, facet: Facet, value: string): boolean {
  return filterOf(facet, value).every(([name, wanted]) => params.getAll(name).includes(wanted));
}

/** The same search with this facet value added, or taken away when it is already chosen; back to page 1. */
export function toggledFilterHref(params: URLSearchParams, facet: Facet, value: string): string {
  const next = new URLSearchParams(params);
  next.delete('page');
  const selected = isSelected(params, facet, value);
  for (const [name, wanted] of filterOf(facet, value)) {
    const single = name === 'has_response' || name === 'issued_from' || name === 'issued_to';
    const kept = next.getAll(name).filter((item) => item !== wanted && !single);
    next.delete(name);
    for (const item of kept) next.append(name, item);
    if (!selected) next.append(name, wanted);
  }
  return searchHref(next);
}

export function pageHref(params: URLSearchParams, page: number): string {
  const next = new URLSearchParams(params);
  if (page <= 1) next.delete('page');
  else next.set('page', String(page));
  return searchHref(next);
}

/** The same words and filters without any filter. */
export function withoutFiltersHref(params: URLSearchParams): string {
  const next = new URLSearchParams();
  for (const [name, value] of params)
    if (!(FILTER_NAMES as string[]).includes(name) && name !== 'page') next.append(name, value);
  return searchHref(next);
}

/** The Atom feed of the same search (words and filters; a feed has no pages or sort). */
export function feedHref(params: URLSearchParams): string {
  const next = new URLSearchParams();
  for (const [name, value] of params) {
    if (name === 'q' || name === 'match' || (FILTER_NAMES as string[]).includes(name))
      next.append(name, value);
  }
  const text = next.toString();
  return text ? `/api/search.atom?${text}` : '/api/search.atom';
}
