// Who may see and change which order, article and outlet, read which history entry and manage which
// token, and who reads a document's text unredacted: the one place these rules live.
//   anonymous, researcher, any account: public orders, and embargoed ones whose embargo has passed and
//              none of whose documents holds a redaction proposal nobody has decided on yet;
//   a member of outlets (a person, or an outlet's token): those, plus every order of its outlets;
//   editor:    everything.
// A hidden order answers 404 (not 403), so its existence is not revealed. The route-level rules (who may
// call a route at all) are in caller.ts; the texts below go into the OpenAPI description.
import type { Caller } from './caller.ts';

export const ORDER_VISIBILITY_RULE =
  'anonymous callers and researchers see public orders (and embargoed ones after their date, once no ' +
  'redaction proposal of their documents or their own fields awaits a decision), members ' +
  'of an outlet (its people and its tokens) also their outlets’ orders, editors everything; a hidden ' +
  'order answers 404';
export const ORDER_CHANGE_RULE =
  'an editor changes any order, a member of an outlet the orders of its outlets (a read-only token none)';

/** The outlets whose private orders the caller sees and changes (all, for an editor: undefined). */
export function outletsOf(caller: Caller): readonly number[] | undefined {
  if (caller.kind === 'editor') return undefined;
  return caller.kind === 'account' ? caller.outletIds : [];
}

/** Whether the caller acts for this outlet: an editor for any, an account for those it belongs to. */
export function actsFor(caller: Caller, outletId: number | string | null): boolean {
  if (caller.kind === 'editor') return true;
  return caller.kind === 'account' && outletId !== null && caller.outletIds.includes(Number(outletId));
}

/** Whether the caller may invite and remove the outlet's members and make its tokens. */
export function canManageOutlet(caller: Caller, outletId: number | string): boolean {
  if (caller.kind === 'editor') return !caller.readOnly;
  return caller.kind === 'account' && !caller.readOnly && caller.adminOf.includes(Number(outletId));
}

// People: who may invite whom, and who sees an outlet's members, invitations and a user's account.

export type InvitedRole = 'editor' | 'researcher' | 'admin' | 'member';

export const INVITATION_RULE =
  'an editor invites to any role; an outlet’s admin invites admins and members of the outlets they ' +
  'administer, and nothing else';
export const OUTLET_PEOPLE_RULE =
  'an editor, or an admin of the outlet; an admin may not remove or demote the outlet’s last admin';

/** Whether the caller may invite someone to `role` (at `outletId` for an outlet role), or revoke such an invitation. */
export function canInvite(caller: Caller, role: InvitedRole, outletId: number | string | null): boolean {
  if (caller.kind === 'editor') return !caller.readOnly;
  if (role !== 'admin' && role !== 'member') return false;
  return outletId !== null && canManageOutlet(caller, outletId);
}

/** Whether the caller sees the outlet's members and its invitations: an editor, or one of its admins. */
export function canSeeOutletPeople(caller: Caller, outletId: number | string): boolean {
  if (caller.kind === 'editor') return true;
  return caller.kind === 'account' && caller.adminOf.includes(Number(outletId));
}

/** The outlets whose invitations the caller lists (undefined: all of them, for an editor). */
export function invitationOutletsOf(caller: Caller): readonly number[] | undefined {
  if (caller.kind === 'editor') return undefined;
  return caller.kind === 'account' ? caller.adminOf : [];
}

/**
 * Whether the caller may leave an outlet without an admin (remove or demote its last one): an editor may,
 * to tidy up; an outlet's admin may not, so an outlet never locks itself out by mistake.
 */
export function mayLeaveOutletWithoutAdmin(caller: Caller): boolean {
  return caller.kind === 'editor';
}

/** Whether the caller may read a user's account: an editor, or the user themself. */
export function canSeeUser(caller: Caller, userId: number): boolean {
  if (caller.kind === 'editor') return true;
  return caller.kind === 'account' && caller.userId === userId;
}

export interface OrderAccessFacts {
  outlet_id: number | string | null;
  visibility: string;
  embargo_until: Date | string | null;
  /** Some document of the order holds a redaction proposal nobody has decided on (REVIEW_PENDING_SQL). */
  review_pending: boolean;
  /** The outlet lets researchers read this order's documents unredacted. */
  researchers_may_read_unredacted: boolean;
}

/**
 * Whether an order's documents or its own fields hold a redaction proposal nobody has decided on, as SQL over an `orders`
 * row aliased `alias`: such an order's embargo does not lift, and it may not be made public.
 */
