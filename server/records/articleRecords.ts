// Reads articles (the content orders target) in the shape the API shows, each only to callers who may
// see it (auth/orderAccess.ts: articles are seen through the orders that target them).
import { canonicalizeUrl, mixesScripts } from '../../domain/canonicalUrl.ts';
import type { Caller } from '../auth/caller.ts';
import {
  ARTICLE_RECORDED_BY_SQL,
  REVIEW_PENDING_SQL,
  visibleArticlesSql,
  type ArticleAccessFacts,
} from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import type { Article } from '../schemas/references.ts';
import { keysetPage, SqlConditions } from './keysetPage.ts';

export const ARTICLE_JSON_SQL = (article: string, outlet: string, disclosed = 'TRUE') => `json_build_object(
  'id', ${article}.id, 'url', CASE WHEN ${disclosed} THEN ${article}.url ELSE ${article}.canonical_url END,
  'canonical_url', ${article}.canonical_url,
  'title', CASE WHEN ${disclosed} THEN ${article}.title END,
  'published_on', CASE WHEN ${disclosed} THEN ${article}.published_on END,
  'outlet', CASE WHEN ${outlet}.id IS NULL THEN NULL ELSE json_build_object(
    'id', ${outlet}.id, 'slug', ${outlet}.slug, 'name', ${outlet}.name,
    'country', ${outlet}.country, 'domains', ${outlet}.domains) END)`;

/** Adds display_url (the canonical URL with its domain in Unicode) to an article read with ARTICLE_JSON_SQL. */
export function presentArticle(article: Omit<Article, 'display_url' | 'mixed_scripts'>): Article {
  const url = canonicalizeUrl(article.canonical_url);
  return { ...article, display_url: url.display, mixed_scripts: mixesScripts(url.host) };
}

const ARTICLE_SELECT_SQL = `SELECT ar.id, ${ARTICLE_JSON_SQL('ar', 'ou')} AS article
  FROM articles ar LEFT JOIN outlets ou ON ou.id = ar.outlet_id`;

/** The article as stored, whoever asks: only for a caller already allowed to see it (or who just recorded it). */
export async function readArticle(db: Queryable, id: number): Promise<Article | undefined> {
  const { rows } = await db.query<{ article: Omit<Article, 'display_url'> }>(
    `${ARTICLE_SELECT_SQL} WHERE ar.id = $1`,
    [id],
  );
  return rows[0] ? presentArticle(rows[0].article) : undefined;
}

/** Whether `caller` may see article `id` (false when there is none): the SQL form of canSeeArticle. */
export async function isArticleVisible(db: Queryable, caller: Caller, id: number): Promise<boolean> {
  const params: unknown[] = [id];
  const { rowCount } = await db.query(
    `SELECT 1 FROM articles ar WHERE ar.id = $1 AND ${visibleArticlesSql(caller, 'ar', params)}`,
    params,
  );
  return rowCount === 1;
}

/** The facts canSeeArticle decides on: the article's outlet, who recorded it, the orders targeting it. */
export async function readArticleAccessFacts(
  db: Queryable,
  id: number,
): Promise<ArticleAccessFacts | undefined> {
  const { rows } = await db.query<ArticleAccessFacts>(
    `SELECT ar.outlet_id, ${ARTICLE_RECORDED_BY_SQL('ar')} AS recorded_by_outlet_ids,
            COALESCE((SELECT json_agg(json_build_object('outlet_id', o.outlet_id, 'visibility', o.visibility,
                       'embargo_until', o.embargo_until, 'review_pending', ${REVIEW_PENDING_SQL('o')},
                       'researchers_may_read_unredacted', o.researchers_may_read_unredacted))
                        FROM order_targets t JOIN orders o ON o.id = t.order_id
                       WHERE t.article_id = ar.id AND t.article_disclosed),
                     '[]'::json) AS orders
       FROM articles ar WHERE ar.id = $1`,
    [id],
  );
  return rows[0];
}

/** The articles `caller` may see, by id, with a keyset cursor; `outlet` filters by the article's outlet. */
export async function listArticles(
  db: Queryable,
  caller: Caller,
  query: { limit: number; cursor?: string | undefined; outlet?: number | undefined },
): Promise<{ items: Article[]; next_cursor: string | null }> {
  const where = new SqlConditions().require((params) => visibleArticlesSql(caller, 'ar', params));
  if (query.cursor !== undefined) where.add((p) => `ar.id > ${p}`, query.cursor);
  if (query.outlet !== undefined) where.add((p) => `ar.outlet_id = ${p}`, query.outlet);
  const { text, values } = where.listSql(ARTICLE_SELECT_SQL, 'ar.id', query.limit);
  const { rows } = await db.query<{ id: number; article: Omit<Article, 'display_url'> }>(text, values);
  return keysetPage(
    rows,
    query.limit,
    (row) => presentArticle(row.article),
    (row) => row.id,
  );
}
