// Precedents of an order: other orders the caller may see that cite the same law articles, come from the
// same authority or demand the same action — most alike first, each with its outcome.
import type { Meilisearch, MultiSearchQuery } from 'meilisearch';
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { canSeeOrder, searchAccessFilter } from '../auth/orderAccess.ts';
import type { Config } from '../config.ts';
import { findOrderRow } from '../records/orderRecords.ts';
import type { Precedent, PrecedentsResult } from '../schemas/search.ts';
import { ORDER_CARD_FIELDS, orderCard } from './orderSearch.ts';
import { legalActOf, type OrderSearchDocument } from '../indexing/searchDocuments.ts';
import { quoteFilterValue } from './searchFilters.ts';
import { searchIndexNames } from '../indexing/searchIndexes.ts';

interface Criteria {
  articles: string[];
  acts: string[];
  authorityId: number | null;
  actions: string[];
}

const WEIGHTS = { article: 4, act: 1, authority: 2, action: 1 };

function shared(criteria: Criteria, document: OrderSearchDocument): Precedent['shared'] {
  return {
    legal_basis: document.legal_basis.filter((code) => criteria.articles.includes(code)),
    legal_acts: document.legal_acts.filter((act) => criteria.acts.includes(act)),
    authority: criteria.authorityId !== null && document.authority_id === criteria.authorityId,
    demanded_actions: document.demanded_actions.filter((action) =>
      criteria.actions.includes(action),
    ) as Precedent['shared']['demanded_actions'],
  };
}

function scoreOf(alike: Precedent['shared']): number {
  return (
    alike.legal_basis.length * WEIGHTS.article +
    alike.legal_acts.length * WEIGHTS.act +
    (alike.authority ? WEIGHTS.authority : 0) +
    alike.demanded_actions.length * WEIGHTS.action
  );
}

/**
 * Candidate tiers, strongest likeness first; each tier is one query of a single multi-search, so the
 * best candidates are fetched even when an authority alone matches thousands of orders.
 */
function tiers(criteria: Criteria): string[] {
  const list = (field: string, values: string[]) =>
    `${field} IN [${values.map(quoteFilterValue).join(', ')}]`;
  const article = criteria.articles.length ? list('legal_basis', criteria.articles) : undefined;
  const act = criteria.acts.length ? list('legal_acts', criteria.acts) : undefined;
  const authority =
    criteria.authorityId !== null ? `authority_id = ${Math.trunc(criteria.authorityId)}` : undefined;
  const action = criteria.actions.length ? list('demanded_actions', criteria.actions) : undefined;
  const combinations = [
    [article, authority, action],
    [article, authority],
    [article, action],
    [article],
    [act, authority, action],
    [act, authority],
    [act],
    [authority, action],
    [authority],
    [action],
  ];
  const seen = new Set<string>();
  return combinations
    .filter((parts) => parts.every((part) => part !== undefined))
    .map((parts) => parts.join(' AND '))
    .filter((expression) => !seen.has(expression) && seen.add(expression));
}

export async function findPrecedents(
  deps: { db: pg.Pool; meili: Meilisearch; config: Pick<Config, 'MEILI_INDEX_PREFIX'> },
  caller: Caller,
  orderId: string,
  limit: number,
  now = new Date(),
): Promise<PrecedentsResult | undefined> {
  const order = await findOrderRow(deps.db, orderId);
  if (!order || !canSeeOrder(caller, order, now)) return undefined;
  const criteria: Criteria = {
    articles: order.legal_basis.filter((code) => code.split('/').length === 3),
    acts: [...new Set(order.legal_basis.map(legalActOf))],
    authorityId: order.authority?.id ?? null,
    actions: order.demanded_actions,
  };
  const expressions = tiers(criteria);
  if (!expressions.length) return { order: order.public_id, precedents: [] };

  const access = searchAccessFilter(caller, now);
  const { results } = await deps.meili.multiSearch<{ queries: MultiSearchQuery[] }, OrderSearchDocument>({
    queries: expressions.map((expression) => ({
      indexUid: searchIndexNames(deps.config.MEILI_INDEX_PREFIX).orders,
      filter: [...access, `order_id != ${Math.trunc(order.internal_id)}`, expression],
      sort: ['issued_at:desc', 'order_id:desc'],
      limit,
      attributesToRetrieve: ORDER_CARD_FIELDS,
    })),
  });
  const candidates = new Map<number, OrderSearchDocument>();
  for (const result of results) for (const hit of result.hits) candidates.set(hit.order_id, hit);
  const precedents = [...candidates.values()]
    .map((document) => {
      const alike = shared(criteria, document);
      return { document, alike, score: scoreOf(alike) };
    })
    .sort((a, b) => b.score - a.score || (b.document.issued_at ?? 0) - (a.document.issued_at ?? 0))
    .slice(0, limit)
    .map(({ document, alike, score }) => ({
      ...orderCard(document),
      score,
      shared: alike,
      outcome: {
        status: document.status as Precedent['outcome']['status'],
        response_kinds: document.response_kinds as Precedent['outcome']['response_kinds'],
        event_kinds: document.event_kinds as Precedent['outcome']['event_kinds'],
      },
    }));
  return { order: order.public_id, precedents };
}
