// Turns a search query's filters — already validated by their schemas (enums, patterns, dates) — into
// Meilisearch filter expressions. Every string value is quoted here; caller input is never pasted raw.
import type { Static } from '@sinclair/typebox';
import type { SearchFilters } from '../schemas/search.ts';
import { urlKey } from '../indexing/searchDocuments.ts';

type FilterValues = { [K in keyof typeof SearchFilters]?: Static<(typeof SearchFilters)[K]> };

/** A string as a Meilisearch filter literal: double quotes, with `\` and `"` escaped. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}

function anyOf(field: string, values: readonly string[] | undefined): string | undefined {
  if (!values?.length) return undefined;
  return `${field} IN [${values.map(quoteFilterValue).join(', ')}]`;
}

/** ids (digits) and slugs of the same kind, as one "any of" condition. */
function idsOrSlugs(
  idField: string,
  slugField: string,
  values: readonly string[] | undefined,
): string | undefined {
  if (!values?.length) return undefined;
  const ids = values.filter((value) => /^[0-9]+$/.test(value)).map((value) => String(Number(value)));
  const slugs = values.filter((value) => !/^[0-9]+$/.test(value));
  const parts = [
    ...(ids.length ? [`${idField} IN [${ids.join(', ')}]`] : []),
    ...(slugs.length ? [anyOf(slugField, slugs)!] : []),
  ];
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

const dateSeconds = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000);

/** Conditions for the filters of the query (all must hold); the URL filter is separate (urlFilter). */
export function searchFilterConditions(query: FilterValues): string[] {
  const legal = query.legal_basis ?? [];
  // A code with an article (RU/149-FZ/15.3) matches that article; a bare act (RU/149-FZ) any of its articles.
  const articles = legal.filter((code) => code.split('/').length === 3);
  const acts = legal.filter((code) => code.split('/').length === 2);
  const legalParts = [anyOf('legal_basis', articles), anyOf('legal_acts', acts)].filter(Boolean);
  const conditions = [
    idsOrSlugs('authority_id', 'authority_slug', query.authority),
    anyOf('country', query.country),
    idsOrSlugs('outlet_ids', 'outlet_slugs', query.outlet),
    anyOf('source', query.source),
    anyOf('status', query.status),
    anyOf('demanded_actions', query.demanded_action),
    legalParts.length > 1 ? `(${legalParts.join(' OR ')})` : legalParts[0],
    anyOf('languages', query.language),
    anyOf('event_kinds', query.event_kind),
    anyOf('response_kinds', query.response_kind),
    query.has_response === undefined ? undefined : `has_response = ${query.has_response ? 'true' : 'false'}`,
    query.issued_from ? `issued_at >= ${dateSeconds(query.issued_from)}` : undefined,
    query.issued_to ? `issued_at <= ${dateSeconds(query.issued_to)}` : undefined,
  ];
  return conditions.filter((condition): condition is string => condition !== undefined);
}

/** Orders targeting exactly this canonical URL, or (`under`) any page below it. */
export function urlFilter(canonical: string, prefix: string, match: 'exact' | 'under'): string {
  return match === 'exact'
    ? `target_url_keys = ${quoteFilterValue(urlKey(canonical))}`
    : `target_prefix_keys = ${quoteFilterValue(urlKey(prefix))}`;
}