export const REVIEW_PENDING_SQL = (alias: string) =>
  `(EXISTS (SELECT 1 FROM documents rd JOIN redactions rr ON rr.document_id = rd.id AND rr.state = 'proposed'
             WHERE rd.order_id = ${alias}.id)
    OR EXISTS (SELECT 1 FROM redactions rf WHERE rf.order_id = ${alias}.id AND rf.state = 'proposed'))`;

/** The embargo has passed and nothing holds it: the order is public by time. */
export function embargoLifted(order: OrderAccessFacts, now = new Date()): boolean {
  return (
    order.visibility === 'embargoed' &&
    order.embargo_until !== null &&
    new Date(order.embargo_until) <= now &&
    !order.review_pending
  );
}

export function canSeeOrder(caller: Caller, order: OrderAccessFacts, now = new Date()): boolean {
  if (actsFor(caller, order.outlet_id)) return true;
  if (order.visibility === 'public') return true;
  return embargoLifted(order, now);
}

// Redactions. The public reads documents with their redactions burned in (accepted ones, and proposals
// still undecided); the order's outlet and editors read them whole, and so do researchers where the
// outlet allowed it for the order. The same rule decides who sees the redactions themselves (with the
// text they hide), who finds a document by a redacted word, and who downloads the original file.

export const UNREDACTED_RULE =
  'editors, the order’s outlet (its people and tokens), and researchers where the outlet allowed it for ' +
  'the order; everyone else reads the redacted text';

export function canSeeUnredacted(caller: Caller, order: OrderAccessFacts, now = new Date()): boolean {
  if (actsFor(caller, order.outlet_id)) return true;
  return (
    caller.kind === 'account' &&
    caller.researcher &&
    order.researchers_may_read_unredacted &&
    canSeeOrder(caller, order, now)
  );
}

/** Who decides on redactions (accepts, rejects, adds, removes): an editor, or the order's outlet. */
export function canDecideRedactions(caller: Caller, order: OrderAccessFacts): boolean {
  return canChangeOrder(caller, order);
}

/** Who may let researchers read an order unredacted: those who change the order. */
export const canGrantResearchers = canDecideRedactions;

/** Who may publish an order whose redaction proposals are not all decided: an editor, saying so. */
export function canOverrideRedactionReview(caller: Caller): boolean {
  return caller.kind === 'editor' && !caller.readOnly;
}

/** Who may mark an original file publishable (the public then downloads it as it is): editors. */
export function canMarkOriginalPublishable(caller: Caller): boolean {
  return caller.kind === 'editor' && !caller.readOnly;
}

/** Who downloads the original bytes: whoever reads the text unredacted, or anyone once an editor allowed it. */
export function canDownloadOriginal(
  caller: Caller,
  order: OrderAccessFacts,
  document: { original_publishable: boolean },
  now = new Date(),
): boolean {
  if (!canSeeOrder(caller, order, now)) return false;
  return document.original_publishable || canSeeUnredacted(caller, order, now);
}

/**
 * What GET /api/documents/:id/file gives this caller: the original bytes when canDownloadOriginal allows
 * them; else, for a PDF or an image, its redacted rendition (the public copy, with the redactions burned
 * into the pixels); else nothing (a text, an e-mail or an office file is read through its redacted text).
 */
export type DownloadKind = 'original' | 'rendition' | 'none';

export function downloadFor(
  caller: Caller,
  order: OrderAccessFacts,
  document: { original_publishable: boolean; renderable: boolean },
  now = new Date(),
): DownloadKind {
  if (!canSeeOrder(caller, order, now)) return 'none';
  if (canDownloadOriginal(caller, order, document, now)) return 'original';
  return document.renderable ? 'rendition' : 'none';
}

export function canChangeOrder(caller: Caller, order: OrderAccessFacts): boolean {
  if (caller.kind !== 'anonymous' && caller.readOnly) return false;
  return actsFor(caller, order.outlet_id);
}

/**
 * The same rule as canSeeOrder, as SQL over an `orders` row aliased `alias`. Parameters are appended
 * to `params` (never pasted), and the returned text refers to them by position.
 */
export function visibleOrdersSql(caller: Caller, alias: string, params: unknown[]): string {
  if (caller.kind === 'editor') return 'TRUE';
  const publicRule = `(${alias}.visibility = 'public' OR ${EMBARGO_LIFTED_SQL(alias)})`;
  const outlets = outletsOf(caller)!;
  if (outlets.length === 0) return publicRule;
  params.push(outlets);
  return `(${publicRule} OR ${alias}.outlet_id = ANY($${params.length}::bigint[]))`;
}

