// Reads articles (the content orders target) in the shape the API shows.
import { canonicalizeUrl, mixesScripts } from '../../domain/canonicalUrl.ts';
import type { Queryable } from '../database/transaction.ts';
import type { Article } from '../schemas/references.ts';

export const ARTICLE_JSON_SQL = (article: string, outlet: string) => `json_build_object(
  'id', ${article}.id, 'url', ${article}.url, 'canonical_url', ${article}.canonical_url,
  'title', ${article}.title, 'published_on', ${article}.published_on,
  'outlet', CASE WHEN ${outlet}.id IS NULL THEN NULL ELSE json_build_object(
    'id', ${outlet}.id, 'slug', ${outlet}.slug, 'name', ${outlet}.name,
    'country', ${outlet}.country, 'domains', ${outlet}.domains) END)`;

/** Adds display_url (the canonical URL with its domain in Unicode) to an article read with ARTICLE_JSON_SQL. */
export function presentArticle(article: Omit<Article, 'display_url' | 'mixed_scripts'>): Article {
  const url = canonicalizeUrl(article.canonical_url);
  return { ...article, display_url: url.display, mixed_scripts: mixesScripts(url.host) };
}

export async function readArticle(db: Queryable, id: number): Promise<Article | undefined> {
  const { rows } = await db.query<{ article: Omit<Article, 'display_url'> }>(
    `SELECT ${ARTICLE_JSON_SQL('ar', 'ou')} AS article
       FROM articles ar LEFT JOIN outlets ou ON ou.id = ar.outlet_id WHERE ar.id = $1`,
    [id],
  );
  return rows[0] ? presentArticle(rows[0].article) : undefined;
}
