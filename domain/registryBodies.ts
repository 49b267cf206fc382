// Which catalogued authority an issuing body of Russia's blocking registry is: the registry writes a
// handful of short names (`ФСКН`, `суд`, `Мосгорсуд`) and, in older dumps, individual courts by name.
import { createHash } from 'node:crypto';
import { AUTHORITY_CATALOG, findAuthorityMentions } from './authorityCatalog.ts';

// In the registry's body column a bare «суд» is a Russian court (the catalogue deliberately does not
// take the word as an alias anywhere else: in a demand's text it names a kind of body, not a body).
const REGISTRY_ONLY_NAMES: Record<string, string> = {
  суд: 'ru-courts',
};

const RUSSIAN_SLUGS = new Set(
  AUTHORITY_CATALOG.filter((entry) => entry.country === 'RU').map((entry) => entry.slug),
);

/** The catalogue slug of a registry issuing body, or undefined when the catalogue has no such body. */
export function registryAuthoritySlug(body: string): string | undefined {
  const name = body.trim();
  const exact = REGISTRY_ONLY_NAMES[name.toLowerCase()];
  if (exact) return exact;
  const mentions = findAuthorityMentions(name).filter((mention) => RUSSIAN_SLUGS.has(mention.slug));
  // The longest name found wins: «Симоновский районный суд» names a court, not only a district.
  const best = mentions.sort((a, b) => b.matched.length - a.matched.length)[0];
  if (best) return best.slug;
  // A court the catalogue does not name one by one («Симоновский суд г. Москвы») is still a court.
  if (/(^|[^\p{L}])суд([^\p{L}]|$)/iu.test(name)) return 'ru-courts';
  return undefined;
}

/** A stable slug for a body the catalogue lacks, created on first import and found again on the next. */
export function unknownRegistryBodySlug(body: string): string {
  return `ru-registry-${createHash('sha256').update(body.trim()).digest('hex').slice(0, 12)}`;
}
