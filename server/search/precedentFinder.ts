// Precedents of an order: other orders the caller may see that cite the same law articles, come from the
// same authority or demand the same action — most alike first, each with its outcome.
import type { Meilisearch, MultiSearchQuery } from 'meilisearch';
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { canSeeOrder, searchAccessFilter } from '../auth/orderAccess.ts';
import type { Config } from '../config.ts';
import { findOrderRow, type OrderRow } from '../records/orderRecords.ts';
import type { Precedent, PrecedentsResult } from '../schemas/search.ts';
import { ORDER_CARD_FIELDS, orderCard } from './orderSearch.ts';
import { legalActOf, type OrderSearchDocument } from '../indexing/searchDocuments.ts';
import { quoteFilterValue } from './searchFilters.ts';
import { searchIndexNames } from '../indexing/searchIndexes.ts';

type Deps = { db: pg.Pool; meili: Meilisearch; config: Pick<Config, 'MEILI_INDEX_PREFIX'> };

interface Criteria {
  articles: string[];
  acts: string[];
  authorityId: number | null;
  actions: string[];
}

const WEIGHTS = { article: 4, act: 1, authority: 2, action: 1 };

// What a precedent card and its score need: a search card's fields but those a precedent does not show
// (its dates of record, summary, where it unfolds). Meilisearch turns each hit's whole stored document
// (with its documents' text) into JSON before picking these, so a hit costs by the document, whatever is
// asked for: the finder fetches as few hits as it can.
const NOT_SHOWN: readonly string[] = ['created_at', 'updated_at', 'summary', 'unfolding'];
const PRECEDENT_FIELDS = ORDER_CARD_FIELDS.filter((field) => !NOT_SHOWN.includes(field));

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

/** Orders alike in the same ways: filter parts (ANDed) and the score every one of them has at least. */
interface LikenessClass {
  filter: string[];
  least: number;
}

// A kind of likeness (articles, acts, actions) is split by how many of the order's values a candidate
// shares, exactly, so that every member of a class has the same score; past this many values the split
// is only "some or none" (members of "some" then differ by the extra values they share).
const EXACT_UP_TO = 3;

/** The states of one kind of likeness: how many of `values` a candidate's `field` holds. */
function sharedCountStates(field: string, values: string[], weight: number): LikenessClass[] {
  const quoted = values.map(quoteFilterValue);
  const none = { filter: quoted.length ? [`${field} NOT IN [${quoted.join(', ')}]`] : [], least: 0 };
  if (!quoted.length) return [none];
  if (quoted.length > EXACT_UP_TO)
    return [{ filter: [`${field} IN [${quoted.join(', ')}]`], least: weight }, none];
  const subsets = (size: number, from = 0): string[][] =>
    size === 0
      ? [[]]
      : quoted
          .slice(from)
          .flatMap((value, i) => subsets(size - 1, from + i + 1).map((rest) => [value, ...rest]));
  const atLeast = (count: number) =>
    `(${subsets(count)
      .map((subset) => subset.map((value) => `${field} = ${value}`).join(' AND '))
      .join(' OR ')})`;
  const exactly = (count: number) => [
    atLeast(count),
    ...(count < quoted.length ? [`NOT ${atLeast(count + 1)}`] : []),
  ];
  return [none, ...quoted.map((_, i) => ({ filter: exactly(i + 1), least: (i + 1) * weight }))];
}

/**
 * The candidates split into disjoint classes by how much they share — how many articles, acts and
 * actions, the authority or not — most alike first. Counting a class is cheap (no document is read), so
 * the finder counts them all and then fetches only the newest few of the classes that fill the list.
 */
function likenessClasses(criteria: Criteria): LikenessClass[] {
  const { articles, acts, authorityId, actions } = criteria;
  const articleStates = sharedCountStates('legal_basis', articles, WEIGHTS.article);
  const actStates = sharedCountStates('legal_acts', acts, WEIGHTS.act);
  // Sharing an article is sharing its act: a class with articles and no act is empty.
  const law = articleStates.flatMap((article) =>
    actStates
      .filter((act) => article.least === 0 || act.least > 0)
      .map((act) => ({ filter: [...article.filter, ...act.filter], least: article.least + act.least })),
  );
  const authority: LikenessClass[] =
    authorityId === null
      ? [{ filter: [], least: 0 }]
      : [
          { filter: [`authority_id = ${Math.trunc(authorityId)}`], least: WEIGHTS.authority },
          { filter: [`authority_id != ${Math.trunc(authorityId)}`], least: 0 },
        ];
  const action = sharedCountStates('demanded_actions', actions, WEIGHTS.action);
  return law
    .flatMap((a) => authority.flatMap((b) => action.map((c) => [a, b, c])))
    .map((parts) => ({
      filter: parts.flatMap((part) => part.filter),
      least: parts.reduce((sum, part) => sum + part.least, 0),
    }))
    .filter((likeness) => likeness.least > 0)
    .sort((a, b) => b.least - a.least);
}

