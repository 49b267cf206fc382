// Schemas for search: the query (every filter value validated here, before it goes near a filter
// string), the hits with their pages, facets, page-level hits and precedents.
import { Type, type Static } from '@sinclair/typebox';
import { DateOnly, Nullable, SAFE_TEXT_PATTERN, SafeText } from './common.ts';
import { DemandedAction, EventKind, OrderStatus, ResponseKind, Visibility } from './enums.ts';
import { LegalCitationCode, ORDER_SOURCES, OrderIdParam, PublicOrderId } from './orders.ts';
import { CountryCode, IdOrSlug } from './references.ts';

const anyOf = <T extends Parameters<typeof Type.Array>[0]>(item: T, description: string) =>
  Type.Optional(Type.Array(item, { maxItems: 20, description: `${description}; repeat for any of several` }));

function enumeration<const T extends readonly string[]>(values: T, description: string, fallback: T[number]) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description, default: fallback });
}

export const SEARCH_SORTS = [
  'relevance',
  'issued',
  'issued_asc',
  'received',
  'received_asc',
  'created',
] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export const SearchFilters = {
  authority: anyOf(IdOrSlug, 'issuing body, by id or slug'),
  country: anyOf(CountryCode, "the issuing body's country"),
  outlet: anyOf(IdOrSlug, 'outlet (the order’s, or a targeted article’s), by id or slug'),
  source: anyOf(
    Type.Unsafe<(typeof ORDER_SOURCES)[number]>({ type: 'string', enum: [...ORDER_SOURCES] }),
    'where the order came from: archive (filed here) or the collection it was imported from',
  ),
  status: anyOf(OrderStatus, 'where the order stands'),
  demanded_action: anyOf(DemandedAction, 'what the authority demanded'),
  legal_basis: anyOf(LegalCitationCode, 'a law article (RU/149-FZ/15.3) or a whole act (RU/149-FZ)'),
  language: anyOf(
    Type.String({ pattern: '^[a-z]{2,3}$', description: 'ISO 639-1, e.g. ru' }),
    'language of the order or its documents',
  ),
  event_kind: anyOf(EventKind, 'what followed the order'),
  response_kind: anyOf(ResponseKind, 'what the outlet did'),
  has_response: Type.Optional(Type.Boolean({ description: 'whether the outlet’s response is recorded' })),
  issued_from: Type.Optional(DateOnly),
  issued_to: Type.Optional(DateOnly),
  url: Type.Optional(
    SafeText({
      minLength: 4,
      maxLength: 4000,
      description: 'orders targeting this web address (canonicalised like articles), else anything under it',
    }),
  ),
};

const textQuery = {
  q: Type.String({
    pattern: SAFE_TEXT_PATTERN,
    maxLength: 500,
    default: '',
    description: 'words (typos, ё/е and Kazakh letters forgiven), an order id, or a pasted web address',
  }),
  match: enumeration(['all', 'any'] as const, 'all: every word must match; any: best matches first', 'all'),
};

export const SearchQuery = Type.Object(
  {
    ...textQuery,
    ...SearchFilters,
    sort: enumeration(SEARCH_SORTS, 'relevance (newest first without words), or by date', 'relevance'),
    page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
    per_page: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    pages_per_hit: Type.Integer({
      minimum: 0,
      maximum: 10,
      default: 3,
      description: 'matching pages shown per order, to cite',
    }),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const PageSearchQuery = Type.Object(
  {
    ...textQuery,
    q: SafeText({ minLength: 1, maxLength: 500, description: 'words to find in the pages of documents' }),
    ...SearchFilters,
    page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
    per_page: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);
export type PageSearchQuery = Static<typeof PageSearchQuery>;

export const FeedQuery = Type.Object(
  {
    ...textQuery,
    ...SearchFilters,
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
  },
  { additionalProperties: false },
);
export type FeedQuery = Static<typeof FeedQuery>;

export const PrecedentQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }) });
export { OrderIdParam };

const Snippet = Nullable(
  Type.String({ description: 'HTML: the matched words in <mark>, cuts marked …, everything else escaped' }),
);

