// Files or refreshes one order read from a public collection (gov-takedowns, Lumen), found again by its
// source and reference: a second import of the same notice changes nothing, a changed notice updates it.
import type pg from 'pg';
import { canonicalizeUrl, InvalidUrlError } from '../../domain/canonicalUrl.ts';
import type { Caller } from '../auth/caller.ts';
import { withTransaction } from '../database/transaction.ts';
import { enqueueOrderForSearch } from '../indexing/searchOutbox.ts';
import type { EVENT_KINDS, OrderStatus } from '../schemas/enums.ts';
import { recordAudit } from './auditTrail.ts';
import { addOrderTarget } from './orderTargetAdder.ts';
import { allocatePublicOrderId } from './publicIdAllocator.ts';

export type ImportSourceKind = 'registry' | 'gov-takedowns' | 'lumen';

/** The order's own columns an import sets; a field left out is left as it is. */
export interface ImportedOrderFields {
  reference_number?: string | null;
  issued_on?: string | null;
  received_on?: string | null;
  legal_basis?: string[];
  legal_basis_raw?: string | null;
  demanded_actions?: string[];
  stated_reason?: string | null;
  summary?: string | null;
  language?: string | null;
  status?: OrderStatus;
}

export interface ImportedEvent {
  kind: (typeof EVENT_KINDS)[number];
  /** YYYY-MM-DD */
  occurredOn: string;
  description: string;
  sourceUrl: string | null;
}

export interface ImportedOrder {
  source: ImportSourceKind;
  reference: string;
  licence: string | null;
  sourceUrl: string | null;
  /** false: something was guessed ("imported, unreviewed"); a person should check it. */
  reviewed: boolean;
  authorityId: number;
  fields: ImportedOrderFields;
  targets: { url: string; note?: string }[];
  events: ImportedEvent[];
}

export interface SavedImport {
  publicId: string;
  outcome: 'imported' | 'updated' | 'unchanged';
  /** Target URLs that are not web addresses, left out. */
  badTargets: string[];
}

export async function saveImportedOrder(
  pool: pg.Pool,
  { caller, order }: { caller: Caller; order: ImportedOrder },
): Promise<SavedImport> {
  return withTransaction(pool, async (client) => {
    const columns: Record<string, unknown> = {
      authority_id: order.authorityId,
      ...order.fields,
      import_licence: order.licence,
      import_source_url: order.sourceUrl,
    };
    const existing = await client.query<Record<string, unknown> & { id: number; public_id: string }>(
      `SELECT id, public_id, ${Object.keys(columns).join(', ')} FROM orders
        WHERE import_source = $1 AND import_reference = $2 FOR UPDATE`,
      [order.source, order.reference],
    );
    let orderId: number;
    let publicId: string;
    let outcome: SavedImport['outcome'];
    const stored = existing.rows[0];
    if (!stored) {
      publicId = await allocatePublicOrderId(client);
      const row = {
        ...columns,
        public_id: publicId,
        visibility: 'public',
        import_source: order.source,
        import_reference: order.reference,
        import_reviewed: order.reviewed,
      };
      const names = Object.keys(row);
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO orders (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
        Object.values(row),
      );
      orderId = rows[0]!.id;
      outcome = 'imported';
      await recordAudit(client, caller, {
        action: 'order.import',
        recordType: 'order',
        recordId: orderId,
        after: row,
      });
    } else {
      orderId = stored.id;
      publicId = stored.public_id;
      // A column a person corrected since the last import keeps their value: the source is not re-read over it.
      const written = await lastImportedValues(client, orderId);
      const changed = Object.entries(columns).filter(
        ([name, value]) =>
          !sameValue(stored[name], value) && (!(name in written) || sameValue(stored[name], written[name])),
      );
      outcome = changed.length ? 'updated' : 'unchanged';
      if (changed.length) {
        // Whether a person reviewed it is theirs to say: a re-import leaves import_reviewed alone.
        await client.query(
          `UPDATE orders SET ${changed.map(([name], i) => `${name} = $${i + 2}`).join(', ')},
             version = version + 1, updated_at = now() WHERE id = $1`,
          [orderId, ...changed.map(([, value]) => value)],
        );
        await recordAudit(client, caller, {
          action: 'order.import.update',
          recordType: 'order',
          recordId: orderId,
          before: Object.fromEntries(changed.map(([name]) => [name, stored[name]])),
          after: Object.fromEntries(changed),
        });
      }
    }

    const badTargets: string[] = [];
    const linked = new Set(
      (
        await client.query<{ canonical_url: string }>(
          `SELECT a.canonical_url FROM order_targets t JOIN articles a ON a.id = t.article_id WHERE t.order_id = $1`,
          [orderId],
        )
      ).rows.map((row) => row.canonical_url),
    );
    for (const target of order.targets) {
      let canonical: string;
      try {
        canonical = canonicalizeUrl(target.url).canonical;
      } catch (error) {
        if (!(error instanceof InvalidUrlError)) throw error;
        badTargets.push(target.url);
        continue;
      }
      if (linked.has(canonical)) continue;
      linked.add(canonical);
      await addOrderTarget(client, { caller, internalOrderId: orderId, target });
      if (outcome === 'unchanged') outcome = 'updated';
    }
    for (const event of order.events) {
      const { rowCount } = await client.query(
        `INSERT INTO events (order_id, kind, occurred_at, source_url, description)
         SELECT $1, $2, $3::date, $4, $5
          WHERE NOT EXISTS (SELECT 1 FROM events WHERE order_id = $1 AND kind = $2 AND occurred_at = $3::date)`,
        [orderId, event.kind, event.occurredOn, event.sourceUrl, event.description],
      );
      if (rowCount && outcome === 'unchanged') outcome = 'updated';
    }
    if (outcome !== 'unchanged') await enqueueOrderForSearch(client, orderId);
    return { publicId, outcome, badTargets };
  });
}

/** What the imports of this order wrote into each column, the latest write of each (from the audit log). */
async function lastImportedValues(client: pg.PoolClient, orderId: number): Promise<Record<string, unknown>> {
  const { rows } = await client.query<{ after: Record<string, unknown> }>(
    `SELECT after FROM audit_log WHERE record_type = 'order' AND record_id = $1
        AND action IN ('order.import', 'order.import.update') ORDER BY id`,
    [String(orderId)],
  );
  return Object.assign({}, ...rows.map((row) => row.after));
}

/** Compares a stored column with the value an import brings (dates come back as Date or text). */
function sameValue(stored: unknown, incoming: unknown): boolean {
  if (stored instanceof Date)
    return typeof incoming === 'string' && isoDate(stored) === incoming.slice(0, 10);
  if (Array.isArray(stored) || Array.isArray(incoming))
    return JSON.stringify(stored) === JSON.stringify(incoming);
  return (stored ?? null) === (incoming ?? null) || String(stored) === String(incoming);
}

function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
