// The outlet desk: the orders of the outlets the caller acts for (every order, for an editor), newest
// first, each with what needs doing — redaction proposals nobody has decided on, documents that failed
// (with their reason), documents still being read, and the deadline. One statement per page.
import type { Caller } from '../auth/caller.ts';
import { outletsOf, visibleOrdersSql } from '../auth/orderAccess.ts';
import type { Queryable } from '../database/transaction.ts';
import type { Order } from '../schemas/orders.ts';
import { keysetPage, SqlConditions } from './keysetPage.ts';
import { ORDER_SELECT_SQL, presentOrder, type OrderRow } from './orderRecords.ts';

export interface DeskDocument {
  id: number;
  original_filename: string | null;
  status: string;
  status_reason: string | null;
  progress: string | null;
}

export interface DeskOrder {
  order: Order;
  /** Redaction proposals awaiting a decision, and the first document holding one. */
  undecided_redactions: number;
  first_undecided_document: number | null;
  /** Proposals in the order's own texts (summary, stated reason, threatened consequence) awaiting one. */
  undecided_field_redactions: number;
  failed_documents: DeskDocument[];
  reading_documents: DeskDocument[];
}

interface DeskRow extends OrderRow {
  undecided_redactions: number;
  first_undecided_document: string | null;
  undecided_field_redactions: number;
  documents: DeskDocument[];
}

const DESK_SELECT_SQL = ORDER_SELECT_SQL.replace(
  'FROM orders o',
  `, (SELECT count(*)::int FROM redactions r JOIN documents d ON d.id = r.document_id
        WHERE d.order_id = o.id AND r.state = 'proposed') AS undecided_redactions,
     (SELECT min(d.id) FROM redactions r JOIN documents d ON d.id = r.document_id
        WHERE d.order_id = o.id AND r.state = 'proposed') AS first_undecided_document,
     (SELECT count(*)::int FROM redactions r WHERE r.order_id = o.id AND r.state = 'proposed')
       AS undecided_field_redactions,
     COALESCE((SELECT json_agg(json_build_object('id', d.id, 'original_filename', d.original_filename,
                 'status', d.status, 'status_reason', d.status_reason, 'progress', d.progress) ORDER BY d.id)
        FROM documents d
       WHERE d.order_id = o.id AND d.status IN ('failed', 'pending', 'processing')), '[]') AS documents
    FROM orders o`,
);

export async function listDeskOrders(
  db: Queryable,
  caller: Caller,
  query: { limit: number; cursor?: string | undefined },
): Promise<{ items: DeskOrder[]; next_cursor: string | null }> {
  // The visibility rule stays in force: the desk narrows it to the caller's outlets, never widens it.
  const where = new SqlConditions().require((params) => visibleOrdersSql(caller, 'o', params));
  const outlets = outletsOf(caller);
  if (outlets !== undefined) where.add((p) => `o.outlet_id = ANY(${p}::bigint[])`, outlets);
  if (query.cursor) where.add((p) => `o.id < ${p}`, query.cursor);
  const { text, values } = where.listSql(DESK_SELECT_SQL, 'o.id DESC', query.limit);
  const { rows } = await db.query<DeskRow>(text, values);
  return keysetPage(
    rows,
    query.limit,
    (row) => {
      const {
        undecided_redactions,
        first_undecided_document,
        undecided_field_redactions,
        documents,
        ...order
      } = row;
      return {
        order: presentOrder(order),
        undecided_redactions,
        first_undecided_document: first_undecided_document === null ? null : Number(first_undecided_document),
        undecided_field_redactions,
        failed_documents: documents.filter((document) => document.status === 'failed'),
        reading_documents: documents.filter((document) => document.status !== 'failed'),
      };
    },
    (row) => row.internal_id,
  );
}
