// The two search indexes (`orders`, `pages`), their settings, and the check that Meilisearch holds
// exactly those settings — applied before any document is sent, since changing them later re-indexes.
import type { Meilisearch, Settings } from 'meilisearch';
import type { Queryable } from '../database/transaction.ts';
import { meiliErrorCode, waitForSearchTasks } from './searchTasks.ts';
import { foldText } from '../../domain/textFolding.ts';

export interface SearchIndexNames {
  orders: string;
  pages: string;
}

/** Every index name carries MEILI_INDEX_PREFIX, so archives (and test files) can share one Meilisearch. */
export function searchIndexNames(prefix: string): SearchIndexNames {
  return { orders: `${prefix}orders`, pages: `${prefix}pages` };
}

/** Fields of the order that both indexes carry, for filters, facets and the visibility rule. */
export const ORDER_FILTER_FIELDS = [
  'order_id',
  'authority_id',
  'authority_slug',
  'country',
  'outlet_ids',
  'outlet_slugs',
  'source',
  'status',
  'demanded_actions',
  'legal_basis',
  'legal_acts',
  'languages',
  'event_kinds',
  'response_kinds',
  'has_response',
  'issued_at',
  'received_at',
  'created_at',
  'issued_year',
  'target_url_keys',
  'target_prefix_keys',
  // The visibility rule (server/auth/orderAccess.ts) filters on these four.
  'visibility',
  'embargo_until',
  'review_pending',
  'owner_outlet_id',
  // Which copy (redacted or not) a caller searches: searchCopyFilter in server/auth/orderAccess.ts.
  'text_scope',
  'researchers_may_read_unredacted',
] as const;

/** Facet name in the API → field in the index. */
export const FACET_FIELDS = {
  authority: 'authority_slug',
  country: 'country',
  outlet: 'outlet_slugs',
  source: 'source',
  status: 'status',
  demanded_action: 'demanded_actions',
  legal_basis: 'legal_basis',
  legal_act: 'legal_acts',
  language: 'languages',
  event_kind: 'event_kinds',
  response_kind: 'response_kinds',
  has_response: 'has_response',
  issued_year: 'issued_year',
} as const;
export type FacetName = keyof typeof FACET_FIELDS;

/** Text fields of documents, by the language Meilisearch should tokenize them as. */
export const LOCALIZED_TEXT_SUFFIXES = { ru: '_rus', en: '_eng' } as const;

// Identifiers and addresses are either typed right or not at all: a typo there finds a different order.
const EXACT_FIELDS = ['public_id', 'reference_number', 'target_urls', 'target_display_urls', 'legal_basis'];

const LOCALIZED_ATTRIBUTES = [
  { attributePatterns: ['*_rus'], locales: ['rus'] },
  { attributePatterns: ['*_eng'], locales: ['eng'] },
];

export const ORDER_TEXT_FIELDS = [
  'summary',
  'stated_reason',
  'threatened_consequence',
  'responses_text',
  'documents_text_rus',
  'documents_text_eng',
  'documents_text',
] as const;

export const PAGE_TEXT_FIELDS = ['text_rus', 'text_eng', 'text'] as const;

function commonSettings(synonyms: Record<string, string[]>): Settings {
  return {
    sortableAttributes: ['issued_at', 'received_at', 'created_at', 'order_id'],
    typoTolerance: { enabled: true, disableOnAttributes: EXACT_FIELDS },
    synonyms,
    localizedAttributes: LOCALIZED_ATTRIBUTES,
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'count' } },
    // Totals are shown to people counting precedents: count them exactly, far beyond the default 1000.
    pagination: { maxTotalHits: 1_000_000 },
    facetSearch: false,
  };
}

export function ordersIndexSettings(synonyms: Record<string, string[]>): Settings {
  return {
    ...commonSettings(synonyms),
    // Most specific first: an identifier or an address, then who issued it and what it targets, then
    // the law, what the order says, and last the long text of its documents.
    searchableAttributes: [
      'public_id',
      'reference_number',
      'target_urls',
      'target_display_urls',
      'authority_names',
      'target_titles',
      'legal_basis',
      'legal_basis_raw',
      'summary',
      'stated_reason',
      'threatened_consequence',
      'outlet_names',
      'responses_text',
      'documents_text_rus',
      'documents_text_eng',
      'documents_text',
    ],
    filterableAttributes: [...ORDER_FILTER_FIELDS, 'index_rev'],
  };
}

export function pagesIndexSettings(synonyms: Record<string, string[]>): Settings {
  return {
    ...commonSettings(synonyms),
    searchableAttributes: [...PAGE_TEXT_FIELDS],
    filterableAttributes: [...ORDER_FILTER_FIELDS, 'document_id', 'index_rev'],
  };
}

// Meilisearch matches synonyms of at most 7 words (measured on 1.21): a longer official name is
// represented by its first seven words, which still name one body.
const MAX_SYNONYM_WORDS = 7;

