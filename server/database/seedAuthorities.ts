// Puts the real issuing bodies of domain/authorityCatalog.ts into the database, on every start:
// new entries are added, changed names and aliases are updated, nothing else is touched.
import { AUTHORITY_CATALOG } from '../../domain/authorityCatalog.ts';
import type { Queryable } from './transaction.ts';

export async function seedAuthorities(db: Queryable): Promise<void> {
  for (const entry of AUTHORITY_CATALOG) {
    // Everything a user might type is an alias in the database: the state-language name too.
    const aliases = [
      ...new Set([
        ...entry.aliases,
        ...(entry.exactCaseAliases ?? []),
        ...(entry.stateLanguageName ? [entry.stateLanguageName.name] : []),
      ]),
    ];
    await db.query(
      `INSERT INTO authorities (slug, name, local_name, aliases, country, kind)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, local_name = EXCLUDED.local_name,
         aliases = EXCLUDED.aliases, country = EXCLUDED.country, kind = EXCLUDED.kind, updated_at = now()
       WHERE (authorities.name, authorities.local_name, authorities.aliases, authorities.country, authorities.kind)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.local_name, EXCLUDED.aliases, EXCLUDED.country, EXCLUDED.kind)`,
      [entry.slug, entry.name, entry.localName, aliases, entry.country, entry.kind],
    );
  }
  for (const entry of AUTHORITY_CATALOG) {
    if (!entry.parentSlug) continue;
    await db.query(
      `UPDATE authorities SET parent_id = (SELECT id FROM authorities WHERE slug = $2)
        WHERE slug = $1 AND parent_id IS DISTINCT FROM (SELECT id FROM authorities WHERE slug = $2)`,
      [entry.slug, entry.parentSlug],
    );
  }
}
