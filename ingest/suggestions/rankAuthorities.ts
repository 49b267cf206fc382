// Ranks the bodies a document mentions by how likely each is to be the one that sent it.
import {
  findAuthorityBySlug,
  findAuthorityMentions,
  type AuthorityKind,
} from '../../domain/authorityCatalog.ts';

export interface AuthoritySuggestion {
  slug: string;
  name: string;
  country: string;
  kind: AuthorityKind;
  /** Distinct spellings found («Роскомнадзор», "ROSKOMNADZOR"). */
  matched: string[];
  mentions: number;
  firstIndex: number;
  score: number;
}

// A notice ends with its sender («С уважением, Роскомнадзор»); bodies named earlier are often the ones
// whose decision it passes on («на основании решения Роспотребнадзора»).
const SIGN_OFF =
  /С\s+уважением|Sincerely|Best\s+regards|Kind\s+regards|Regards|Құрметпен|Урматтоо\s+менен/giu;
const SIGNATURE_SHARE = 0.2;
const SIGNATURE_BONUS = 3;
const COUNTRY_BONUS = 0.5;

const COUNTRY_MARKERS: Record<string, RegExp> = {
  RU: /Российск\p{L}*\s+Федераци\p{L}*|(?<![\p{L}])(?:РФ|России)(?![\p{L}])|Russian\s+Federation/gu,
  KZ: /Республик\p{L}*\s+Казахстан|(?<![\p{L}])(?:РК|ҚР)(?![\p{L}])|Казахстан\p{L}*|Қазақстан\p{L}*|Kazakhstan/gu,
  KG: /Кыргызск\p{L}*\s+Республик\p{L}*|(?<![\p{L}])КР(?![\p{L}])|Кыргызстан\p{L}*|Kyrgyz\p{L}*/gu,
};

/** Catalogued bodies named in `text`, the likeliest sender first. */
export function rankAuthorities(text: string): AuthoritySuggestion[] {
  const signatureStart = Math.min(lastSignOff(text), Math.floor(text.length * (1 - SIGNATURE_SHARE)));
  const country = dominantCountry(text);
  const bySlug = new Map<string, AuthoritySuggestion>();

  for (const mention of findAuthorityMentions(text)) {
    const entry = findAuthorityBySlug(mention.slug);
    if (!entry) continue;
    const suggestion = bySlug.get(entry.slug) ?? {
      slug: entry.slug,
      name: entry.name,
      country: entry.country,
      kind: entry.kind,
      matched: [],
      mentions: 0,
      firstIndex: mention.index,
      score: entry.country === country ? COUNTRY_BONUS : 0,
    };
    suggestion.mentions += 1;
    suggestion.score += mention.index >= signatureStart ? 1 + SIGNATURE_BONUS : 1;
    if (!suggestion.matched.includes(mention.matched)) suggestion.matched.push(mention.matched);
    bySlug.set(entry.slug, suggestion);
  }
  return [...bySlug.values()].sort((a, b) => b.score - a.score || a.firstIndex - b.firstIndex);
}

function lastSignOff(text: string): number {
  let last = text.length;
  for (const match of text.matchAll(SIGN_OFF)) last = match.index;
  return last;
}

function dominantCountry(text: string): string | undefined {
  const counts = Object.entries(COUNTRY_MARKERS)
    .map(([country, pattern]) => ({ country, count: [...text.matchAll(pattern)].length }))
    .sort((a, b) => b.count - a.count);
  const [first, second] = counts;
  return first && first.count > (second?.count ?? 0) ? first.country : undefined;
}
