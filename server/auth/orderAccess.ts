// Who may see and change which order: the one place these rules live.
//   anonymous: public orders, and embargoed ones whose embargo has passed;
//   outlet:    those, plus every order of its own outlet;
//   editor:    everything.
// A hidden order answers 404 (not 403), so its existence is not revealed.
import type { Caller } from './caller.ts';

export interface OrderAccessFacts {
  outlet_id: number | string | null;
  visibility: string;
  embargo_until: Date | string | null;
}

export function canSeeOrder(caller: Caller, order: OrderAccessFacts, now = new Date()): boolean {
  if (caller.kind === 'editor') return true;
  if (caller.kind === 'outlet' && order.outlet_id !== null && Number(order.outlet_id) === caller.outletId)
    return true;
  if (order.visibility === 'public') return true;
  return (
    order.visibility === 'embargoed' && order.embargo_until !== null && new Date(order.embargo_until) <= now
  );
}

export function canChangeOrder(caller: Caller, order: OrderAccessFacts): boolean {
  if (caller.kind === 'editor') return true;
  return caller.kind === 'outlet' && order.outlet_id !== null && Number(order.outlet_id) === caller.outletId;
}

/**
 * The same rule as canSeeOrder, as SQL over an `orders` row aliased `alias`. Parameters are appended
 * to `params` (never pasted), and the returned text refers to them by position.
 */
export function visibleOrdersSql(caller: Caller, alias: string, params: unknown[]): string {
  if (caller.kind === 'editor') return 'TRUE';
  const publicRule = `(${alias}.visibility = 'public' OR (${alias}.visibility = 'embargoed' AND ${alias}.embargo_until <= now()))`;
  if (caller.kind === 'outlet') {
    params.push(caller.outletId);
    return `(${publicRule} OR ${alias}.outlet_id = $${params.length})`;
  }
  return publicRule;
}

/**
 * The same rule as canSeeOrder, as a Meilisearch filter over search documents that carry the order's
 * `visibility`, `embargo_until` (unix seconds) and `owner_outlet_id`. Undefined: the caller sees all.
 */
export function visibleOrdersSearchFilter(caller: Caller, now = new Date()): string | undefined {
  if (caller.kind === 'editor') return undefined;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const publicRule = `(visibility = "public" OR (visibility = "embargoed" AND embargo_until <= ${nowSeconds}))`;
  if (caller.kind === 'outlet') {
    if (!Number.isSafeInteger(caller.outletId))
      throw new Error('An outlet caller needs an integer outlet id');
    return `(${publicRule} OR owner_outlet_id = ${caller.outletId})`;
  }
  return publicRule;
}

// Articles are seen through orders: an article (its URL, title, outlet) is visible to whoever can see at
// least one order targeting it with a disclosed link (an order whose filer could not see the article
// when linking it counts for nothing, either way). One that no order targets yet is visible to editors, to the outlet whose
// domain it is on, and to the outlet whose token recorded it. So an article that exists only because a
// hidden order targets it reaches nobody who cannot see that order.

export interface ArticleAccessFacts {
  /** The outlet whose domain the article is on. */
  outlet_id: number | string | null;
  /** The outlet whose token recorded the article, if an outlet token did. */
  recorded_by_outlet_id: number | string | null;
  /** The orders that target it. */
  orders: OrderAccessFacts[];
}

export function canSeeArticle(caller: Caller, article: ArticleAccessFacts, now = new Date()): boolean {
  if (caller.kind === 'editor') return true;
  if (article.orders.length > 0) return article.orders.some((order) => canSeeOrder(caller, order, now));
  if (caller.kind !== 'outlet') return false;
  return [article.outlet_id, article.recorded_by_outlet_id].some(
    (outletId) => outletId !== null && Number(outletId) === caller.outletId,
  );
}

/**
 * The same rule as canSeeArticle, as SQL over an `articles` row aliased `alias`; parameters are appended
 * to `params`. Who recorded an article is read from its `article.create` audit record.
 */
export function visibleArticlesSql(caller: Caller, alias: string, params: unknown[]): string {
  if (caller.kind === 'editor') return 'TRUE';
  const throughOrder = `EXISTS (SELECT 1 FROM order_targets vt JOIN orders vo ON vo.id = vt.order_id
      WHERE vt.article_id = ${alias}.id AND vt.article_disclosed AND ${visibleOrdersSql(caller, 'vo', params)})`;
  if (caller.kind !== 'outlet') return throughOrder;
  params.push(caller.outletId);
  const outlet = `$${params.length}`;
  return `(${throughOrder} OR (NOT EXISTS (SELECT 1 FROM order_targets vt
      WHERE vt.article_id = ${alias}.id AND vt.article_disclosed)
      AND (${alias}.outlet_id = ${outlet} OR ${ARTICLE_RECORDED_BY_SQL(alias)} = ${outlet})))`;
}

/** The outlet whose token recorded the article (NULL for an editor or ADMIN_TOKEN). */
export const ARTICLE_RECORDED_BY_SQL = (alias: string) =>
  `(SELECT tk.outlet_id FROM audit_log al JOIN api_tokens tk ON tk.id = al.token_id
     WHERE al.record_type = 'article' AND al.record_id = ${alias}.id::text AND al.action = 'article.create'
     LIMIT 1)`;
