// Reads orders and their whole story (targets, responses, events, timeline) in the shape the API shows.
import type pg from 'pg';
import { embargoLifted, REVIEW_PENDING_SQL } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import type { DocumentSummary } from '../schemas/documents.ts';
import type { Order, OrderStory } from '../schemas/orders.ts';
import { ARTICLE_JSON_SQL, presentArticle } from './articleRecords.ts';
import { listOrderDocuments } from './documentRecords.ts';

/** An order row as read for the API, with the facts access rules need. */
export interface OrderRow extends Omit<Order, 'id'> {
  internal_id: number;
  public_id: string;
  outlet_id: number | null;
  review_pending: boolean;
}

export const ORDER_SELECT_SQL = `
  SELECT o.id AS internal_id, o.public_id, o.outlet_id, o.reference_number, o.issued_on, o.received_on,
         o.deadline_at, o.channel, o.legal_basis, o.legal_basis_raw, o.demanded_actions, o.stated_reason,
         o.threatened_consequence, o.status, o.visibility, o.embargo_until, o.language, o.summary,
         o.version, o.draft, o.created_at, o.updated_at, o.researchers_may_read_unredacted,
         ${REVIEW_PENDING_SQL('o')} AS review_pending,
         CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('id', a.id, 'slug', a.slug, 'name', a.name,
           'local_name', a.local_name, 'aliases', a.aliases, 'country', a.country, 'kind', a.kind,
           'parent_id', a.parent_id) END AS authority,
         CASE WHEN ou.id IS NULL THEN NULL ELSE json_build_object('id', ou.id, 'slug', ou.slug,
           'name', ou.name, 'country', ou.country, 'domains', ou.domains) END AS outlet,
         CASE WHEN o.import_source IS NULL THEN NULL ELSE json_build_object('kind', o.import_source,
           'reference', o.import_reference, 'licence', o.import_licence, 'url', o.import_source_url,
           'reviewed', COALESCE(o.import_reviewed, false)) END AS source
    FROM orders o
    LEFT JOIN authorities a ON a.id = o.authority_id
    LEFT JOIN outlets ou ON ou.id = o.outlet_id`;

/** Finds an order by public id (TD-2026-00042) or numeric id; `forUpdate` locks it for the transaction. */
export async function findOrderRow(
  db: Queryable,
  id: string,
  forUpdate = false,
): Promise<OrderRow | undefined> {
  const byPublicId = id.startsWith('TD-');
  const { rows } = await db.query<OrderRow>(
    `${ORDER_SELECT_SQL} WHERE ${byPublicId ? 'o.public_id = $1' : 'o.id = $1::bigint'}
     ${forUpdate ? 'FOR UPDATE OF o' : ''}`,
    [id],
  );
  return rows[0];
}

export function presentOrder(row: OrderRow): Order {
  const {
    internal_id: _internalId,
    public_id,
    outlet_id: _outletId,
    review_pending: _pending,
    ...rest
  } = row;
  return { id: public_id, ...rest };
}

export async function readOrderStory(db: Queryable, row: OrderRow): Promise<OrderStory> {
  // A pool runs the four reads at once; a transaction's client (a command reading the story it changes)
  // takes them one after another, as pg requires of one connection.
  const all =
    'release' in db
      ? sequentially
      : (reads: (() => Promise<unknown>)[]) => Promise.all(reads.map((read) => read()));
  const [targets, responses, events, documents] = (await all([
    () =>
      db.query(
        `SELECT t.id, t.note, ${ARTICLE_JSON_SQL('ar', 'ou', 't.article_disclosed')} AS article
         FROM order_targets t JOIN articles ar ON ar.id = t.article_id LEFT JOIN outlets ou ON ou.id = ar.outlet_id
        WHERE t.order_id = $1 ORDER BY t.id`,
        [row.internal_id],
      ),
    () =>
      db.query(
        `SELECT id, kind, responded_on, text, source_url, created_at FROM responses
        WHERE order_id = $1 ORDER BY responded_on NULLS LAST, id`,
        [row.internal_id],
      ),
    () =>
      db.query(
        `SELECT id, kind, occurred_at, country, source_url, description, created_at FROM events
        WHERE order_id = $1 ORDER BY occurred_at, id`,
        [row.internal_id],
      ),
    () => listOrderDocuments(db, row.internal_id),
  ])) as [pg.QueryResult, pg.QueryResult, pg.QueryResult, DocumentSummary[]];
  const order = presentOrder(row);
  const timeline = [
    ...(order.issued_on
      ? [{ at: order.issued_on, kind: 'issued', description: order.reference_number }]
      : []),
    ...(order.received_on ? [{ at: order.received_on, kind: 'received', description: null }] : []),
    ...(order.deadline_at ? [{ at: isoOf(order.deadline_at), kind: 'deadline', description: null }] : []),
    ...responses.rows
      .filter((response) => response.responded_on)
      .map((response) => ({
        at: response.responded_on,
        kind: `response:${response.kind}`,
        description: response.text,
      })),
    ...events.rows.map((event) => ({
      at: isoOf(event.occurred_at),
      kind: `event:${event.kind}`,
      description: event.description,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    ...order,
    targets: targets.rows.map((target) => ({ ...target, article: presentArticle(target.article) })),
    responses: responses.rows,
    events: events.rows,
    documents,
    timeline,
    publication_held: await publicationHeld(db, row),
  };
}

/** Why an order public by its date is not public: the redaction proposals that await a decision. */
async function publicationHeld(db: Queryable, row: OrderRow): Promise<string | null> {
  const byDate = { ...row, review_pending: false };
  if (!row.review_pending || !embargoLifted(byDate)) return null;
  const { rows } = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM redactions r LEFT JOIN documents d ON d.id = r.document_id
      WHERE COALESCE(r.order_id, d.order_id) = $1 AND r.state = 'proposed'`,
    [row.internal_id],
  );
  const count = rows[0]?.count ?? 0;
  return `${count} redaction proposal${count === 1 ? '' : 's'} await${count === 1 ? 's' : ''} a decision: the embargo has passed, but the order stays private until each is accepted or rejected`;
}

async function sequentially(reads: (() => Promise<unknown>)[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results;
}

function isoOf(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}
