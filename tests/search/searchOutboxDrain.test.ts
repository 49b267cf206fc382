// Draining a long search outbox: large batches, several in flight, and still nothing lost — a batch
// Meilisearch refuses stays pending and goes out on the next drain, and an order changed while its batch
// is in flight goes out again without the older batch deleting the newer one's pages.
import type { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorCaller } from '../../server/auth/caller.ts';
import { importRegistryBatch, type RegistryDecision } from '../../server/commands/registryBatchImporter.ts';
import { withTransaction } from '../../server/database/transaction.ts';
import { canonicalizeUrl } from '../../domain/canonicalUrl.ts';
import {
  ensureSearchIndexes,
  readAuthoritySynonyms,
  searchIndexNames,
} from '../../server/indexing/searchIndexes.ts';
import { drainOutboxLocked } from '../../server/indexing/searchOutboxRelay.ts';
import { SearchTaskFailedError } from '../../server/indexing/searchTasks.ts';
import { ADMIN_TOKEN, authorityByAlias, editor, fileOrder } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { changeOrder, ids, search, uploadFiles, waitUntilSearchable } from './searchTestHelpers.ts';

/** The same client, with `onSend(n)` run before its n-th request to add documents (n from 1) to `uid`. */
function withSendHook(
  meili: Meilisearch,
  uid: string,
  onSend: (call: number, documents: string) => Promise<string>,
): Meilisearch {
  let calls = 0;
  return new Proxy(meili, {
    get(target, property) {
      if (property !== 'index') {
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (name: string) => {
        const index = target.index(name);
        return new Proxy(index, {
          get(indexTarget, method) {
            const value = Reflect.get(indexTarget, method, indexTarget) as unknown;
            if (method === 'addDocumentsFromString' && name === uid) {
              return async (documents: string, ...rest: unknown[]) =>
                (value as (...args: unknown[]) => unknown).apply(indexTarget, [
                  await onSend(++calls, documents),
                  ...rest,
                ]);
            }
            return typeof value === 'function' ? value.bind(indexTarget) : value;
          },
        });
      };
    },
  });
}

describe('search outbox drain', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let names: ReturnType<typeof searchIndexNames>;
  let authorityId: number;
  const pending = async () =>
    (
      await harness.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM search_outbox WHERE processed_at IS NULL',
      )
    ).rows[0]!.n;
  const additionTasks = async () =>
    (
      await harness.meili.tasks.getTasks({
        indexUids: [names.orders],
        types: ['documentAdditionOrUpdate'],
        limit: 1,
      })
    ).total;

  /** `count` registry decisions, one domain each (`<prefix><n>.example`), written as an import writes them. */
  const importDecisions = async (prefix: string, count: number) => {
    const decisions: RegistryDecision[] = Array.from({ length: count }, (_, n) => {
      const url = canonicalizeUrl(`http://${prefix}${n}.example/`);
      return {
        key: `${prefix}|${n}|2024-01-01`,
        authorityId,
        decisionNumber: `${prefix}-${n}`,
        decisionDate: '2024-01-01',
        targets: [{ kind: 'domain', ...url, wildcard: false }],
      };
    });
    await withTransaction(harness.db, (client) =>
      importRegistryBatch(client, operatorCaller('drain-test'), { asOf: '2024-01-02', decisions }),
    );
  };
  const findDomain = async (domain: string) => (await search(harness.app, { q: domain })).total;

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
    names = searchIndexNames(harness.config.MEILI_INDEX_PREFIX);
    const slug = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const { rows } = await harness.db.query<{ id: string }>('SELECT id FROM authorities WHERE slug = $1', [
      slug,
    ]);
    authorityId = Number(rows[0]!.id);
    // What the relay does before its first batch.
    await ensureSearchIndexes(harness.meili, names, (await readAuthoritySynonyms(harness.db)).synonyms);
  });
  afterAll(() => harness.close());

  it('sends a long outbox in a few batches that grow, and every order becomes searchable', async () => {
    await importDecisions('longoutbox', 1500);
    const tasksBefore = await additionTasks();
    const result = await drainOutboxLocked(harness, names, { firstRows: 100, maxRows: 1000 });
    // 100, 200, 400, 800 rows: four batches where a relay of 100 rows a batch would send fifteen.
    expect(result).toMatchObject({ rows: 1500, batches: 4, drained: true });
    expect((await additionTasks()) - tasksBefore).toBe(4);
    expect(await pending()).toBe(0);
    expect(await findDomain('longoutbox0.example')).toBe(1);
    expect(await findDomain('longoutbox1499.example')).toBe(1);
  });

  it('leaves a batch Meilisearch refuses (and the batches behind it) pending, and sends them next time', async () => {
    await importDecisions('refused', 600);
    // The second batch (rows 101–300) carries a document Meilisearch refuses: its task fails.
    const refusing = withSendHook(harness.meili, names.orders, async (call, documents) =>
      call === 2 ? JSON.stringify([{ id: 'not a valid id!' }]) : documents,
    );
    await expect(
      drainOutboxLocked({ db: harness.db, meili: refusing }, names, { firstRows: 100, maxRows: 1000 }),
    ).rejects.toThrow(SearchTaskFailedError);
    expect(await pending()).toBeGreaterThanOrEqual(500);
    expect(await findDomain('refused150.example')).toBe(0);

    expect((await drainOutboxLocked(harness, names)).drained).toBe(true);
    expect(await pending()).toBe(0);
    for (const n of [0, 150, 599]) expect(await findDomain(`refused${n}.example`)).toBe(1);
  });

  it('sends an order changed while its batch is in flight again, keeping the newer batch’s pages', async () => {
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const order = (
      await fileOrder(harness.app, editor, { authority, visibility: 'public', summary: 'first wording' })
    ).id;
    await uploadFiles(harness.app, editor, order, [
      { name: 'order', filename: 'inflight.txt', content: 'A notice whose page names a pangolin.' },
    ]);
    await waitUntilSearchable(harness, 60_000, false);
    let edited = false;
    const editWhileSending = withSendHook(harness.meili, names.orders, async (_call, documents) => {
      if (!edited) {
        edited = true;
        await changeOrder(harness.app, editor, order, { summary: 'second wording, albatross' });
      }
      return documents;
    });
    const result = await drainOutboxLocked({ db: harness.db, meili: editWhileSending }, names);
    expect(edited).toBe(true);
    // The edit's row was read by a later batch of the same drain, sent while the first was in flight.
    expect(result.batches).toBeGreaterThanOrEqual(2);
    expect(await pending()).toBe(0);
    expect(ids(await search(harness.app, { q: 'albatross' }))).toEqual([order]);
    expect((await search(harness.app, { q: 'pangolin' }, {}, '/api/search/pages')).total).toBe(1);
  });
});
