// Finds the article at a URL (by canonical URL) or records a new one, matching its outlet by domain.
import type { Caller } from '../auth/caller.ts';
import { canonicalizeUrl, InvalidUrlError } from '../../domain/canonicalUrl.ts';
import type { Queryable } from '../database/transaction.ts';
import { recordAudit } from './auditTrail.ts';
import { invalidInput } from '../errors.ts';

export interface ArticleFacts {
  caller: Caller;
  url: string;
  title?: string | undefined;
  publishedOn?: string | undefined;
  outletId?: number | undefined;
  /** The name of the URL in the caller's input, for errors. */
  field?: string | undefined;
}

/** Returns the article id and whether this call created it. */
export async function registerArticle(
  db: Queryable,
  { caller, field = 'url', ...facts }: ArticleFacts,
): Promise<{ id: number; created: boolean }> {
  let canonical: string;
  let host: string;
  try {
    ({ canonical, host } = canonicalizeUrl(facts.url));
  } catch (error) {
    if (error instanceof InvalidUrlError) throw invalidInput(error.message, field);
    throw error;
  }
  const outletId = facts.outletId ?? (await outletOwningHost(db, host));
  // ON CONFLICT DO NOTHING + re-select keeps two concurrent registrations of one URL from failing.
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO articles (url, canonical_url, title, published_on, outlet_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (canonical_url) DO NOTHING RETURNING id`,
    [facts.url, canonical, facts.title ?? null, facts.publishedOn ?? null, outletId ?? null],
  );
  if (inserted.rows[0]) {
    const id = inserted.rows[0].id;
    await recordAudit(db, caller, {
      action: 'article.create',
      recordType: 'article',
      recordId: id,
      after: {
        url: facts.url,
        canonical_url: canonical,
        title: facts.title ?? null,
        outlet_id: outletId ?? null,
        // Who may see it while no order targets it: see ARTICLE_RECORDED_BY_SQL.
        recorded_by_outlet_ids: caller.kind === 'account' ? caller.outletIds : [],
      },
    });
    return { id, created: true };
  }
  const existing = await db.query<{ id: number }>('SELECT id FROM articles WHERE canonical_url = $1', [
    canonical,
  ]);
  return { id: existing.rows[0]!.id, created: false };
}

/** The outlet whose domain `host` is on, if any. */
export async function outletOwningHost(db: Queryable, host: string): Promise<number | undefined> {
  const bare = host.replace(/^www\./, '');
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM outlets WHERE $1 = ANY(domains) OR $2 = ANY(domains) ORDER BY id LIMIT 1`,
    [host, bare],
  );
  return rows[0]?.id;
}
