// `npm run ingest`: a folder or zip goes in, files become documents, and a second run skips them all.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, editor, fileOrder } from './support/apiClient.ts';
import { createTestApp } from './support/testApp.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CORPUS_RUSSIA_2019 = path.resolve(ROOT, '../shared/corpus/gov-takedowns/Russia/2019');
if (!existsSync(CORPUS_RUSSIA_2019)) {
  console.warn(
    `SKIPPING the corpus part of bulk ingest: ${CORPUS_RUSSIA_2019} is absent (a fresh clone has no ../shared)`,
  );
}

describe('bulk ingest', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let work: string;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    work = await mkdtemp(path.join(os.tmpdir(), 'takedown-bulk-'));
  });
  afterAll(async () => {
    await harness.close();
    await rm(work, { recursive: true, force: true });
  });

  const ingest = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/bulkIngestMain.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: harness.databaseUrl,
        DATA_DIR: harness.config.dataDir,
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
    });
  const count = async (sql: string) => (await harness.db.query<{ n: number }>(sql)).rows[0]!.n;

  it('puts a folder into one order, and skips everything on a second run', async () => {
    const folder = path.join(work, 'folder');
    await mkdir(path.join(folder, 'nested'), { recursive: true });
    await writeFile(path.join(folder, 'a.txt'), 'Требование Роскомнадзора № 1');
    await writeFile(path.join(folder, 'nested', 'b.txt'), 'Требование Роскомнадзора № 2');
    await writeFile(path.join(folder, '.DS_Store'), 'junk');
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const order = await fileOrder(harness.app, editor, { authority });

    const first = ingest([folder, '--order', order.id]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/2 files: 2 stored/);
    // Where to look when extraction fails later, in the worker.
    expect(first.stderr).toMatch(/GET \/api\/documents\?status=failed/);
    const story = (
      await harness.app.inject({ method: 'GET', url: `/api/orders/${order.id}`, headers: editor })
    ).json();
    expect(story.documents.map((d: { original_filename: string }) => d.original_filename).sort()).toEqual([
      'a.txt',
      'b.txt',
    ]);

    const second = ingest([folder, '--order', order.id]);
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(/2 files: 0 stored .* 2 skipped/);
    expect(second.stderr).not.toMatch(/status=failed/);
    expect(await count(`SELECT count(*)::int AS n FROM documents`)).toBe(2);
  });

  it('files each new file of a zip as its own draft order, following a manifest when given one', async () => {
    const zip = new JSZip();
    zip.file('notices/one.txt', 'Предписание один');
    zip.file('notices/two.txt', 'Предписание два');
    const zipPath = path.join(work, 'notices.zip');
    await writeFile(zipPath, await zip.generateAsync({ type: 'nodebuffer' }));
    const draftsBefore = await count(`SELECT count(*)::int AS n FROM orders WHERE draft`);
    const result = ingest([zipPath]);
    expect(result.status, result.stderr).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM orders WHERE draft`)).toBe(draftsBefore + 2);
    expect(ingest([zipPath]).stderr).toMatch(/0 stored .* 2 skipped/);

    const manifest = path.join(work, 'manifest.csv');
    await writeFile(manifest, 'path,order,role\nnotices/one.txt,TD-1999-00001,evidence\n');
    const unknownOrder = ingest([zipPath, '--manifest', manifest]);
    expect(unknownOrder.status).toBe(1);
    expect(unknownOrder.stderr).toMatch(/failed: notices\/one.txt: There is no order TD-1999-00001/);
    await writeFile(manifest, 'path,order\nnotices/one.txt,not-an-id\n');
    const badManifest = ingest([zipPath, '--manifest', manifest]);
    expect(badManifest.status).toBe(2);
    expect(badManifest.stderr).toMatch(/line 2: order must be a public id/);
  });

  it.skipIf(!existsSync(CORPUS_RUSSIA_2019))('ingests the real 2019 Roskomnadzor notices', async () => {
    const result = ingest([CORPUS_RUSSIA_2019]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/(\d+) files: \1 stored/);
  });
});