function synonymForm(name: string): string {
  return foldText(name)
    .toLowerCase()
    .replace(/[,.;:«»"“”„()]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, MAX_SYNONYM_WORDS)
    .join(' ');
}

/** Every name of one body is a synonym of every other (РКН ↔ Роскомнадзор ↔ Roskomnadzor ↔ …). */
export function synonymsFromAuthorities(
  authorities: { name: string; local_name: string | null; aliases: string[] }[],
): Record<string, string[]> {
  const synonyms = new Map<string, Set<string>>();
  for (const authority of authorities) {
    const names = [
      ...new Set(
        [authority.name, authority.local_name ?? '', ...authority.aliases]
          .map(synonymForm)
          .filter((n) => n.length >= 2),
      ),
    ];
    for (const name of names) {
      const others = synonyms.get(name) ?? new Set<string>();
      for (const other of names) if (other !== name) others.add(other);
      synonyms.set(name, others);
    }
  }
  return Object.fromEntries(
    [...synonyms].filter(([, others]) => others.size > 0).map(([name, others]) => [name, [...others].sort()]),
  );
}

export interface AuthoritySynonyms {
  synonyms: Record<string, string[]>;
  /** Changes whenever any authority's names change: the relay re-applies synonyms then. */
  signature: string;
}

export async function readAuthoritySynonyms(db: Queryable): Promise<AuthoritySynonyms> {
  const { rows } = await db.query<{ name: string; local_name: string | null; aliases: string[] }>(
    'SELECT name, local_name, aliases FROM authorities ORDER BY id',
  );
  const synonyms = synonymsFromAuthorities(rows);
  return { synonyms, signature: await authoritySignature(db) };
}

export async function authoritySignature(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ signature: string | null }>(
    `SELECT md5(string_agg(id || ':' || name || ':' || coalesce(local_name, '') || ':' ||
                array_to_string(aliases, '|'), ',' ORDER BY id)) AS signature FROM authorities`,
  );
  return rows[0]?.signature ?? 'none';
}

type SettingKey = keyof Settings;
const UNORDERED_LISTS: SettingKey[] = ['filterableAttributes', 'sortableAttributes'];

/** A comparable form of one setting, so a server's equivalent answer (other order, defaults) compares equal. */
function comparable(key: SettingKey, value: unknown, wanted: unknown): string {
  if (value === undefined || value === null) return JSON.stringify(value ?? null);
  if (UNORDERED_LISTS.includes(key) && Array.isArray(value)) return JSON.stringify([...value].sort());
  if (key === 'synonyms') {
    const entries = Object.entries(value as Record<string, string[]>).map(
      ([name, others]) => [name, [...others].sort()] as const,
    );
    return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  if (typeof value === 'object' && !Array.isArray(value) && wanted && typeof wanted === 'object') {
    // Compare only the parts we set (the server adds its defaults for the others).
    const picked = Object.keys(wanted).map((part) => {
      const own = (value as Record<string, unknown>)[part];
      return [part, Array.isArray(own) ? [...own].sort() : own] as const;
    });
    return JSON.stringify(picked);
  }
  return JSON.stringify(value);
}

/** The settings of `wanted` that the index does not hold (empty when it holds them all). */
export function settingsDifferences(current: Settings, wanted: Settings): SettingKey[] {
  return (Object.keys(wanted) as SettingKey[]).filter(
    (key) => comparable(key, current[key], wanted[key]) !== comparable(key, wanted[key], wanted[key]),
  );
}

export interface IndexCheck {
  uid: string;
  created: boolean;
  updated: SettingKey[];
}

/** Creates the index if missing and brings its settings to `wanted`, waiting until Meilisearch has. */
export async function applyIndexSettings(
  meili: Meilisearch,
  uid: string,
  wanted: Settings,
): Promise<IndexCheck> {
  let created = false;
  const exists = await meili.getRawIndex(uid).then(
    () => true,
    (error: unknown) => {
      if (meiliErrorCode(error) === 'index_not_found') return false;
      throw error;
    },
  );
  if (!exists) {
    await waitForSearchTasks(meili, [await meili.createIndex(uid, { primaryKey: 'id' })]);
    created = true;
  }
  const index = meili.index(uid);
  const differences = settingsDifferences(await index.getSettings(), wanted);
  if (differences.length) {
    const update = Object.fromEntries(differences.map((key) => [key, wanted[key]])) as Settings;
    await waitForSearchTasks(meili, [await index.updateSettings(update)], 10 * 60_000);
    const still = settingsDifferences(await index.getSettings(), wanted);
    if (still.length)
      throw new Error(`Meilisearch index ${uid} did not take the settings ${still.join(', ')}`);
  }
  return { uid, created, updated: differences };
}

/** Both indexes exist with the archive's settings (synonyms from the authorities in PostgreSQL). */
export async function ensureSearchIndexes(
  meili: Meilisearch,
  names: SearchIndexNames,
  synonyms: Record<string, string[]>,
): Promise<IndexCheck[]> {
  return [
    await applyIndexSettings(meili, names.orders, ordersIndexSettings(synonyms)),
    await applyIndexSettings(meili, names.pages, pagesIndexSettings(synonyms)),
  ];
}