/** embargoLifted as SQL over an `orders` row aliased `alias` (migration 020 indexes the embargoed orders). */
const EMBARGO_LIFTED_SQL = (alias: string) =>
  `(${alias}.visibility = 'embargoed' AND ${alias}.embargo_until <= now() AND NOT ${REVIEW_PENDING_SQL(alias)})`;

/**
 * The orders the caller sees that are not `public`, by the same rule as visibleOrdersSql, as disjoint
 * conditions over an `orders` row aliased `alias`, each one an index answers: embargoes that have lapsed
 * (everyone sees them), and the other non-public orders of the caller's outlets. Undefined for an editor,
 * who sees every order. The statistics read these beside the rollup of public orders, so the public's count
 * reads the lapsed embargoes, not every order that is not public.
 */
export function visibleNonPublicOrdersSql(
  caller: Caller,
  alias: string,
  params: unknown[],
): string[] | undefined {
  if (caller.kind === 'editor') return undefined;
  const lapsed = EMBARGO_LIFTED_SQL(alias);
  const outlets = outletsOf(caller)!;
  if (outlets.length === 0) return [lapsed];
  params.push(outlets);
  return [
    lapsed,
    `(${alias}.visibility <> 'public' AND ${alias}.outlet_id = ANY($${params.length}::bigint[]) AND NOT ${lapsed})`,
  ];
}

/**
 * The same rule as canSeeOrder, as a Meilisearch filter over search documents that carry the order's
 * `visibility`, `embargo_until` (unix seconds), `review_pending` and `owner_outlet_id`. Undefined: the
 * caller sees all.
 */
export function visibleOrdersSearchFilter(caller: Caller, now = new Date()): string | undefined {
  if (caller.kind === 'editor') return undefined;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const publicRule =
    `(visibility = "public" OR (visibility = "embargoed" AND embargo_until <= ${nowSeconds} ` +
    'AND review_pending != true))';
  const outlets = outletsOf(caller)!;
  if (outlets.length === 0) return publicRule;
  if (!outlets.every(Number.isSafeInteger)) throw new Error('A caller’s outlets must be integer ids');
  return `(${publicRule} OR owner_outlet_id IN [${outlets.join(', ')}])`;
}

/**
 * Which copy of a search document the caller searches, as a Meilisearch filter. An order or page whose
 * text has redactions is indexed twice: `text_scope` "redacted" (the redactions burned in) and
 * "unredacted"; one without is indexed once, as "both". The caller finds through the unredacted copy
 * exactly the orders canSeeUnredacted allows, and through the redacted copy all others, so a redacted word
 * never matches, and never shows in a snippet, for a caller who may not read it; and each order counts once.
 */
export function searchCopyFilter(caller: Caller): string {
  const redacted = 'text_scope != "unredacted"';
  const unredacted = 'text_scope != "redacted"';
  if (caller.kind === 'editor') return unredacted;
  if (caller.kind === 'anonymous') return redacted;
  const own = caller.outletIds.length ? [`owner_outlet_id IN [${caller.outletIds.join(', ')}]`] : [];
  if (!caller.outletIds.every(Number.isSafeInteger))
    throw new Error('A caller’s outlets must be integer ids');
  const allowed = [...own, ...(caller.researcher ? ['researchers_may_read_unredacted = true'] : [])];
  if (!allowed.length) return redacted;
  const mayRead = allowed.length === 1 ? allowed[0] : `(${allowed.join(' OR ')})`;
  return `((${redacted} AND NOT ${mayRead}) OR (${unredacted} AND ${mayRead}))`;
}

/** The visibility rule and the copy rule together: every search of the orders and pages indexes uses it. */
export function searchAccessFilter(caller: Caller, now = new Date()): string[] {
  const visibility = visibleOrdersSearchFilter(caller, now);
  return [...(visibility ? [visibility] : []), searchCopyFilter(caller)];
}

// Articles are seen through orders: an article (its URL, title, outlet) is visible to whoever can see at
// least one order targeting it with a disclosed link (an order whose filer could not see the article
// when linking it counts for nothing, either way). One that no order targets yet is visible to editors, to the outlet whose
// domain it is on, and to the outlet whose token recorded it. So an article that exists only because a
// hidden order targets it reaches nobody who cannot see that order.

