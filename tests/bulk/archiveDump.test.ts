// `npm run export -- DIR` (server/bulk/archiveDump.ts): the dump holds exactly what the public export
// holds, and its manifest's counts and sha256s describe the files written.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DUMP_FILES, writeArchiveDump } from '../../server/bulk/archiveDump.ts';
import { ADMIN_TOKEN, bearer } from '../support/apiClient.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
let directory: string;

beforeAll(async () => {
  ctx = await createTestApp({ ADMIN_TOKEN });
  directory = await mkdtemp(path.join(os.tmpdir(), 'archive-dump-'));
  await ctx.db.query(
    `INSERT INTO orders (public_id, authority_id, issued_on, visibility, summary)
     SELECT 'TD-2024-' || lpad(n::text, 5, '0'), (SELECT min(id) FROM authorities), date '2024-01-01' + n,
            CASE WHEN n % 5 = 0 THEN 'private' ELSE 'public' END, 'dump order ' || n
       FROM generate_series(1, 1200) AS n`,
  );
  await ctx.db.query(
    `INSERT INTO responses (order_id, kind) SELECT id, 'silence' FROM orders WHERE id % 3 = 0`,
  );
});

afterAll(async () => {
  await ctx?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

it('writes the public export as JSON lines and CSV, with a manifest that checks them', async () => {
  // A document in the log, so the dump's checkpoint is one a document's proof leads to.
  const { rows: orders } = await ctx.db.query<{ public_id: string }>(
    `SELECT public_id FROM orders WHERE visibility = 'public' ORDER BY id LIMIT 1`,
  );
  const body = multipartBody([
    {
      name: 'order',
      filename: 'demand.txt',
      contentType: 'text/plain',
      content: 'Требование удалить статью.',
    },
  ]);
  const upload = await ctx.app.inject({
    method: 'POST',
    url: `/api/orders/${orders[0]!.public_id}/documents`,
    payload: body.payload,
    headers: { ...bearer(ADMIN_TOKEN), ...body.headers },
  });
  expect(upload.statusCode, upload.body).toBe(201);
  await ctx.app.transparencyLog.checkpoint();
  const manifest = await writeArchiveDump(ctx.db, directory);
  const jsonl = await readFile(path.join(directory, DUMP_FILES.jsonl));
  const csv = await readFile(path.join(directory, DUMP_FILES.csv));
  expect(jsonl.toString()).toBe((await ctx.app.inject({ method: 'GET', url: '/api/export.jsonl' })).body);
  expect(csv.toString()).toBe((await ctx.app.inject({ method: 'GET', url: '/api/export.csv' })).body);
  const { rows } = await ctx.db.query<{ orders: number; responses: number }>(
    `SELECT count(*)::int AS orders, (SELECT count(*)::int FROM responses r JOIN orders o ON o.id = r.order_id
                                       WHERE o.visibility = 'public') AS responses
       FROM orders WHERE visibility = 'public'`,
  );
  expect(manifest.counts).toMatchObject({ orders: rows[0]!.orders, responses: rows[0]!.responses });
  expect(manifest.counts.orders).toBe(960);
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  expect(manifest.files).toEqual([
    { name: DUMP_FILES.jsonl, bytes: jsonl.length, sha256: sha256(jsonl) },
    { name: DUMP_FILES.csv, bytes: csv.length, sha256: sha256(csv) },
  ]);
  // The log's latest signed checkpoint, exactly as the archive serves it.
  const served = (await ctx.app.inject({ method: 'GET', url: '/api/log/checkpoint' })).body;
  expect(manifest.transparency_checkpoint?.note).toBe(served);
  expect(manifest.transparency_checkpoint?.tree_size).toBeGreaterThanOrEqual(1);
  expect(served).toContain(`\n${manifest.transparency_checkpoint?.tree_size}\n`);
  const written = JSON.parse(await readFile(path.join(directory, DUMP_FILES.manifest), 'utf8'));
  expect(written).toEqual(manifest);
});
