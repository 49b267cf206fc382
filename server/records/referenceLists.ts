// Lists authorities and outlets with keyset pagination (articles: articleRecords.ts, by visibility).
import type { Queryable } from '../database/transaction.ts';
import type { Authority, Outlet } from '../schemas/references.ts';

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

function pageFrom<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next_cursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
}

export async function listAuthorities(
  db: Queryable,
  query: { limit: number; cursor?: string | undefined; country?: string | undefined },
): Promise<Page<Authority>> {
  const { rows } = await db.query<Authority>(
    `SELECT id, slug, name, local_name, aliases, country, kind, parent_id FROM authorities
      WHERE ($1::bigint IS NULL OR id > $1) AND ($2::text IS NULL OR country = $2)
      ORDER BY id LIMIT $3`,
    [query.cursor ?? null, query.country ?? null, query.limit + 1],
  );
  return pageFrom(rows, query.limit);
}

export async function readAuthority(db: Queryable, id: number): Promise<Authority> {
  const { rows } = await db.query<Authority>(
    'SELECT id, slug, name, local_name, aliases, country, kind, parent_id FROM authorities WHERE id = $1',
    [id],
  );
  return rows[0]!;
}

export async function listOutlets(db: Queryable, query: { limit: number; cursor?: string | undefined }) {
  const { rows } = await db.query<Outlet>(
    `SELECT id, slug, name, country, domains FROM outlets WHERE ($1::bigint IS NULL OR id > $1) ORDER BY id LIMIT $2`,
    [query.cursor ?? null, query.limit + 1],
  );
  return pageFrom(rows, query.limit);
}

/** The names of the outlets with these slugs (outlets are public reference data, as GET /api/outlets). */
export async function outletNamesBySlug(
  db: Queryable,
  slugs: readonly string[],
): Promise<Map<string, string>> {
  if (slugs.length === 0) return new Map();
  const { rows } = await db.query<{ slug: string; name: string }>(
    'SELECT slug, name FROM outlets WHERE slug = ANY($1::text[])',
    [slugs],
  );
  return new Map(rows.map((row) => [row.slug, row.name]));
}

export async function readOutlet(db: Queryable, id: number): Promise<Outlet> {
  const { rows } = await db.query<Outlet>(
    'SELECT id, slug, name, country, domains FROM outlets WHERE id = $1',
    [id],
  );
  return rows[0]!;
}
