// Redactions of what the outlet types on the order itself: the archive proposes the personal data in a
// summary when the order is filed or the summary changes, the outlet decides, adds and removes them like a
// document's, an undecided one holds publication, and the public reads the summary redacted.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

const PHONE = '+7 (727) 311-22-48';
const SUMMARY = `Требование снять материал; автор на связи по тел. ${PHONE}.`;

type Harness = Awaited<ReturnType<typeof createTestApp>>;
interface Item {
  id: number;
  field: string;
  start: number;
  end: number;
  text: string;
  state: string;
  placed: boolean;
  source: string;
}

async function change(app: FastifyInstance, headers: Record<string, string>, id: string, payload: object) {
  const current = await app.inject({ method: 'GET', url: `/api/orders/${id}`, headers });
  return app.inject({
    method: 'PATCH',
    url: `/api/orders/${id}`,
    headers: { ...headers, 'if-match': current.headers.etag as string },
    payload,
  });
}

describe('redactions of an order’s own texts', () => {
  let harness: Harness;
  let outlet: Record<string, string>;
  let other: Record<string, string>;
  let fields: Record<string, unknown>;

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    outlet = (await createOutletWithToken(harness.app, 'field-outlet')).headers;
    other = (await createOutletWithToken(harness.app, 'field-other')).headers;
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    fields = { authority, legal_basis: ['RU/149-FZ/15.3'], demanded_actions: ['remove'] };
  });
  afterAll(() => harness?.close());

  const list = async (id: string, headers = outlet) => {
    const response = await harness.app.inject({
      method: 'GET',
      url: `/api/orders/${id}/redactions`,
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items as Item[];
  };

  it('proposes the phone in a summary, holds publication until it is decided, then shows it redacted', async () => {
    const { id } = await fileOrder(harness.app, outlet, {
      ...fields,
      visibility: 'private',
      summary: SUMMARY,
    });
    const [proposal, ...rest] = await list(id);
    expect(rest).toEqual([]);
    expect(proposal).toMatchObject({ field: 'summary', text: PHONE, state: 'proposed', source: 'auto' });
    expect(SUMMARY.slice(proposal!.start, proposal!.end)).toBe(PHONE);

    const refused = await change(harness.app, outlet, id, { visibility: 'public' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'redactions_undecided',
      undecided: [{ field: 'summary', document_id: null, redaction_id: proposal!.id, text: PHONE }],
    });

    const accepted = await harness.app.inject({
      method: 'PATCH',
      url: `/api/redactions/${proposal!.id}`,
      headers: outlet,
      payload: { state: 'accepted' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await change(harness.app, outlet, id, { visibility: 'public' })).statusCode).toBe(200);

    for (const headers of [{}, other]) {
      const story = await harness.app.inject({ method: 'GET', url: `/api/orders/${id}`, headers });
      expect(story.json().summary).toBe(
        'Требование снять материал; автор на связи по тел. [redacted: phone].',
      );
      const listed = await harness.app.inject({ method: 'GET', url: '/api/orders?limit=100', headers });
      expect(listed.body).not.toContain(PHONE);
      expect(listed.body).toContain('[redacted: phone]');
    }
    const own = await harness.app.inject({ method: 'GET', url: `/api/orders/${id}`, headers: outlet });
    expect(own.json().summary).toBe(SUMMARY);

    const { rows } = await harness.db.query(
      `SELECT action, after FROM audit_log WHERE record_type = 'redaction' AND record_id = $1`,
      [String(proposal!.id)],
    );
    expect(rows.map((row) => row.action)).toEqual(['redaction.decide']);
    expect(JSON.stringify(rows)).not.toContain(PHONE);
  });

  it('keeps a decision when the summary is rewritten around it, and asks again when its text is gone', async () => {
    const { id } = await fileOrder(harness.app, outlet, {
      ...fields,
      visibility: 'private',
      summary: SUMMARY,
    });
    const [proposal] = await list(id);
    await harness.app.inject({
      method: 'PATCH',
      url: `/api/redactions/${proposal!.id}`,
      headers: outlet,
      payload: { state: 'accepted' },
    });
    const rewritten = `Срочно. ${SUMMARY}`;
    expect((await change(harness.app, outlet, id, { summary: rewritten })).statusCode).toBe(200);
    const [moved, ...none] = await list(id);
    expect(none).toEqual([]);
    expect(moved).toMatchObject({ id: proposal!.id, state: 'accepted', placed: true });
    expect(rewritten.slice(moved!.start, moved!.end)).toBe(PHONE);

    expect(
      (await change(harness.app, outlet, id, { summary: 'Требование снять материал.' })).statusCode,
    ).toBe(200);
    const [lost] = await list(id);
    expect(lost).toMatchObject({ id: proposal!.id, state: 'proposed', placed: false });
    expect((await change(harness.app, outlet, id, { visibility: 'public' })).statusCode).toBe(409);
  });

  it('lets the outlet hide a span of its own and remove it again; never the archive’s proposal', async () => {
    const { id } = await fileOrder(harness.app, outlet, {
      ...fields,
      visibility: 'public',
      summary: 'Источник Марат сообщил о требовании.',
    });
    expect(await list(id)).toEqual([]);
    const foreign = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${id}/redactions`,
      headers: other,
      payload: { field: 'summary', start: 9, end: 14, kind: 'person-name' },
    });
    expect(foreign.statusCode).toBe(403);
    const added = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${id}/redactions`,
      headers: outlet,
      payload: { field: 'summary', start: 9, end: 14, kind: 'person-name', reason: 'a source' },
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      field: 'summary',
      text: 'Марат',
      state: 'accepted',
      document_id: null,
    });
    const story = await harness.app.inject({ method: 'GET', url: `/api/orders/${id}` });
    // A short name is hidden at its place (a value under five characters is not hidden elsewhere).
    expect(story.json().summary).toBe('Источник [redacted: person-name] сообщил о требовании.');
    const past = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${id}/redactions`,
      headers: outlet,
      payload: { field: 'summary', start: 9, end: 400, kind: 'other' },
    });
    expect(past.statusCode).toBe(400);

    const removed = await harness.app.inject({
      method: 'DELETE',
      url: `/api/redactions/${added.json().id}`,
      headers: outlet,
    });
    expect(removed.statusCode).toBe(204);
    const shown = await harness.app.inject({ method: 'GET', url: `/api/orders/${id}` });
    expect(shown.json().summary).toBe('Источник Марат сообщил о требовании.');

    const withPhone = await fileOrder(harness.app, outlet, { ...fields, summary: SUMMARY });
    const [auto] = await list(withPhone.id);
    const refused = await harness.app.inject({
      method: 'DELETE',
      url: `/api/redactions/${auto!.id}`,
      headers: outlet,
    });
    expect(refused.statusCode).toBe(409);
  });
});
