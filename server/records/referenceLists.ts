// Lists authorities, outlets and articles with keyset pagination.
import type { Queryable } from '../database/transaction.ts';
import type { Article, Authority, Outlet } from '../schemas/references.ts';
import { ARTICLE_JSON_SQL, presentArticle, readArticle } from './articleRecords.ts';

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

export async function readOutlet(db: Queryable, id: number): Promise<Outlet> {
  const { rows } = await db.query<Outlet>(
    'SELECT id, slug, name, country, domains FROM outlets WHERE id = $1',
    [id],
  );
  return rows[0]!;
}

export async function listArticles(
  db: Queryable,
  query: { limit: number; cursor?: string | undefined; outlet?: number | undefined },
): Promise<Page<Article>> {
  const { rows } = await db.query<{ id: number; article: Omit<Article, 'display_url'> }>(
    `SELECT ar.id, ${ARTICLE_JSON_SQL('ar', 'ou')} AS article
       FROM articles ar LEFT JOIN outlets ou ON ou.id = ar.outlet_id
      WHERE ($1::bigint IS NULL OR ar.id > $1) AND ($2::bigint IS NULL OR ar.outlet_id = $2)
      ORDER BY ar.id LIMIT $3`,
    [query.cursor ?? null, query.outlet ?? null, query.limit + 1],
  );
  const page = pageFrom(rows, query.limit);
  return { items: page.items.map((row) => presentArticle(row.article)), next_cursor: page.next_cursor };
}

export { readArticle };
