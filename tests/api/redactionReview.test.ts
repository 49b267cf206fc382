// Review before publication: an order whose documents hold redaction proposals nobody decided on cannot be
// made public (409, listing them), its passed embargo does not lift (and its story says why), an editor may
// publish anyway with an audited override; and reading a document again keeps the decisions taken on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';
import { search, uploadFiles, waitUntilSearchable } from '../search/searchTestHelpers.ts';

const LETTER = (marker: string) => `Требование ${marker}.
Материал подготовила журналист Анна Сарсенова, тел. +7 701 555 12 34, a.sarsenova@vlast.kz.
Повторно: звоните +7 701 555 12 34.`;

type Harness = Awaited<ReturnType<typeof createTestApp>>;
interface RedactionItem {
  id: number;
  page: number;
  start: number;
  end: number;
  text: string;
  kind: string;
  state: string;
  placed: boolean;
  reason: string | null;
}

describe('review before publication', () => {
  let harness: Harness;
  let outlet: Record<string, string>;
  let authority: string;

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true, searchRelay: true });
    outlet = (await createOutletWithToken(harness.app, 'review-outlet')).headers;
    authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  }, 60_000);
  afterAll(() => harness?.close());

  async function orderWithLetter(marker: string, fields: object = {}) {
    const order = await fileOrder(harness.app, outlet, { authority, visibility: 'private', ...fields });
    const [document] = await uploadFiles(harness.app, outlet, order.id, [
      { name: 'order', filename: `${marker}.txt`, content: LETTER(marker), contentType: 'text/plain' },
    ]);
    await waitUntilSearchable(harness);
    return { orderId: order.id, documentId: document!.id };
  }

  const redactionsOf = async (documentId: number) =>
    (
      await harness.app.inject({
        method: 'GET',
        url: `/api/documents/${documentId}/redactions`,
        headers: outlet,
      })
    ).json().items as RedactionItem[];

  const patch = async (headers: Record<string, string>, orderId: string, payload: object) =>
    harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${orderId}`,
      headers: { ...headers, 'if-match': '*' },
      payload,
    });

  const decideAll = async (documentId: number, state = 'accepted') => {
    for (const redaction of await redactionsOf(documentId)) {
      const response = await harness.app.inject({
        method: 'PATCH',
        url: `/api/redactions/${redaction.id}`,
        headers: outlet,
        payload: { state },
      });
      expect(response.statusCode, response.body).toBe(200);
    }
  };

  it('refuses to publish while proposals await a decision, and lists them', async () => {
    const { orderId, documentId } = await orderWithLetter('zqreviewone');
    const proposals = await redactionsOf(documentId);
    expect(proposals.map((item) => item.kind).sort()).toEqual(['email', 'person-name', 'phone', 'phone']);
    expect(proposals.every((item) => item.state === 'proposed')).toBe(true);

    for (const change of [
      { visibility: 'public' },
      { visibility: 'embargoed', embargo_until: '2020-01-01T00:00:00Z' },
    ]) {
      const refused = await patch(outlet, orderId, change);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'redactions_undecided' });
      expect(
        (refused.json().undecided as { redaction_id: number }[]).map((item) => item.redaction_id).sort(),
      ).toEqual(proposals.map((item) => item.id).sort());
    }
    // A future embargo is no publication yet.
    expect(
      (await patch(outlet, orderId, { visibility: 'embargoed', embargo_until: '2099-01-01T00:00:00Z' }))
        .statusCode,
    ).toBe(200);

    await decideAll(documentId);
    const published = await patch(outlet, orderId, { visibility: 'public' });
    expect(published.statusCode, published.body).toBe(200);
    const audit = await harness.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'redaction.decide' AND record_type = 'redaction'`,
    );
    expect(audit.rows[0].n).toBeGreaterThanOrEqual(4);
  });

  it('holds a passed embargo while proposals wait, and says why in the story', async () => {
    const { orderId, documentId } = await orderWithLetter('zqreviewtwo', {
      visibility: 'embargoed',
      embargo_until: '2099-01-01T00:00:00Z',
    });
    // The embargo's date passes.
    await harness.db.query(
      `UPDATE orders SET embargo_until = now() - interval '1 minute' WHERE public_id = $1`,
      [orderId],
    );
    await harness.db.query(
      `INSERT INTO search_outbox (order_id) SELECT id FROM orders WHERE public_id = $1`,
      [orderId],
    );
    await waitUntilSearchable(harness);

    expect((await harness.app.inject({ method: 'GET', url: `/api/orders/${orderId}` })).statusCode).toBe(404);
    expect(
      (await harness.app.inject({ method: 'GET', url: `/api/documents/${documentId}` })).statusCode,
    ).toBe(404);
    expect((await search(harness.app, { q: 'zqreviewtwo' })).total).toBe(0);
    const story = (
      await harness.app.inject({ method: 'GET', url: `/api/orders/${orderId}`, headers: outlet })
    ).json();
    expect(story.publication_held).toMatch(/^4 redaction proposals await a decision/);

    await decideAll(documentId, 'rejected');
    await waitUntilSearchable(harness);
    const lifted = await harness.app.inject({ method: 'GET', url: `/api/orders/${orderId}` });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json().publication_held).toBeNull();
    expect((await search(harness.app, { q: 'zqreviewtwo' })).total).toBe(1);
  });

  it('lets an editor publish anyway, saying so, and audits it; an outlet may not', async () => {
    const { orderId } = await orderWithLetter('zqreviewthree');
    const byOutlet = await patch(outlet, orderId, { visibility: 'public', override_redaction_review: true });
    expect(byOutlet.statusCode).toBe(403);
    const byEditor = await patch(editor, orderId, { visibility: 'public', override_redaction_review: true });
    expect(byEditor.statusCode, byEditor.body).toBe(200);
    const { rows } = await harness.db.query(
      `SELECT actor, after FROM audit_log WHERE action = 'order.publish_override' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0].actor).toBe('editor:ADMIN_TOKEN');
    expect(rows[0].after.undecided_redactions).toHaveLength(4);
    // Undecided proposals stay hidden from the public meanwhile.
    const story = await harness.app.inject({ method: 'GET', url: `/api/orders/${orderId}` });
    const documentId = story.json().documents[0].id as number;
    const document = await harness.app.inject({ method: 'GET', url: `/api/documents/${documentId}` });
    expect(document.body).not.toContain('a.sarsenova@vlast.kz');
    expect(document.body).not.toContain('Анна Сарсенова');
  });

  it('keeps decisions when the document is read again, and flags those it cannot place', async () => {
    const { documentId } = await orderWithLetter('zqreviewfour');
    const before = await redactionsOf(documentId);
    const phones = before.filter((item) => item.kind === 'phone');
    // Accept the name and the first phone, reject the e-mail, leave the second phone undecided; add one.
    const decide = (id: number, state: string) =>
      harness.app.inject({
        method: 'PATCH',
        url: `/api/redactions/${id}`,
        headers: outlet,
        payload: { state },
      });
    await decide(before.find((item) => item.kind === 'person-name')!.id, 'accepted');
    await decide(phones[0]!.id, 'accepted');
    await decide(before.find((item) => item.kind === 'email')!.id, 'rejected');
    const added = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${documentId}/redactions`,
      headers: outlet,
      payload: { page: 1, start: 0, end: 10, kind: 'other', reason: 'the word' },
    });
    expect(added.statusCode, added.body).toBe(201);
    // One decision's text will not be found again.
    const lost = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${documentId}/redactions`,
      headers: outlet,
      payload: { page: 1, start: 11, end: 22, kind: 'other' },
    });
    await harness.db.query(`UPDATE redactions SET redacted_text = 'nowhere-in-text' WHERE id = $1`, [
      lost.json().id,
    ]);

    const reprocess = await harness.app.inject({
      method: 'POST',
      url: `/api/documents/${documentId}/reprocess`,
      headers: outlet,
    });
    expect(reprocess.statusCode).toBe(202);
    await waitUntilSearchable(harness);

    const after = await redactionsOf(documentId);
    const text = (
      await harness.app.inject({ method: 'GET', url: `/api/documents/${documentId}`, headers: outlet })
    ).json().pages[0].text as string;
    const byId = new Map(after.map((item) => [item.id, item]));
    for (const kept of [...before.filter((item) => item.id !== phones[1]!.id), added.json()]) {
      const now = byId.get(kept.id)!;
      expect(now, `redaction ${kept.id} kept`).toBeDefined();
      expect(text.slice(now.start, now.end)).toBe(now.text);
    }
    expect(byId.get(phones[0]!.id)!.state).toBe('accepted');
    expect(byId.get(before.find((item) => item.kind === 'email')!.id)!.state).toBe('rejected');
    expect(byId.get(added.json().id)!.state).toBe('accepted');
    // The second phone is proposed again (by the new reading), once.
    expect(after.filter((item) => item.kind === 'phone' && item.state === 'proposed')).toHaveLength(1);
    const unplaced = byId.get(lost.json().id)!;
    expect(unplaced).toMatchObject({
      state: 'proposed',
      placed: false,
      reason: 'could not be placed after re-reading',
    });
  });
});
