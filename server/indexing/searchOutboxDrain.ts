// Drains the search outbox into Meilisearch: reads pending rows in batches that grow while the outbox is
// long (bounded by rows and by bytes of documents), keeps a few batches' tasks in flight so Meilisearch
// never waits for us while we read and build the next one, and marks a batch's rows processed only once
// Meilisearch has applied all of its tasks. A failed task stops the drain with its rows (and those of the
// batches behind it) still pending: the next drain sends those orders again, as they are then.
import type { EnqueuedTask, Meilisearch } from 'meilisearch';
import type pg from 'pg';
import { buildSearchDocuments } from './searchDocuments.ts';
import type { SearchIndexNames } from './searchIndexes.ts';
import { waitForSearchTasks } from './searchTasks.ts';

export interface OutboxDrainOptions {
  /** Outbox rows the first batch reads; each full batch lets the next read twice as many. */
  firstRows?: number;
  /** Most outbox rows one batch reads. */
  maxRows?: number;
  /** Most bytes of JSON one addDocuments request carries; it also caps a batch's rows (see drain). */
  maxBytes?: number;
  /** Batches sent and not yet applied before the drain waits for the oldest. */
  maxBatchesInFlight?: number;
  /** Stop after this many batches (relayOutboxBatch: one). */
  maxBatches?: number;
  /** How long to wait for Meilisearch to apply one batch, once it is the oldest in flight. */
  taskTimeoutMs?: number;
  /** Runs before each batch is read (the relay checks the index settings there). */
  beforeBatch?: () => Promise<void>;
  /** Asked before each batch: true stops reading; batches in flight are left pending, sent again later. */
  shouldStop?: () => boolean;
}

export interface OutboxDrainResult {
  /** Outbox rows marked processed. */
  rows: number;
  batches: number;
  /** True when the drain ended because nothing was pending and nothing was in flight. */
  drained: boolean;
}

interface BatchInFlight {
  rowIds: number[];
  orderIds: number[];
  indexRev: number;
  tasks: EnqueuedTask[];
}

/** Documents as JSON arrays of at most maxBytes each (one document larger than that goes alone). */
export function jsonChunks(documents: object[], maxBytes: number): { chunks: string[]; bytes: number } {
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 0;
  let bytes = 0;
  for (const document of documents) {
    const json = JSON.stringify(document);
    const length = Buffer.byteLength(json);
    if (parts.length && size + length + 1 > maxBytes) {
      chunks.push(`[${parts.join(',')}]`);
      parts = [];
      size = 0;
    }
    parts.push(json);
    size += length + 1;
    bytes += length + 1;
  }
  if (parts.length) chunks.push(`[${parts.join(',')}]`);
  return { chunks, bytes };
}

/**
 * Deletes what an earlier write left of these orders once this batch's documents are applied: pages of a
 * document read again with fewer pages, an unredacted copy whose redactions are gone. `index_rev < rev`,
 * not `!=`: a later batch of the same orders may already be applied, and its documents must stay.
 * Usually there is nothing to delete; a search finds out first, so no deletion task is sent then.
 */
async function removeStaleDocuments(
  meili: Meilisearch,
  names: SearchIndexNames,
  orderIds: number[],
  indexRev: number,
  timeoutMs: number,
): Promise<void> {
  if (!orderIds.length) return;
  const older = `order_id IN [${orderIds.map((id) => Math.trunc(id)).join(', ')}] AND index_rev < ${Math.trunc(indexRev)}`;
  const indexes = [meili.index(names.pages), meili.index(names.orders)];
  const found = await Promise.all(
    indexes.map((index) => index.search('', { filter: older, limit: 1, attributesToRetrieve: ['id'] })),
  );
  const deletions: EnqueuedTask[] = [];
  for (const [position, index] of indexes.entries()) {
    if (found[position]!.hits.length) deletions.push(await index.deleteDocuments({ filter: older }));
  }
  if (deletions.length) await waitForSearchTasks(meili, deletions, timeoutMs);
}

