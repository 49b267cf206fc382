// An order's history as each reader may read it: its outlet and editors every entry, old → new, with who
// made it; the public, researchers and other outlets only how a public order was filed and published,
// with no private value and no name; a private order's history is as hidden as the order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, editor } from '../support/apiClient.ts';
import { createPerson, type TestPerson } from '../support/accounts.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';

type Headers = Record<string, string>;
interface Entry {
  at: string;
  actor: { kind: string; name: string };
  action: string;
  changes: { field: string; from?: unknown; to: unknown }[];
}

const SECRET_SUMMARY = 'HISTORY-MARKER-summary-before-publication';
const SECRET_REFERENCE = 'HISTORY-MARKER-ref-77';
const SECRET_URL = 'https://history-marker.example/story';
const SECRET_FILE = 'history-marker-demand.txt';

describe("an order's history", () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let alpha: Awaited<ReturnType<typeof createOutletWithToken>>;
  let beta: Awaited<ReturnType<typeof createOutletWithToken>>;
  let member: TestPerson;
  let researcher: TestPerson;
  let published: string;
  let hidden: string;

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    alpha = await createOutletWithToken(harness.app, 'history-alpha');
    beta = await createOutletWithToken(harness.app, 'history-beta');
    member = await createPerson(harness.app, {
      email: 'reporter@alpha.example',
      displayName: 'Reporter Name',
      memberships: [{ outletId: alpha.outlet.id, role: 'member' }],
    });
    researcher = await createPerson(harness.app, { email: 'study@uni.example', researcherUntil: 'infinity' });
    const authority = (await authorityByAlias(harness.app, 'KZ-CERT')).slug;

    const created = await request('POST', '/api/orders', member.headers, {
      authority,
      summary: SECRET_SUMMARY,
      reference_number: SECRET_REFERENCE,
    });
    published = created.json().id;
    const changed = await request(
      'PATCH',
      `/api/orders/${published}`,
      { ...member.headers, 'if-match': created.headers.etag as string },
      { summary: 'A demand to remove a report', status: 'refused' },
    );
    expect(changed.statusCode, changed.body).toBe(200);
    await request('POST', `/api/orders/${published}/targets`, alpha.headers, { url: SECRET_URL });
    const upload = multipartBody([{ name: 'order', filename: SECRET_FILE, content: 'the demand' }]);
    const uploaded = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${published}/documents`,
      headers: { ...member.headers, ...upload.headers },
      payload: upload.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const current = await request('GET', `/api/orders/${published}`, member.headers);
    // Published together with a change of a private field: only the publication is anyone's to read.
    const publish = await request(
      'PATCH',
      `/api/orders/${published}`,
      { ...member.headers, 'if-match': current.headers.etag as string },
      { visibility: 'public', reference_number: null },
    );
    expect(publish.statusCode, publish.body).toBe(200);

    hidden = (
      await request('POST', '/api/orders', alpha.headers, { authority, summary: SECRET_SUMMARY })
    ).json().id;
  });
  afterAll(() => harness.close());

  function request(method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers, payload?: object) {
    return harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  }

  async function history(id: string, headers: Headers = {}) {
    const response = await request('GET', `/api/orders/${id}/history?limit=100`, headers);
    expect(response.statusCode, response.body).toBe(200);
    return { body: response.body, items: response.json().items as Entry[] };
  }

  it('shows the outlet every entry, newest first, old → new, with who made it', async () => {
    const { items } = await history(published, alpha.headers);
    expect(items.map((entry) => entry.action)).toEqual([
      'order.update',
      'document.upload',
      'order.target.add',
      'order.update',
      'order.create',
    ]);
    const [publication, upload, target, change, creation] = items;
    expect(publication!.changes).toEqual(
      expect.arrayContaining([
        { field: 'visibility', from: 'private', to: 'public' },
        { field: 'reference_number', from: SECRET_REFERENCE, to: null },
      ]),
    );
    expect(publication!.actor).toEqual({ kind: 'user', name: 'Reporter Name' });
    expect(upload!.changes).toContainEqual({ field: 'filename', to: SECRET_FILE });
    expect(target!.actor).toEqual({ kind: 'outlet', name: 'history-alpha desk' });
    expect(change!.changes).toEqual(
      expect.arrayContaining([
        { field: 'summary', from: SECRET_SUMMARY, to: 'A demand to remove a report' },
        { field: 'status', from: expect.any(String), to: 'refused' },
      ]),
    );
    expect(change!.changes.some((c) => c.field === 'version')).toBe(false);
    expect(creation!.changes).toContainEqual({ field: 'summary', to: SECRET_SUMMARY });
    expect(creation!.changes.every((c) => !('from' in c))).toBe(true);
    const times = items.map((entry) => Date.parse(entry.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('shows an editor the same entries', async () => {
    const byOutlet = await history(published, alpha.headers);
    const byEditor = await history(published, editor);
    expect(byEditor.items).toEqual(byOutlet.items);
    const byMember = await history(published, member.headers);
    expect(byMember.items).toEqual(byOutlet.items);
  });

  it('shows the public only the filing and the publication, with no private value and no name', async () => {
    for (const headers of [{}, researcher.headers, beta.headers]) {
      const { body, items } = await history(published, headers);
      expect(items).toEqual([
        {
          at: expect.any(String),
          actor: { kind: 'outlet', name: 'the outlet' },
          action: 'order.update',
          changes: [{ field: 'visibility', from: 'private', to: 'public' }],
        },
        {
          at: expect.any(String),
          actor: { kind: 'outlet', name: 'the outlet' },
          action: 'order.create',
          changes: [],
        },
      ]);
      for (const secret of [
        SECRET_SUMMARY,
        SECRET_REFERENCE,
        SECRET_URL,
        SECRET_FILE,
        'Reporter Name',
        'history-alpha desk',
        'document',
        'target',
        'refused',
      ]) {
        expect(body).not.toContain(secret);
      }
    }
  });

  it('names an editor who published as "an editor"', async () => {
    const current = await request('GET', `/api/orders/${published}`, editor);
    const change = await request(
      'PATCH',
      `/api/orders/${published}`,
      { ...editor, 'if-match': current.headers.etag as string },
      { visibility: 'embargoed', embargo_until: '2020-01-01T00:00:00Z' },
    );
    expect(change.statusCode, change.body).toBe(200);
    const { items, body } = await history(published);
    expect(items[0]).toMatchObject({
      actor: { kind: 'editor', name: 'an editor' },
      changes: expect.arrayContaining([
        { field: 'visibility', from: 'public', to: 'embargoed' },
        { field: 'embargo_until', from: null, to: '2020-01-01T00:00:00Z' },
      ]),
    });
    expect(body).not.toContain(ADMIN_TOKEN);
    expect((await history(published, alpha.headers)).items[0]!.actor).toEqual({
      kind: 'editor',
      name: 'ADMIN_TOKEN',
    });
  });

  it("hides a private order's history as it hides the order", async () => {
    for (const headers of [{}, beta.headers, researcher.headers]) {
      const response = await request('GET', `/api/orders/${hidden}/history`, headers);
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain(SECRET_SUMMARY);
    }
    expect((await request('GET', '/api/orders/TD-2026-99999/history', editor)).statusCode).toBe(404);
    const { items } = await history(hidden, alpha.headers);
    expect(items).toHaveLength(1);
    expect(items[0]!.changes).toContainEqual({ field: 'summary', to: SECRET_SUMMARY });
  });

  it('pages through the history with a cursor', async () => {
    const whole = (await history(published, alpha.headers)).items;
    const paged: Entry[] = [];
    let cursor: string | null = null;
    do {
      const response = await request(
        'GET',
        `/api/orders/${published}/history?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        alpha.headers,
      );
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { items: Entry[]; next_cursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    expect(paged).toEqual(whole);
    const bad = await request('GET', `/api/orders/${published}/history?cursor=yesterday`, alpha.headers);
    expect(bad.statusCode).toBe(400);
  });
});
