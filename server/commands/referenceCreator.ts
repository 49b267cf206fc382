// Adds the bodies that issue orders and the outlets that receive them.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { withTransaction } from '../database/transaction.ts';
import { resolveAuthorityId, resolveOutletId } from '../records/referenceLookup.ts';
import type { ArticleInput, AuthorityInput, OutletInput } from '../schemas/references.ts';
import { registerArticle } from './articleRegistrar.ts';
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

/** Returns the article id, and whether it was new (an existing canonical URL is matched, not duplicated). */
export async function createArticle(
  pool: pg.Pool,
  { caller, article: input }: { caller: Caller; article: ArticleInput },
) {
  return withTransaction(pool, async (client) => {
    const outletId = input.outlet === undefined ? undefined : await resolveOutletId(client, input.outlet);
    return registerArticle(client, {
      caller,
      url: input.url,
      title: input.title,
      publishedOn: input.published_on,
      outletId,
    });
  });
}
