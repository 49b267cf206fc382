// The transparency log as a reader meets it: every uploaded file has an entry and an inclusion proof into
// a signed checkpoint that verifies with the published key; checkpoints are consistent; hidden documents
// stay hidden; the database refuses to rewrite the log; documents from before the log get leaves once;
// and a file changed behind the archive's back is named by the integrity check.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocumentEntry } from '../../domain/transparencyLog/entry.ts';
import { leafHash, verifyConsistency, verifyInclusion } from '../../domain/transparencyLog/merkle.ts';
import { openNote, parseCheckpoint, parseVerifierKey } from '../../domain/transparencyLog/note.ts';
import { appendMissingLeaves } from '../../server/commands/logAppender.ts';
import { checkLogIntegrity } from '../../server/records/logIntegrityCheck.ts';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { multipartBody } from '../support/multipartBody.ts';
import * as independent from '../proof/independentVerifier.ts';
import { createTestApp } from '../support/testApp.ts';

let harness: Awaited<ReturnType<typeof createTestApp>>;
let outlet: Awaited<ReturnType<typeof createOutletWithToken>>;
let publicOrder: string;
let privateOrder: string;

async function upload(orderId: string, name: string, content: string): Promise<number> {
  const body = multipartBody([{ name: 'order', filename: name, content }]);
  const response = await harness.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/documents`,
    headers: { ...outlet.headers, ...body.headers },
    payload: body.payload,
  });
  if (response.statusCode !== 201) throw new Error(`upload: ${response.body}`);
  return response.json().documents[0].id as number;
}

const b64 = (hash: string) => Buffer.from(hash, 'base64');

beforeAll(async () => {
  harness = await createTestApp({
    ADMIN_TOKEN,
    PUBLIC_URL: 'https://archive.example/takedowns/',
    LOG_CHECKPOINT_SECONDS: '1',
  });
  outlet = await createOutletWithToken(harness.app, 'vlast-kz');
  const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  publicOrder = (await fileOrder(harness.app, outlet.headers, { authority, visibility: 'public' })).id;
  privateOrder = (await fileOrder(harness.app, outlet.headers, { authority, visibility: 'private' })).id;
});
afterAll(() => harness?.close());

describe('the transparency log', () => {
  it("proves an uploaded file's entry into a checkpoint signed by the published key", async () => {
    const content = 'Требование удалить материал № 17';
    const id = await upload(publicOrder, 'demand.txt', content);

    const keyResponse = await harness.app.inject({ url: '/api/log/key' });
    expect(keyResponse.statusCode).toBe(200);
    expect(keyResponse.headers['content-type']).toMatch(/^text\/plain/);
    expect(keyResponse.headers['cache-control']).toMatch(/public/);
    const key = parseVerifierKey(keyResponse.body);
    expect(key.name).toBe('archive.example/takedowns');

    const response = await harness.app.inject({ url: `/api/documents/${id}/proof` });
    expect(response.statusCode, response.body).toBe(200);
    const proof = response.json() as {
      entry: string;
      leaf_index: number;
      tree_size: number;
      inclusion: string[];
      checkpoint: string;
    };
    const entryBytes = Buffer.from(proof.entry, 'base64');
    const entry = parseDocumentEntry(entryBytes.toString('utf8'));
    expect(entry).toMatchObject({
      orderPublicId: publicOrder,
      documentId: id,
      sha256: createHash('sha256').update(content).digest('hex'),
      size: Buffer.byteLength(content),
    });
    const body = openNote(proof.checkpoint, key);
    expect(body).not.toBeNull();
    const checkpoint = parseCheckpoint(body!)!;
    expect(checkpoint.origin).toBe('archive.example/takedowns');
    expect(checkpoint.size).toBe(proof.tree_size);
    expect(
      verifyInclusion(
        proof.leaf_index,
        proof.tree_size,
        leafHash(entryBytes),
        proof.inclusion.map(b64),
        checkpoint.root,
      ),
    ).toBe(true);
    // The same proof does not fit another entry.
    const other = Buffer.from(entryBytes.toString('utf8').replace(/nonce [0-9a-f]/, 'nonce x'));
    expect(
      verifyInclusion(
        proof.leaf_index,
        proof.tree_size,
        leafHash(other),
        proof.inclusion.map(b64),
        checkpoint.root,
      ),
    ).toBe(false);
  });

  it('hands the same proof as a tlog-proof file that an independent verifier accepts for the file alone', async () => {
    const content = Buffer.from('Предписание № 18, как получено');
    const id = await upload(publicOrder, 'demand-18.txt', content.toString('utf8'));
    const key = independent.parseVerifierKey((await harness.app.inject({ url: '/api/log/key' })).body.trim());
    const response = await harness.app.inject({ url: `/api/documents/${id}/proof.tlog` });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body.startsWith('c2sp.org/tlog-proof@v1\nextra ')).toBe(true);
    const proof = independent.proofFromTlog(response.body);
    expect(independent.verifyDocument(content, proof, key)).toMatchObject({ index: expect.any(Number) });
    expect(() => independent.verifyDocument(Buffer.from('Предписание № 19'), proof, key)).toThrow();
    const hidden = await upload(privateOrder, 'hidden-18.txt', 'hidden');
    expect((await harness.app.inject({ url: `/api/documents/${hidden}/proof.tlog` })).statusCode).toBe(404);
  });

  it('serves the latest checkpoint as plain text, and every published one for monitors, consistent', async () => {
    const key = parseVerifierKey((await harness.app.inject({ url: '/api/log/key' })).body);
    for (let i = 0; i < 3; i += 1) {
      await upload(publicOrder, `more-${i}.txt`, `another demand ${i}`);
      await harness.app.transparencyLog.checkpoint();
    }
    const latest = await harness.app.inject({ url: '/api/log/checkpoint' });
    expect(latest.statusCode).toBe(200);
    expect(latest.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(latest.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const latestCheckpoint = parseCheckpoint(openNote(latest.body, key)!)!;

    const seen: Array<{ tree_size: number; root_hash: string; checkpoint: string }> = [];
    let after: number | null = -1;
    while (after !== null) {
      const response = await harness.app.inject({ url: `/api/log/checkpoints?after=${after}&limit=2` });
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { items: typeof seen; next_after: number | null };
      seen.push(...page.items);
      after = page.next_after;
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.at(-1)!.tree_size).toBe(latestCheckpoint.size);
    for (let i = 1; i < seen.length; i += 1) {
      const [from, to] = [seen[i - 1]!, seen[i]!];
      expect(to.tree_size).toBeGreaterThan(from.tree_size);
      expect(parseCheckpoint(openNote(to.checkpoint, key)!)!.root).toEqual(b64(to.root_hash));
      const response = await harness.app.inject({
        url: `/api/log/consistency?from=${from.tree_size}&to=${to.tree_size}`,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['cache-control']).toMatch(/immutable/);
      const { proof } = response.json() as { proof: string[] };
      expect(
        verifyConsistency(
          from.tree_size,
          to.tree_size,
          b64(from.root_hash),
          b64(to.root_hash),
          proof.map(b64),
        ),
      ).toBe(true);
    }
  });

  it('refuses consistency between sizes it never published, and a backwards pair', async () => {
    const latest = (await harness.app.transparencyLog.checkpoint()).tree_size;
    await upload(publicOrder, 'unpublished.txt', 'not yet in a checkpoint');
    const unpublished = latest + 1;
    for (const query of [
      `from=1&to=${unpublished}`,
      `from=${latest}&to=${latest + 7}`,
      `from=${latest}&to=0`,
    ]) {
      const response = await harness.app.inject({ url: `/api/log/consistency?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code).toBe('invalid_input');
    }
  });

  it("answers a hidden document's proof with 404, as the document itself", async () => {
    const id = await upload(privateOrder, 'private.txt', 'a private demand');
    const anonymous = await harness.app.inject({ url: `/api/documents/${id}/proof` });
    expect(anonymous.statusCode).toBe(404);
    expect((await harness.app.inject({ url: `/api/documents/${id}` })).statusCode).toBe(404);
    const own = await harness.app.inject({ url: `/api/documents/${id}/proof`, headers: outlet.headers });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.headers['cache-control']).toMatch(/^private/);
  });

  it('cannot be rewritten, even by SQL', async () => {
    for (const sql of [
      'UPDATE log_leaves SET entry = entry',
      'DELETE FROM log_leaves',
      'UPDATE log_nodes SET hash = hash',
      'DELETE FROM log_checkpoints',
      'TRUNCATE log_leaves',
      'UPDATE log_head SET size = 0',
    ]) {
      await expect(harness.db.query(sql), sql).rejects.toThrow(/append-only|only grows/);
    }
  });

  it('gives documents from before the log their leaves, once, in id order', async () => {
    const { rows: order } = await harness.db.query<{ id: number }>(
      'SELECT id FROM orders WHERE public_id = $1',
      [publicOrder],
    );
    const sha = createHash('sha256').update('old').digest('hex');
    await harness.db.query('INSERT INTO blobs (sha256, size) VALUES ($1, 3) ON CONFLICT DO NOTHING', [sha]);
    await mkdir(path.dirname(harness.blobs.pathOf(sha)), { recursive: true });
    await writeFile(harness.blobs.pathOf(sha), 'old');
    const { rows } = await harness.db.query<{ id: number }>(
      `INSERT INTO documents (order_id, sha256, size, role, ocr_languages, parent_document_id)
       SELECT $1, $2, 3, 'evidence', 'rus', d FROM (VALUES (NULL::bigint)) v(d) RETURNING id`,
      [order[0]!.id, sha],
    );
    expect(await appendMissingLeaves(harness.db)).toBe(1);
    expect(await appendMissingLeaves(harness.db)).toBe(0);
    const leaf = await harness.db.query('SELECT leaf_index FROM log_leaves WHERE document_id = $1', [
      rows[0]!.id,
    ]);
    expect(leaf.rowCount).toBe(1);
  });
});

describe('the integrity check', () => {
  it('passes on an untouched archive, and names the document whose stored bytes changed', async () => {
    const clean = await checkLogIntegrity({ db: harness.db, blobs: harness.blobs });
    expect(clean.problems).toEqual([]);
    expect(clean.leavesChecked).toBeGreaterThan(0);

    const content = 'a demand someone will alter on disk';
    const id = await upload(publicOrder, 'altered.txt', content);
    await harness.app.transparencyLog.checkpoint();
    const sha = createHash('sha256').update(content).digest('hex');
    await writeFile(harness.blobs.pathOf(sha), 'a demand someone has altered on disk');

    const report = await checkLogIntegrity({ db: harness.db, blobs: harness.blobs });
    expect(report.problems).toEqual([
      expect.objectContaining({ documentId: id, problem: expect.stringMatching(/no longer match/) }),
    ]);
  });
});
