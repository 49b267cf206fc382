// Reads documents in the shape the API shows, with the order facts access rules need.
import type { Queryable } from '../database/transaction.ts';
import type { DocumentDetail, DocumentSummary } from '../schemas/documents.ts';
import type { OrderAccessFacts } from '../auth/orderAccess.ts';

export interface DocumentRow extends Omit<DocumentSummary, 'file_url'> {
  internal_order_id: number;
  order_access: OrderAccessFacts;
}

const DOCUMENT_SELECT_SQL = `
  SELECT d.id, o.public_id AS order_id, d.order_id AS internal_order_id, d.parent_document_id, d.role,
         d.original_filename, d.sha256, d.size, d.mime, d.status, d.status_reason, d.progress, d.page_count,
         d.language, d.created_at, d.extracted_at,
         json_build_object('outlet_id', o.outlet_id, 'visibility', o.visibility,
                           'embargo_until', o.embargo_until) AS order_access
    FROM documents d JOIN orders o ON o.id = d.order_id`;

export function presentDocument(row: DocumentRow): DocumentSummary {
  const { internal_order_id: _order, order_access: _access, ...summary } = row;
  return { ...summary, file_url: `/api/documents/${row.id}/file` };
}

export async function findDocumentRow(db: Queryable, id: number): Promise<DocumentRow | undefined> {
  const { rows } = await db.query<DocumentRow>(`${DOCUMENT_SELECT_SQL} WHERE d.id = $1`, [id]);
  return rows[0];
}

export async function listOrderDocuments(db: Queryable, orderId: number): Promise<DocumentSummary[]> {
  const { rows } = await db.query<DocumentRow>(`${DOCUMENT_SELECT_SQL} WHERE d.order_id = $1 ORDER BY d.id`, [
    orderId,
  ]);
  return rows.map(presentDocument);
}

export async function readDocumentDetail(db: Queryable, row: DocumentRow): Promise<DocumentDetail> {
  const [extra, pages, children] = await Promise.all([
    db.query('SELECT ocr_languages, metadata, warnings, suggestions FROM documents WHERE id = $1', [row.id]),
    db.query(
      'SELECT number, text, method, confidence FROM document_pages WHERE document_id = $1 ORDER BY number',
      [row.id],
    ),
    db.query<{ id: number }>('SELECT id FROM documents WHERE parent_document_id = $1 ORDER BY id', [row.id]),
  ]);
  return {
    ...presentDocument(row),
    ...extra.rows[0],
    children: children.rows.map((child) => child.id),
    pages: pages.rows,
  };
}
