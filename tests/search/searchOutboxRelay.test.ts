// The relay from PostgreSQL to Meilisearch: writes never wait for Meilisearch, nothing is lost while it is
// away, a failed Meilisearch task leaves the outbox pending, and an edit made while a batch is in flight
// is indexed by the next batch instead of being marked done.
import net from 'node:net';
import type { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import { createMeiliClient } from '../../server/indexing/meiliClient.ts';
import { ensureSearchIndexes, searchIndexNames } from '../../server/indexing/searchIndexes.ts';
import { relayOutboxBatch, startSearchOutboxRelay } from '../../server/indexing/searchOutboxRelay.ts';
import { SearchTaskFailedError } from '../../server/indexing/searchTasks.ts';
import { ADMIN_TOKEN, authorityByAlias, editor, fileOrder } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { changeOrder, ids, search, uploadFiles, waitUntilSearchable } from './searchTestHelpers.ts';

/** A TCP proxy to Meilisearch that can be switched off (connections refused) and on again. */
async function switchableProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const down = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    down,
    up: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: down,
  };
}

/** The same client, with a hook run just before documents are sent to an index. */
function withHookBeforeSend(meili: Meilisearch, beforeSend: () => Promise<void>): Meilisearch {
  return new Proxy(meili, {
    get(target, property) {
      if (property === 'index') {
        return (uid: string) => {
          const index = target.index(uid);
          return new Proxy(index, {
            get(indexTarget, name) {
              const value = Reflect.get(indexTarget, name, indexTarget) as unknown;
              if (name === 'addDocuments' || name === 'addDocumentsFromString') {
                return async (...args: unknown[]) => {
                  await beforeSend();
                  return (value as (...args: unknown[]) => unknown).apply(indexTarget, args);
                };
              }
              return typeof value === 'function' ? value.bind(indexTarget) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('search outbox relay', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let authority: string;
  const pending = async () =>
    (
      await harness.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM search_outbox WHERE processed_at IS NULL',
      )
    ).rows[0]!.n;

  /** A relay on the test's Meilisearch that looks for work every 50 ms. */
  const startQuickRelay = () =>
    startSearchOutboxRelay(
      {
        db: harness.db,
        meili: harness.meili,
        config: harness.config,
        logger: createLogger({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json' }),
      },
      { idleMs: 50 },
    );

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
    authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  });
  afterAll(() => harness.close());

  it('keeps taking orders and files while Meilisearch is unreachable, and catches up when it returns', async () => {
    const proxy = await switchableProxy(new URL(inject('meiliUrl')));
    const logger = createLogger({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json' });
    const relay = startSearchOutboxRelay(
      {
        db: harness.db,
        meili: createMeiliClient(proxy.url, inject('meiliKey')),
        config: harness.config,
        logger,
      },
      { idleMs: 50, minBackoffMs: 100, maxBackoffMs: 400 },
    );
    try {
      const before = (
        await fileOrder(harness.app, editor, {
          authority,
          visibility: 'public',
          summary: 'before the outage',
        })
      ).id;
      await waitUntilSearchable(harness);
      expect(ids(await search(harness.app, { q: 'outage' }))).toEqual([before]);

      await proxy.down();
      const during = (
        await fileOrder(harness.app, editor, {
          authority,
          visibility: 'public',
          summary: 'filed during the outage',
        })
      ).id;
      await uploadFiles(harness.app, editor, during, [
        {
          name: 'order',
          filename: 'outage.txt',
          content: 'A notice uploaded while the index was away: nightjar.',
        },
      ]);
      await changeOrder(harness.app, editor, before, { summary: 'changed during the outage, kestrel' });
      // Extraction runs; the relay fails and keeps the work.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await pending()).toBeGreaterThan(0);
      expect((await search(harness.app, { q: 'nightjar' })).total).toBe(0);

      await proxy.up();
      await waitUntilSearchable(harness, 30_000);
      expect(ids(await search(harness.app, { q: 'nightjar' }))).toEqual([during]);
      expect(ids(await search(harness.app, { q: 'kestrel' }))).toEqual([before]);
    } finally {
      await relay.stop();
      await proxy.close();
    }
  });

  it('marks done only the rows it read: an edit during a batch stays pending and lands next', async () => {
    const names = searchIndexNames(harness.config.MEILI_INDEX_PREFIX);
    const order = (
      await fileOrder(harness.app, editor, { authority, visibility: 'public', summary: 'first wording' })
    ).id;
    let edited = false;
    const editWhileSending = withHookBeforeSend(harness.meili, async () => {
      if (edited) return;
      edited = true;
      await changeOrder(harness.app, editor, order, { summary: 'second wording, albatross' });
    });
    expect(await relayOutboxBatch({ db: harness.db, meili: editWhileSending }, names, 100)).toBe(1);
    expect(edited).toBe(true);
    // The batch indexed what it read; the edit's own outbox row is still pending.
    expect(await pending()).toBe(1);
    expect((await search(harness.app, { q: 'albatross' })).total).toBe(0);
    expect(await relayOutboxBatch({ db: harness.db, meili: harness.meili }, names, 100)).toBe(1);
    expect(ids(await search(harness.app, { q: 'albatross' }))).toEqual([order]);
  });

  it('deletes an order that no longer exists, with its pages', async () => {
    const names = searchIndexNames(harness.config.MEILI_INDEX_PREFIX);
    const order = (await fileOrder(harness.app, editor, { authority, visibility: 'public' })).id;
    await uploadFiles(harness.app, editor, order, [
      { name: 'order', filename: 'gone.txt', content: 'This notice will be deleted: pangolin.' },
    ]);
    const relay = startQuickRelay();
    try {
      await waitUntilSearchable(harness);
      expect((await search(harness.app, { q: 'pangolin' }, {}, '/api/search/pages')).total).toBe(1);
      // No delete command exists yet: delete it as one would, in one transaction with its outbox row.
      await harness.db.query(
        `WITH gone AS (DELETE FROM orders WHERE public_id = $1 RETURNING id)
         INSERT INTO search_outbox (order_id) SELECT id FROM gone`,
        [order],
      );
      await waitUntilSearchable(harness);
    } finally {
      await relay.stop();
    }
    expect((await search(harness.app, { q: 'pangolin' })).total).toBe(0);
    expect((await search(harness.app, { q: 'pangolin' }, {}, '/api/search/pages')).total).toBe(0);
    expect((await harness.meili.index(names.pages).search('pangolin')).hits).toEqual([]);
  });

  it('removes the pages a document no longer has, asking Meilisearch to delete only when there are some', async () => {
    const names = searchIndexNames(harness.config.MEILI_INDEX_PREFIX);
    const order = (await fileOrder(harness.app, editor, { authority, visibility: 'public' })).id;
    await uploadFiles(harness.app, editor, order, [
      { name: 'order', filename: 'pages.txt', content: 'The first page of this notice names an okapi.' },
    ]);
    const pagesFound = async (word: string) =>
      (await search(harness.app, { q: word }, {}, '/api/search/pages')).total;
    const deletionTasks = async () =>
      (await harness.meili.tasks.getTasks({ indexUids: [names.pages], types: ['documentDeletion'] })).total;
    const { rows } = await harness.db.query<{ document_id: number; order_id: number }>(
      `SELECT d.id AS document_id, o.id AS order_id FROM documents d JOIN orders o ON o.id = d.order_id
        WHERE o.public_id = $1`,
      [order],
    );
    const { document_id: documentId, order_id: orderId } = rows[0]!;
    const relay = startQuickRelay();
    try {
      await waitUntilSearchable(harness);
      const deletionsBefore = await deletionTasks();
      // Read again, the document has three pages: nothing indexed before is out of date.
      await harness.db.query(
        `INSERT INTO document_pages (document_id, number, text, method)
         VALUES ($1, 2, 'The second page names a quokka.', 'text-layer'),
                ($1, 3, 'The third page names a wombat.', 'text-layer')`,
        [documentId],
      );
      await harness.db.query('INSERT INTO search_outbox (order_id) VALUES ($1)', [orderId]);
      await waitUntilSearchable(harness);
      expect([await pagesFound('okapi'), await pagesFound('quokka'), await pagesFound('wombat')]).toEqual([
        1, 1, 1,
      ]);
      expect(await deletionTasks()).toBe(deletionsBefore);

      // Read once more, it has one page: the other two leave the index.
      await harness.db.query('DELETE FROM document_pages WHERE document_id = $1 AND number > 1', [
        documentId,
      ]);
      await harness.db.query('INSERT INTO search_outbox (order_id) VALUES ($1)', [orderId]);
      await waitUntilSearchable(harness);
      expect([await pagesFound('okapi'), await pagesFound('quokka'), await pagesFound('wombat')]).toEqual([
        1, 0, 0,
      ]);
      expect(await deletionTasks()).toBe(deletionsBefore + 1);
    } finally {
      await relay.stop();
    }
  });

  it('indexes a committed write when PostgreSQL tells it to, and listens again after losing the connection', async () => {
    const relay = startSearchOutboxRelay(
      {
        db: harness.db,
        meili: harness.meili,
        config: harness.config,
        logger: createLogger({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json' }),
      },
      // It would poll only once a minute.
      { idleMs: 60_000, quietMs: 50 },
    );
    const listeners = async () =>
      (
        await harness.db.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND query = 'LISTEN search_outbox'`,
        )
      ).rows.map((row) => row.pid);
    const waitForListener = async (other?: number) => {
      for (let tries = 0; tries < 300; tries++) {
        const found = (await listeners()).filter((pid) => pid !== other);
        if (found.length) return found[0]!;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the relay is not listening for search outbox notices');
    };
    const fileAndFind = async (animal: string) => {
      const order = (
        await fileOrder(harness.app, editor, {
          authority,
          visibility: 'public',
          summary: `A notice about a ${animal}.`,
        })
      ).id;
      await waitUntilSearchable(harness, 20_000);
      expect(ids(await search(harness.app, { q: animal }))).toEqual([order]);
      await new Promise((resolve) => setTimeout(resolve, 300));
    };
    try {
      const first = await waitForListener();
      // The first order may go out with the relay's first batch (it checks the index settings first); the
      // relay then waits for notices. The second order can only be sent because of one.
      await fileAndFind('narwhal');
      await fileAndFind('axolotl');
      // PostgreSQL drops the listening connection: the relay listens again on a new one.
      await harness.db.query('SELECT pg_terminate_backend($1)', [first]);
      await waitForListener(first);
      await fileAndFind('capybara');
    } finally {
      await relay.stop();
    }
    expect(await listeners()).toEqual([]);
  }, 60_000);

  it('leaves the outbox pending when Meilisearch refuses a task', async () => {
    const names = searchIndexNames(`${harness.config.MEILI_INDEX_PREFIX}broken_`);
    // A pages index whose primary key no page document has: Meilisearch fails the addition task.
    await harness.meili.createIndex(names.pages, { primaryKey: 'missing_key' }).waitTask();
    await ensureSearchIndexes(harness.meili, names, {});
    const order = (await fileOrder(harness.app, editor, { authority, visibility: 'public' })).id;
    await uploadFiles(harness.app, editor, order, [
      { name: 'order', filename: 'refused.txt', content: 'Meilisearch will refuse this page.' },
    ]);
    await waitUntilSearchable(harness, 60_000, false);
    const before = await pending();
    expect(before).toBeGreaterThan(0);
    await expect(relayOutboxBatch({ db: harness.db, meili: harness.meili }, names, 1000)).rejects.toThrow(
      SearchTaskFailedError,
    );
    expect(await pending()).toBe(before);
    await harness.db.query('UPDATE search_outbox SET processed_at = now() WHERE processed_at IS NULL');
  });
});