/**
 * How many of each class's newest to fetch so that the `limit` most alike are among them: classes in
 * order of their least score, all of a class while the list is short, and classes of the same least score
 * each as many as the list still needs (which of them are newest is decided after the fetch).
 */
function fetchPlan(classes: LikenessClass[], counts: number[], limit: number): number[] {
  const plan = classes.map(() => 0);
  let taken = 0;
  for (let start = 0; start < classes.length && taken < limit;) {
    const least = classes[start]!.least;
    let end = start;
    while (end < classes.length && classes[end]!.least === least) end++;
    const need = limit - taken;
    let available = 0;
    for (let i = start; i < end; i++) {
      plan[i] = Math.min(counts[i]!, need);
      available += counts[i]!;
    }
    taken += Math.min(available, need);
    start = end;
  }
  return plan;
}

function newestFirst(a: OrderSearchDocument, b: OrderSearchDocument): number {
  return (b.issued_at ?? 0) - (a.issued_at ?? 0) || b.order_id - a.order_id;
}

/** Precedents of an order the caller may see (the caller checks that), `limit` at most. */
export async function findPrecedentsOf(
  deps: Deps,
  caller: Caller,
  order: OrderRow,
  limit: number,
  now = new Date(),
): Promise<PrecedentsResult> {
  const criteria: Criteria = {
    articles: order.legal_basis.filter((code) => code.split('/').length === 3),
    acts: [...new Set(order.legal_basis.map(legalActOf))],
    authorityId: order.authority?.id ?? null,
    actions: order.demanded_actions,
  };
  const classes = likenessClasses(criteria);
  if (!classes.length) return { order: order.public_id, precedents: [] };

  const indexUid = searchIndexNames(deps.config.MEILI_INDEX_PREFIX).orders;
  const base = [...searchAccessFilter(caller, now), `order_id != ${Math.trunc(order.internal_id)}`];
  // Two round trips: count every class (page mode counts exactly), then fetch what fills the list.
  const counted = await deps.meili.multiSearch<{ queries: MultiSearchQuery[] }, OrderSearchDocument>({
    queries: classes.map((likeness) => ({
      indexUid,
      filter: [...base, ...likeness.filter],
      hitsPerPage: 0,
      page: 1,
    })),
  });
  const plan = fetchPlan(
    classes,
    counted.results.map((result) => result.totalHits ?? 0),
    limit,
  );
  const wanted = classes.flatMap((likeness, i) => (plan[i]! > 0 ? [{ likeness, take: plan[i]! }] : []));
  if (!wanted.length) return { order: order.public_id, precedents: [] };
  const { results } = await deps.meili.multiSearch<{ queries: MultiSearchQuery[] }, OrderSearchDocument>({
    queries: wanted.map(({ likeness, take }) => ({
      indexUid,
      filter: [...base, ...likeness.filter],
      sort: ['issued_at:desc', 'order_id:desc'],
      limit: take,
      attributesToRetrieve: PRECEDENT_FIELDS,
    })),
  });
  const precedents = results
    .flatMap((result) => result.hits)
    .map((document) => {
      const alike = shared(criteria, document);
      return { document, alike, score: scoreOf(alike) };
    })
    .sort((a, b) => b.score - a.score || newestFirst(a.document, b.document))
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

/** Precedents of the order `orderId`, or undefined when the caller may not see it. */
export async function findPrecedents(
  deps: Deps,
  caller: Caller,
  orderId: string,
  limit: number,
  now = new Date(),
): Promise<PrecedentsResult | undefined> {
  const order = await findOrderRow(deps.db, orderId);
  if (!order || !canSeeOrder(caller, order, now)) return undefined;
  return findPrecedentsOf(deps, caller, order, limit, now);
}
