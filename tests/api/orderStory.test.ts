// The seeds' first story, told through the API: Roskomnadzor orders Vlast.kz to delete war coverage,
// Vlast refuses publicly, and Roskomnadzor threatens to block it. One GET shows it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/testApp.ts';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken } from '../support/apiClient.ts';

describe('an order and everything around it', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
  });
  afterAll(() => harness.close());

  it('tells the Vlast.kz story on one GET', async () => {
    const { app } = harness;
    const vlast = await createOutletWithToken(app, 'vlast-kz', ['vlast.kz']);
    const roskomnadzor = await authorityByAlias(app, 'Роскомнадзор');

    const filed = await app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: vlast.headers,
      payload: {
        authority: roskomnadzor.slug,
        channel: 'email',
        issued_on: '2022-12-01',
        legal_basis: ['RU/149-FZ/15.3'],
        legal_basis_raw: 'ст. 15.3 Федерального закона от 27.07.2006 № 149-ФЗ',
        demanded_actions: ['remove'],
        threatened_consequence: 'Blocking of vlast.kz in Russia',
        reference_number: '№ 04-37/1234',
        targets: [
          {
            url: 'https://WWW.Vlast.kz/novosti/51234-vinnica.html?utm_source=telegram',
            title: 'Vinnytsia strike',
          },
        ],
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const order = filed.json();
    expect(order.id).toMatch(/^TD-\d{4}-\d{5}$/);
    expect(order.visibility).toBe('private');
    // The outlet's own demand belongs to it.
    expect(order.outlet.slug).toBe('vlast-kz');

    const refusal = await app.inject({
      method: 'POST',
      url: `/api/orders/${order.id}/responses`,
      headers: vlast.headers,
      payload: {
        kind: 'refusal',
        responded_on: '2022-12-13',
        text: 'The editorial staff does not intend to remove the news about the war in Ukraine.',
      },
    });
    expect(refusal.statusCode, refusal.body).toBe(201);
    const threat = await app.inject({
      method: 'POST',
      url: `/api/orders/${order.id}/events`,
      headers: vlast.headers,
      payload: {
        kind: 'block_threatened',
        occurred_at: '2022-12-14',
        country: 'RU',
        description: 'Roskomnadzor threatens to block Vlast.kz',
      },
    });
    expect(threat.statusCode, threat.body).toBe(201);

    const story = await app.inject({ method: 'GET', url: `/api/orders/${order.id}`, headers: vlast.headers });
    expect(story.statusCode).toBe(200);
    const body = story.json();
    expect(body.authority).toMatchObject({ slug: roskomnadzor.slug, country: 'RU' });
    expect(body.authority.aliases).toContain('РКН');
    expect(body.legal_basis).toEqual(['RU/149-FZ/15.3']);
    expect(body.targets).toHaveLength(1);
    expect(body.targets[0].article).toMatchObject({
      canonical_url: 'https://vlast.kz/novosti/51234-vinnica.html',
      title: 'Vinnytsia strike',
      outlet: { slug: 'vlast-kz' },
    });
    expect(body.responses).toEqual([
      expect.objectContaining({ kind: 'refusal', responded_on: '2022-12-13' }),
    ]);
    expect(body.events).toEqual([expect.objectContaining({ kind: 'block_threatened', country: 'RU' })]);
    expect(body.timeline.map((entry: { kind: string }) => entry.kind)).toEqual([
      'issued',
      'response:refusal',
      'event:block_threatened',
    ]);
    // A strong validator of the whole story: quoted, no W/, the same on the next read.
    expect(story.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect((await app.inject({ url: `/api/orders/${body.id}`, headers: vlast.headers })).headers.etag).toBe(
      story.headers.etag,
    );
  });

  it('links a second order on the same article to the same article record', async () => {
    const { app } = harness;
    const editor = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const roskomnadzor = await authorityByAlias(app, 'Роскомнадзор');
    const again = await app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: editor,
      payload: {
        authority: String(roskomnadzor.id),
        targets: [{ url: 'http://vlast.kz/novosti/51234-vinnica.html/#comments' }],
      },
    });
    expect(again.statusCode, again.body).toBe(201);
    // The orders are private (the default): only an editor (or their outlet) sees their articles.
    const articles = await app.inject({ method: 'GET', url: '/api/articles?limit=100', headers: editor });
    const matching = articles
      .json()
      .items.filter((a: { canonical_url: string }) => a.canonical_url.includes('51234'));
    expect(matching).toHaveLength(1);
    expect(again.json().targets[0].article.id).toBe(matching[0].id);
  });

  it('writes every change to the audit log, in the same transaction', async () => {
    const { db } = harness;
    const { rows } = await db.query<{ action: string; actor: string }>(
      'SELECT action, actor FROM audit_log ORDER BY id',
    );
    const actions = rows.map((row) => row.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'outlet.create',
        'order.create',
        'article.create',
        'order.target.add',
        'order.response.add',
        'order.event.add',
      ]),
    );
    expect(rows.find((row) => row.action === 'order.response.add')?.actor).toBe('outlet:vlast-kz desk');
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });
});