/**
 * Drains pending outbox rows on `client` (which holds the relay's lock). Each batch: read the next pending
 * rows not already in flight, take a fresh `index_rev` (a value of the outbox's own sequence, so later
 * batches always carry a larger one), build the orders' documents as PostgreSQL has them now, and send
 * them: orders, deletions of orders gone, then pages. Meilisearch applies tasks in the order they came,
 * so a newer batch's documents land after an older batch's.
 */
export async function drainSearchOutbox(
  client: pg.PoolClient,
  deps: { db: pg.Pool; meili: Meilisearch },
  names: SearchIndexNames,
  options: OutboxDrainOptions = {},
): Promise<OutboxDrainResult> {
  const {
    firstRows = 100,
    maxRows = 5000,
    maxBytes = 4 * 2 ** 20,
    maxBatchesInFlight = 3,
    maxBatches = Number.POSITIVE_INFINITY,
    taskTimeoutMs = 600_000,
    beforeBatch,
    shouldStop,
  } = options;
  const inFlight: BatchInFlight[] = [];
  const result: OutboxDrainResult = { rows: 0, batches: 0, drained: false };

  const settleOldest = async () => {
    const batch = inFlight[0]!;
    await waitForSearchTasks(deps.meili, batch.tasks, taskTimeoutMs);
    await removeStaleDocuments(deps.meili, names, batch.orderIds, batch.indexRev, taskTimeoutMs);
    // Only the rows this batch read: a row written since (a newer edit) stays pending for a later batch.
    await client.query('UPDATE search_outbox SET processed_at = now() WHERE id = ANY($1::bigint[])', [
      batch.rowIds,
    ]);
    inFlight.shift();
    result.rows += batch.rowIds.length;
  };

  let limit = Math.max(1, Math.min(firstRows, maxRows));
  while (result.batches < maxBatches && !shouldStop?.()) {
    await beforeBatch?.();
    while (inFlight.length >= maxBatchesInFlight) await settleOldest();
    const { rows } = await client.query<{ id: string; order_id: string }>(
      `SELECT id, order_id FROM search_outbox
        WHERE processed_at IS NULL AND id <> ALL($1::bigint[]) ORDER BY id LIMIT $2`,
      [inFlight.flatMap((batch) => batch.rowIds), limit],
    );
    if (!rows.length) {
      if (!inFlight.length) {
        result.drained = true;
        break;
      }
      // Nothing new yet: wait for the oldest batch, while writers (an import) commit more, and look again.
      await settleOldest();
      continue;
    }
    const { rows: revRows } = await client.query<{ rev: string }>(
      `SELECT nextval(pg_get_serial_sequence('search_outbox', 'id')) AS rev`,
    );
    const indexRev = Number(revRows[0]!.rev);
    const orderIds = [...new Set(rows.map((row) => Number(row.order_id)))];
    const built = await buildSearchDocuments(deps.db, orderIds, indexRev);
    const orders = jsonChunks(built.orders, maxBytes);
    const pages = jsonChunks(built.pages, maxBytes);
    const tasks: EnqueuedTask[] = [];
    const ordersIndex = deps.meili.index(names.orders);
    for (const chunk of orders.chunks) {
      tasks.push(await ordersIndex.addDocumentsFromString(chunk, 'application/json'));
    }
    if (built.missing.length) {
      const ids = built.missing.flatMap((id) => [String(id), `${id}-unredacted`]);
      tasks.push(await ordersIndex.deleteDocuments(ids));
    }
    const pagesIndex = deps.meili.index(names.pages);
    for (const chunk of pages.chunks) {
      tasks.push(await pagesIndex.addDocumentsFromString(chunk, 'application/json'));
    }
    inFlight.push({ rowIds: rows.map((row) => Number(row.id)), orderIds, indexRev, tasks });
    result.batches++;
    // A full batch: the outbox is longer, so read more next time, as many as keep a batch near maxBytes.
    if (rows.length === limit) {
      const bytesPerRow = Math.max(1, (orders.bytes + pages.bytes) / rows.length);
      limit = Math.max(1, Math.min(maxRows, limit * 2, Math.floor(maxBytes / bytesPerRow)));
    }
  }
  if (shouldStop?.()) return result;
  while (inFlight.length) await settleOldest();
  return result;
}