export interface ArticleAccessFacts {
  /** The outlet whose domain the article is on. */
  outlet_id: number | string | null;
  /** The outlets whose member recorded the article, if a member did. */
  recorded_by_outlet_ids: (number | string)[] | null;
  /** The orders that target it. */
  orders: OrderAccessFacts[];
}

export function canSeeArticle(caller: Caller, article: ArticleAccessFacts, now = new Date()): boolean {
  if (caller.kind === 'editor') return true;
  if (article.orders.length > 0) return article.orders.some((order) => canSeeOrder(caller, order, now));
  if (caller.kind !== 'account') return false;
  return [article.outlet_id, ...(article.recorded_by_outlet_ids ?? [])].some((outletId) =>
    actsFor(caller, outletId),
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
  const outletIds = outletsOf(caller)!;
  if (outletIds.length === 0) return throughOrder;
  params.push(outletIds);
  const outlets = `$${params.length}::bigint[]`;
  return `(${throughOrder} OR (NOT EXISTS (SELECT 1 FROM order_targets vt
      WHERE vt.article_id = ${alias}.id AND vt.article_disclosed)
      AND (${alias}.outlet_id = ANY(${outlets}) OR ${ARTICLE_RECORDED_BY_SQL(alias)} && ${outlets})))`;
}

/**
 * The outlets whose member recorded the article (bigint[]; NULL or empty for an editor or ADMIN_TOKEN):
 * written by articleRegistrar as `recorded_by_outlet_ids`; for records from before accounts, the
 * recording token's outlet.
 */
export const ARTICLE_RECORDED_BY_SQL = (alias: string) =>
  `(SELECT CASE WHEN al.after ? 'recorded_by_outlet_ids'
            THEN ARRAY(SELECT jsonb_array_elements_text(al.after->'recorded_by_outlet_ids')::bigint)
            ELSE array_remove(ARRAY[tk.outlet_id], NULL) END
     FROM audit_log al LEFT JOIN api_tokens tk ON tk.id = al.token_id
     WHERE al.record_type = 'article' AND al.record_id = ${alias}.id::text AND al.action = 'article.create'
     LIMIT 1)`;

// An order's history (its audit entries) is read under the order's own rule: whoever cannot see the order
// gets 404. Whoever acts for the order's outlet (and editors) reads every entry with its values and its
// actor. Everyone else reads only how the order became public: its filing and the entries that changed a
// publication field, those fields alone, and no actor's name.

export const ORDER_HISTORY_RULE =
  'the order’s outlet (its people and tokens) and editors read every entry with old and new values and who ' +
  'made it; everyone else who may see the order reads only its filing and the changes of its visibility ' +
  'and embargo, without names';

/** The fields whose changes anyone who may see the order may read in its history. */
export const PUBLICATION_FIELDS: readonly string[] = ['visibility', 'embargo_until'];

export type HistoryDetail = 'full' | 'publication';

export function historyDetailFor(caller: Caller, order: OrderAccessFacts): HistoryDetail {
  return actsFor(caller, order.outlet_id) ? 'full' : 'publication';
}

/**
 * The entries of an order's history a reader at `detail` may see, as SQL over an `audit_log` row aliased
 * `alias` (already limited to the order's entries); parameters are appended to `params`.
 */
export function visibleHistorySql(detail: HistoryDetail, alias: string, params: unknown[]): string {
  if (detail === 'full') return 'TRUE';
  params.push(PUBLICATION_FIELDS);
  return `(${alias}.record_type = 'order'
           AND (${alias}.action = 'order.create' OR ${alias}.after ?| $${params.length}::text[]))`;
}

/** The name of who made an entry, as a reader at `detail` may read it. */
export function historyActorName(
  detail: HistoryDetail,
  kind: 'editor' | 'user' | 'outlet' | 'system',
  name: string,
): string {
  if (detail === 'full') return name;
  if (kind === 'editor') return 'an editor';
  return kind === 'system' ? 'the archive' : 'the outlet';
}

// Tokens: a person sees and revokes their own tokens, an outlet's admin the outlet's tokens, a token
// itself, and an editor every token. A person's token made for one outlet sees only the person's tokens
// for that outlet. A token never makes one that can do more than it can: no outlet it
// is not narrowed to, no later expiry (and a read-only one can make nothing: caller.ts refuses its writes).

export const TOKEN_RULE =
  'a person sees and revokes their own tokens (with a token made for one outlet, only those for that ' +
  'outlet), an outlet’s admin that outlet’s tokens, editors every token; a token nobody lets you see ' +
  'answers 404';

export interface TokenAccessFacts {
  id: number | string;
  role: string;
  user_id: number | string | null;
  outlet_id: number | string | null;
}

export function canSeeToken(caller: Caller, token: TokenAccessFacts): boolean {
  if (caller.kind === 'anonymous') return false;
  if (caller.kind === 'editor') return true;
  if (caller.tokenId !== null && Number(token.id) === caller.tokenId) return true;
  if (token.role === 'user') {
    if (caller.userId === null || Number(token.user_id) !== caller.userId) return false;
    return caller.outletOnly === undefined || Number(token.outlet_id) === caller.outletOnly;
  }
  return token.role === 'outlet' && caller.adminOf.includes(Number(token.outlet_id));
}

export function canRevokeToken(caller: Caller, token: TokenAccessFacts): boolean {
  return caller.kind !== 'anonymous' && !caller.readOnly && canSeeToken(caller, token);
}

/** The same rule as canSeeToken, as SQL over an `api_tokens` row aliased `alias`. */
export function visibleTokensSql(caller: Caller, alias: string, params: unknown[]): string {
  if (caller.kind === 'anonymous') return 'FALSE';
  if (caller.kind === 'editor') return 'TRUE';
  const rules: string[] = [];
  if (caller.tokenId !== null) {
    params.push(caller.tokenId);
    rules.push(`${alias}.id = $${params.length}`);
  }
  if (caller.userId !== null) {
    params.push(caller.userId);
    const own = `${alias}.role = 'user' AND ${alias}.user_id = $${params.length}`;
    if (caller.outletOnly === undefined) rules.push(`(${own})`);
    else {
      params.push(caller.outletOnly);
      rules.push(`(${own} AND ${alias}.outlet_id = $${params.length})`);
    }
  }
  if (caller.adminOf.length > 0) {
    params.push(caller.adminOf);
    rules.push(`(${alias}.role = 'outlet' AND ${alias}.outlet_id = ANY($${params.length}::bigint[]))`);
  }
  return rules.length ? `(${rules.join(' OR ')})` : 'FALSE';
}

/** The credential a new token is made with: the narrowing of the caller's own token (none for a session). */
export interface MintingCredential {
  outletId: number | null;
  expiresAt: Date | null;
}

export interface TokenRequest {
  owner: 'me' | 'outlet';
  outletId: number | null;
  expiresAt: Date | null;
  readOnly: boolean;
}

/** What the new token will carry, or why it may not be made (and the input that is refused). */
export type TokenGrant =
  | { granted: true; outletId: number | null; expiresAt: Date | null; readOnly: boolean }
  | { granted: false; field: 'owner' | 'outlet' | 'expires_at'; reason: string };

export function tokenGrantFor(caller: Caller, minting: MintingCredential, request: TokenRequest): TokenGrant {
  if (caller.kind === 'anonymous') return { granted: false, field: 'owner', reason: 'sign in first' };
  let outletId = request.outletId;
  if (request.owner === 'me') {
    if (caller.userId === null) {
      return {
        granted: false,
        field: 'owner',
        reason:
          'only a person (signed in, or with their own token) has tokens of their own. An outlet’s token ' +
          '(owner "outlet") is made by ADMIN_TOKEN, an editor or the outlet’s admin, never by an outlet’s ' +
          'token; editor tokens are made at the server with `npm run cli -- token create`',
      };
    }
    if (minting.outletId !== null) {
      if (outletId !== null && outletId !== minting.outletId) {
        return {
          granted: false,
          field: 'outlet',
          reason: 'the token you use is for one outlet only, and so is every token it makes',
        };
      }
      outletId = minting.outletId;
    } else if (outletId !== null && !actsFor(caller, outletId)) {
      return { granted: false, field: 'outlet', reason: 'you do not act for this outlet' };
    }
  } else if (outletId === null || !canManageOutlet(caller, outletId)) {
    return {
      granted: false,
      field: 'outlet',
      reason: 'only an editor or an admin of the outlet may make its tokens',
    };
  }
  let expiresAt = request.expiresAt;
  if (minting.expiresAt !== null) {
    if (expiresAt !== null && expiresAt > minting.expiresAt) {
      return {
        granted: false,
        field: 'expires_at',
        reason: `a token may not outlive the token that makes it (${minting.expiresAt.toISOString()})`,
      };
    }
    expiresAt ??= minting.expiresAt;
  }
  return { granted: true, outletId, expiresAt, readOnly: request.readOnly || caller.readOnly };
}
