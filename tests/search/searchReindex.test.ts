// Rebuilding the search indexes from PostgreSQL while people search: the old index answers until the
// new one is complete, no search fails or comes back short, and an edit made during the rebuild survives.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rebuildSearchIndexes } from '../../server/indexing/searchIndexRebuilder.ts';
import { ADMIN_TOKEN, authorityByAlias, editor, fileOrder } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { changeOrder, get, ids, search, uploadFiles, waitUntilSearchable } from './searchTestHelpers.ts';

const ORDERS = 40;

describe('reindex', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  const filed: string[] = [];

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    for (let i = 0; i < ORDERS; i++) {
      const { id } = await fileOrder(harness.app, editor, {
        authority,
        visibility: 'public',
        legal_basis: [i % 2 ? 'RU/149-FZ/15.3' : 'RU/149-FZ/15.1'],
        summary: `Demand number ${i} about the heron report`,
      });
      filed.push(id);
      if (i < 5) {
        await uploadFiles(harness.app, editor, id, [
          { name: 'order', filename: `notice-${i}.txt`, content: `Notice ${i}: the heron report must go.` },
        ]);
      }
    }
    await waitUntilSearchable(harness);
  });
  afterAll(() => harness.close());

  /** Searches in a loop until stopped; every answer must be complete. */
  function searchLoad() {
    let running = true;
    const problems: string[] = [];
    let searches = 0;
    const loop = async () => {
      while (running) {
        const response = await get(harness.app, '/api/search?q=heron&per_page=5');
        searches++;
        if (response.statusCode !== 200) problems.push(`${response.statusCode} ${response.body}`);
        else if (response.json().total !== ORDERS) problems.push(`total ${response.json().total}`);
        const pages = await get(harness.app, '/api/search/pages?q=heron');
        if (pages.statusCode !== 200 || pages.json().total !== 5)
          problems.push(`pages ${pages.body.slice(0, 200)}`);
      }
    };
    const loops = [loop(), loop()];
    return {
      stop: async () => {
        running = false;
        await Promise.all(loops);
        return { problems, searches };
      },
    };
  }

  it('swaps in fresh indexes with no failed or short search, keeping an edit made meanwhile', async () => {
    const load = searchLoad();
    const stages: string[] = [];
    const result = await rebuildSearchIndexes(harness, {
      batchSize: 7,
      onProgress: async (progress) => {
        stages.push(progress.stage);
        if (progress.stage === 'sent') {
          // Committed after the rebuild's snapshot: the relay writes it to the old index only.
          await changeOrder(harness.app, editor, filed[3]!, {
            summary: 'Demand about the heron report, now cormorant',
          });
          await waitUntilSearchable(harness);
        }
      },
    });
    const { problems, searches } = await load.stop();
    expect(problems).toEqual([]);
    expect(searches).toBeGreaterThan(5);
    expect(result).toMatchObject({ orders: ORDERS, pages: 5 });
    expect(result.requeued).toBeGreaterThanOrEqual(1);
    expect(stages).toEqual(expect.arrayContaining(['prepared', 'indexing', 'sent', 'swapped', 'requeued']));

    await waitUntilSearchable(harness);
    expect(ids(await search(harness.app, { q: 'cormorant' }))).toEqual([filed[3]]);
    const uids = (await harness.meili.getRawIndexes({ limit: 1000 })).results
      .map((index) => index.uid)
      .filter((uid) => uid.startsWith(harness.config.MEILI_INDEX_PREFIX))
      .sort();
    expect(uids).toEqual([
      `${harness.config.MEILI_INDEX_PREFIX}orders`,
      `${harness.config.MEILI_INDEX_PREFIX}pages`,
    ]);
  });

  it('runs as `npm run reindex` (server/reindexMain.ts) against a running archive, under search load', async () => {
    const load = searchLoad();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'server/reindexMain.ts'],
      {
        env: {
          ...process.env,
          DATABASE_URL: harness.databaseUrl,
          MEILI_URL: inject('meiliUrl'),
          MEILI_MASTER_KEY: inject('meiliKey'),
          MEILI_INDEX_PREFIX: harness.config.MEILI_INDEX_PREFIX,
          DATA_DIR: harness.config.dataDir,
          LOG_LEVEL: 'warn',
        },
        timeout: 120_000,
      },
    );
    const { problems } = await load.stop();
    expect(problems).toEqual([]);
    expect(stdout).toMatch(/reindex: \[[\d.]+ s\] 40 \/ 40 orders \(100%\), 5 pages sent/);
    expect(stdout).toMatch(/fresh indexes swapped in atomically/);
    expect(stdout).toMatch(/done in [\d.]+ s: 40 orders, 5 pages/);
    expect((await search(harness.app, { q: 'heron' })).total).toBe(ORDERS);
  });
});
