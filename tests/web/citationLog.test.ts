// The order page's citation box and GET /api/orders/:id/citation name where the transparency log holds each
// document: its leaf and the checkpoint that signs it, with a link to the proof file; a document filed
// since the last checkpoint waits for the next one; the box also gives RIS, in the reader's language.
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { uploadFiles } from '../search/searchTestHelpers.ts';

const documentOf = (html: string) => new JSDOM(html).window.document;

describe('citations name the transparency log', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let order: string;
  let signed: number;
  let pending: number;
  let checkpointSize: number;
  let leafOf: (id: number) => Promise<number>;

  beforeAll(async () => {
    // No checkpoint tick during the test but the ones it asks for.
    harness = await createTestApp({ ADMIN_TOKEN, LOG_CHECKPOINT_SECONDS: '3600' });
    const outlet = await createOutletWithToken(harness.app, 'citation-log');
    const authority = (await authorityByAlias(harness.app, 'Roskomnadzor')).slug;
    order = (await fileOrder(harness.app, outlet.headers, { authority, visibility: 'public' })).id;
    const upload = async (name: string) =>
      (
        await uploadFiles(harness.app, outlet.headers, order, [
          { name: 'order', filename: name, content: name },
        ])
      )[0]!.id;
    signed = await upload('signed-demand.txt');
    checkpointSize = Number((await harness.app.transparencyLog.checkpoint()).tree_size);
    pending = await upload('pending-demand.txt');
    leafOf = async (id: number) => {
      const { rows } = await harness.app.db.query<{ leaf_index: string }>(
        'SELECT leaf_index FROM log_leaves WHERE document_id = $1',
        [id],
      );
      return Number(rows[0]!.leaf_index);
    };
  });
  afterAll(() => harness?.close());

  it('shows each document’s leaf and checkpoint, and a link to its proof, on the order page', async () => {
    const page = documentOf((await harness.app.inject({ url: `/orders/${order}` })).body);
    const signedLine = page.querySelector(`#citation-log-${signed}`)!;
    expect(signedLine.textContent).toContain(
      `signed-demand.txt: leaf ${await leafOf(signed)} of checkpoint ${checkpointSize}`,
    );
    const proofLink = signedLine.querySelector('a')!.getAttribute('href')!;
    expect(proofLink).toBe(`/api/documents/${signed}/proof.tlog`);
    const proof = await harness.app.inject({ url: proofLink });
    expect([proof.statusCode, proof.body.split('\n')[0]]).toEqual([200, 'c2sp.org/tlog-proof@v1']);
    const pendingLine = page.querySelector(`#citation-log-${pending}`)!;
    expect(pendingLine.textContent).toBe(
      `pending-demand.txt: leaf ${await leafOf(pending)}, in the next checkpoint`,
    );
    expect(pendingLine.querySelector('a')).toBeNull();
    expect(page.querySelector('#citation-ris')!.textContent).toMatch(/^TY {2}- GOVDOC/);
    expect(page.querySelector('#citation-plain')!.textContent).toContain(`#document-${signed} sha256:`);
  });

  it('says the same in Russian and Kazakh', async () => {
    for (const [lang, words] of [
      ['ru', `лист ${await leafOf(signed)} в контрольной точке ${checkpointSize}`],
      ['kk', `${checkpointSize} бақылау нүктесіндегі ${await leafOf(signed)} жапырақ`],
    ] as const) {
      const response = await harness.app.inject({
        url: `/orders/${order}`,
        headers: { cookie: `lang=${lang}` },
      });
      const page = documentOf(response.body);
      expect(page.documentElement.lang).toBe(lang);
      expect(page.querySelector(`#citation-log-${signed}`)!.textContent).toContain(words);
    }
  });

  it('gives the leaf and checkpoint in the API’s citation', async () => {
    const text = (await harness.app.inject({ url: `/api/orders/${order}/citation` })).body;
    expect(text).toContain(`#document-${signed} sha256:`);
    expect(text).toContain(`log leaf ${await leafOf(signed)} of checkpoint ${checkpointSize}`);
    expect(text).toMatch(
      new RegExp(`#document-${pending} sha256:[0-9a-f]{64}, log leaf ${await leafOf(pending)}[.,]`),
    );
  });
});
