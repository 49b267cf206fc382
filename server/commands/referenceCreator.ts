// Adds the bodies that issue orders, the outlets that receive them and the articles orders target.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { canSeeArticle } from '../auth/orderAccess.ts';
import { canonicalizeUrl } from '../../domain/canonicalUrl.ts';
import { presentArticle, readArticle, readArticleAccessFacts } from '../records/articleRecords.ts';
import { readOutlet } from '../records/referenceLists.ts';
import { withTransaction } from '../database/transaction.ts';
import { resolveAuthorityId, resolveOutletId } from '../records/referenceLookup.ts';
import type { Article, ArticleInput, AuthorityInput, OutletInput } from '../schemas/references.ts';
import { outletOwningHost, registerArticle } from './articleRegistrar.ts';
import { recordAudit } from './auditTrail.ts';
import { conflict, isUniqueViolation } from '../errors.ts';

export async function createAuthority(
  pool: pg.Pool,
  { caller, authority: input }: { caller: Caller; authority: AuthorityInput },
): Promise<number> {
  return withTransaction(pool, async (client) => {
    const parentId =
      input.parent === undefined ? null : await resolveAuthorityId(client, input.parent, 'parent');
    try {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO authorities (slug, name, local_name, aliases, country, kind, parent_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          input.slug,
          input.name,
          input.local_name ?? null,
          input.aliases ?? [],
          input.country,
          input.kind,
          parentId,
        ],
      );
      await recordAudit(client, caller, {
        action: 'authority.create',
        recordType: 'authority',
        recordId: rows[0]!.id,
        after: input,
      });
      return rows[0]!.id;
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`An authority with slug '${input.slug}' already exists`);
      throw error;
    }
  });
}

export async function createOutlet(
  pool: pg.Pool,
  { caller, outlet: input }: { caller: Caller; outlet: OutletInput },
): Promise<number> {
  return withTransaction(pool, async (client) => {
    const domains = (input.domains ?? []).map((domain) => domain.toLowerCase().replace(/^www\./, ''));
    try {
      const { rows } = await client.query<{ id: number }>(
        'INSERT INTO outlets (slug, name, country, domains) VALUES ($1, $2, $3, $4) RETURNING id',
        [input.slug, input.name, input.country ?? null, domains],
      );
      await recordAudit(client, caller, {
        action: 'outlet.create',
        recordType: 'outlet',
        recordId: rows[0]!.id,
        after: input,
      });
      return rows[0]!.id;
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`An outlet with slug '${input.slug}' already exists`);
      throw error;
    }
  });
}

/**
 * Records an article, or finds the one with the same canonical URL. Answers what the caller may see:
 * the stored article when it is new or visible to them (created: false), and when it exists but only
 * hidden orders target it, the article as if it were new (created: true), made of what they sent:
 * never the stored title, outlet or date, so a hidden target's existence is not confirmed.
 */
export async function createArticle(
  pool: pg.Pool,
  { caller, article: input }: { caller: Caller; article: ArticleInput },
): Promise<{ created: boolean; article: Article }> {
  return withTransaction(pool, async (client) => {
    const outletId = input.outlet === undefined ? undefined : await resolveOutletId(client, input.outlet);
    const { id, created } = await registerArticle(client, {
      caller,
      url: input.url,
      title: input.title,
      publishedOn: input.published_on,
      outletId,
    });
    const facts = created ? undefined : await readArticleAccessFacts(client, id);
    if (created || canSeeArticle(caller, facts!))
      return { created, article: (await readArticle(client, id))! };
    const { canonical, host } = canonicalizeUrl(input.url);
    const sentOutletId = outletId ?? (await outletOwningHost(client, host));
    return {
      created: true,
      article: presentArticle({
        id,
        url: input.url,
        canonical_url: canonical,
        title: input.title ?? null,
        published_on: input.published_on ?? null,
        outlet: sentOutletId === undefined ? null : await readOutlet(client, sentOutletId),
      }),
    };
  });
}