export const PageHit = Type.Object({
  document_id: Type.Integer(),
  filename: Nullable(Type.String()),
  page: Type.Integer({ description: 'page number in the document, from 1' }),
  snippet: Snippet,
  document_url: Type.String(),
  file_url: Type.String({ description: 'the original file, opened at the page' }),
});

const OrderCard = {
  id: PublicOrderId,
  url: Type.String(),
  authority: Nullable(
    Type.Object({
      slug: Type.String(),
      name: Type.String(),
      local_name: Nullable(Type.String()),
      country: Type.String(),
    }),
  ),
  outlet: Nullable(Type.Object({ slug: Type.String(), name: Type.String() })),
  reference_number: Nullable(Type.String()),
  issued_on: Nullable(DateOnly),
  received_on: Nullable(DateOnly),
  status: OrderStatus,
  visibility: Visibility,
  demanded_actions: Type.Array(DemandedAction),
  legal_basis: Type.Array(Type.String()),
  event_kinds: Type.Array(EventKind),
  response_kinds: Type.Array(ResponseKind),
  targets: Type.Array(
    Type.Object({ url: Type.String(), display_url: Type.String(), title: Nullable(Type.String()) }),
  ),
};

export const SearchHit = Type.Object({
  ...OrderCard,
  snippet: Snippet,
  pages: Type.Array(PageHit, { description: 'the best matching pages of its documents, to cite' }),
});
export type SearchHit = Static<typeof SearchHit>;

export const FacetCounts = Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer()), {
  description:
    'per filter (authority, country, outlet, source, status, demanded_action, legal_basis, legal_act, language, ' +
    'event_kind, response_kind, has_response, issued_year): value → number of matching orders you may see',
});

export const UrlMatch = Nullable(
  Type.Object({
    canonical: Type.String(),
    display: Type.String(),
    match: Type.Union([Type.Literal('exact'), Type.Literal('under'), Type.Literal('none')], {
      description: 'exact: orders targeting this address; under: orders targeting pages under it',
    }),
  }),
);

export const SearchResult = Type.Object({
  query: Type.String(),
  url_match: UrlMatch,
  total: Type.Integer({ description: 'matching orders you may see' }),
  page: Type.Integer(),
  per_page: Type.Integer(),
  total_pages: Type.Integer(),
  hits: Type.Array(SearchHit),
  facets: FacetCounts,
});
export type SearchResult = Static<typeof SearchResult>;

export const PageSearchHit = Type.Object({
  ...PageHit.properties,
  order: Type.Object({
    id: PublicOrderId,
    url: Type.String(),
    authority: Nullable(Type.String({ description: 'slug' })),
    country: Nullable(Type.String()),
    status: OrderStatus,
    issued_on: Nullable(DateOnly),
  }),
});

export const PageSearchResult = Type.Object({
  query: Type.String(),
  total: Type.Integer({ description: 'matching pages you may see' }),
  page: Type.Integer(),
  per_page: Type.Integer(),
  total_pages: Type.Integer(),
  hits: Type.Array(PageSearchHit),
});
export type PageSearchResult = Static<typeof PageSearchResult>;

export const Precedent = Type.Object({
  ...OrderCard,
  score: Type.Integer({
    description: '4 per shared law article, 1 per shared act, 2 same authority, 1 per shared action',
  }),
  shared: Type.Object({
    legal_basis: Type.Array(Type.String()),
    legal_acts: Type.Array(Type.String()),
    authority: Type.Boolean(),
    demanded_actions: Type.Array(DemandedAction),
  }),
  outcome: Type.Object({
    status: OrderStatus,
    response_kinds: Type.Array(ResponseKind),
    event_kinds: Type.Array(EventKind),
  }),
});
export type Precedent = Static<typeof Precedent>;

export const PrecedentsResult = Type.Object({
  order: PublicOrderId,
  precedents: Type.Array(Precedent, { description: 'most alike first, then newest' }),
});
export type PrecedentsResult = Static<typeof PrecedentsResult>;
