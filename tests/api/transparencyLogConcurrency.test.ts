// Many uploads at once through the HTTP app: every file gets exactly one leaf, every leaf's proof verifies
// against the latest checkpoint, and every checkpoint signed meanwhile is consistent with the one before.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocumentEntry } from '../../domain/transparencyLog/entry.ts';
import { leafHash, verifyConsistency, verifyInclusion } from '../../domain/transparencyLog/merkle.ts';
import { openNote, parseCheckpoint, parseVerifierKey } from '../../domain/transparencyLog/note.ts';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';

const UPLOADS = 1000;
const ORDERS = 20;

let harness: Awaited<ReturnType<typeof createTestApp>>;
const b64 = (hash: string) => Buffer.from(hash, 'base64');

beforeAll(async () => {
  harness = await createTestApp({ ADMIN_TOKEN, LOG_CHECKPOINT_SECONDS: '1' });
});
afterAll(() => harness?.close());

describe(`${UPLOADS} concurrent uploads`, () => {
  it('give as many leaves, each proven in the latest checkpoint, and consistent checkpoints', async () => {
    const outlet = await createOutletWithToken(harness.app, 'vlast-kz');
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const orders: string[] = [];
    for (let i = 0; i < ORDERS; i += 1) {
      orders.push((await fileOrder(harness.app, outlet.headers, { authority, visibility: 'public' })).id);
    }
    const contents = Array.from({ length: UPLOADS }, (_, i) => `concurrent demand ${i}\n`);
    const ids = await Promise.all(
      contents.map(async (content, i) => {
        const body = multipartBody([{ name: 'order', filename: `d${i}.txt`, content }]);
        const response = await harness.app.inject({
          method: 'POST',
          url: `/api/orders/${orders[i % ORDERS]}/documents`,
          headers: { ...outlet.headers, ...body.headers },
          payload: body.payload,
        });
        expect(response.statusCode, response.body).toBe(201);
        return response.json().documents[0].id as number;
      }),
    );

    const { rows } = await harness.db.query<{ leaves: number; documents: number; last: number }>(
      `SELECT (SELECT count(*) FROM log_leaves)::int AS leaves, (SELECT count(*) FROM documents)::int AS documents,
              (SELECT max(leaf_index) FROM log_leaves)::int AS last`,
    );
    expect(rows[0]).toEqual({ leaves: UPLOADS, documents: UPLOADS, last: UPLOADS - 1 });

    const latest = await harness.app.transparencyLog.checkpoint();
    expect(latest.tree_size).toBe(UPLOADS);
    const key = parseVerifierKey((await harness.app.inject({ url: '/api/log/key' })).body);
    const root = parseCheckpoint(openNote(latest.note, key)!)!.root;
    const leafIndexes = new Set<number>();
    const proveAll = ids.map(async (id, i) => {
      const response = await harness.app.inject({ url: `/api/documents/${id}/proof` });
      expect(response.statusCode).toBe(200);
      const proof = response.json() as {
        entry: string;
        leaf_index: number;
        tree_size: number;
        inclusion: string[];
      };
      expect(proof.tree_size).toBe(UPLOADS);
      const entry = Buffer.from(proof.entry, 'base64');
      expect(parseDocumentEntry(entry.toString('utf8'))?.sha256).toBe(
        createHash('sha256').update(contents[i]!).digest('hex'),
      );
      expect(
        verifyInclusion(proof.leaf_index, UPLOADS, leafHash(entry), proof.inclusion.map(b64), root),
      ).toBe(true);
      leafIndexes.add(proof.leaf_index);
    });
    await Promise.all(proveAll);
    expect(leafIndexes.size).toBe(UPLOADS);

    const list = await harness.app.inject({ url: '/api/log/checkpoints?limit=1000' });
    const checkpoints = list.json().items as Array<{ tree_size: number; root_hash: string }>;
    expect(checkpoints.at(-1)!.tree_size).toBe(UPLOADS);
    for (let i = 1; i < checkpoints.length; i += 1) {
      const [from, to] = [checkpoints[i - 1]!, checkpoints[i]!];
      const response = await harness.app.inject({
        url: `/api/log/consistency?from=${from.tree_size}&to=${to.tree_size}`,
      });
      const { proof } = response.json() as { proof: string[] };
      expect(
        verifyConsistency(
          from.tree_size,
          to.tree_size,
          b64(from.root_hash),
          b64(to.root_hash),
          proof.map(b64),
        ),
        `${from.tree_size} → ${to.tree_size}`,
      ).toBe(true);
    }
  }, 120_000);
});
