// Articles are seen through orders: an article a hidden order targets (its URL, title, outlet) reaches
// nobody who cannot see that order — not in the list, its filters or cursor, not when the URL is sent
// again, not through a target's article_id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  authorityByAlias,
  createOutletWithToken,
  editor,
  fileOrder,
} from '../support/apiClient.ts';
import { buildSearchDocuments } from '../../server/indexing/searchDocuments.ts';
import { createTestApp } from '../support/testApp.ts';

const PRIVATE_URL = 'https://alpha.example/news/zq-private-target.html';
const EMBARGOED_URL = 'https://alpha.example/news/zq-embargoed-target.html';
const PUBLIC_URL = 'https://alpha.example/news/public-target.html';
const ORPHAN_URL = 'https://alpha.example/news/orphan.html';
const PRIVATE_TITLE = 'Zqmarker private article title';
const EMBARGOED_TITLE = 'Zqmarker embargoed article title';

describe('articles are seen through orders', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let alpha: Awaited<ReturnType<typeof createOutletWithToken>>;
  let beta: Awaited<ReturnType<typeof createOutletWithToken>>;
  let authority: string;
  const articleIds = {} as Record<'private' | 'embargoed' | 'public' | 'orphan', number>;

  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    const { app } = harness;
    alpha = await createOutletWithToken(app, 'alpha-news', ['alpha.example']);
    beta = await createOutletWithToken(app, 'beta-news', ['beta.example']);
    authority = (await authorityByAlias(app, 'KZ-CERT')).slug;
    const targetOf = async (id: string) =>
      (await app.inject({ method: 'GET', url: `/api/orders/${id}`, headers: editor })).json().targets[0]
        .article.id as number;
    articleIds.private = await targetOf(
      (
        await fileOrder(app, alpha.headers, {
          authority,
          visibility: 'private',
          targets: [{ url: PRIVATE_URL, title: PRIVATE_TITLE }],
        })
      ).id,
    );
    articleIds.embargoed = await targetOf(
      (
        await fileOrder(app, alpha.headers, {
          authority,
          visibility: 'embargoed',
          embargo_until: '2999-01-01T00:00:00Z',
          targets: [{ url: EMBARGOED_URL, title: EMBARGOED_TITLE }],
        })
      ).id,
    );
    articleIds.public = await targetOf(
      (
        await fileOrder(app, alpha.headers, {
          authority,
          visibility: 'public',
          targets: [{ url: PUBLIC_URL, title: 'A public article' }],
        })
      ).id,
    );
    const orphan = await app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: editor,
      payload: { url: ORPHAN_URL, title: 'Recorded by an editor, no order yet' },
    });
    expect(orphan.statusCode, orphan.body).toBe(201);
    articleIds.orphan = orphan.json().id;
  });
  afterAll(() => harness.close());

  const listIds = async (headers: Record<string, string> = {}, query = 'limit=100') => {
    const response = await harness.app.inject({ method: 'GET', url: `/api/articles?${query}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).not.toMatch(/zqmarker|zq-private|zq-embargoed/i);
    return (response.json().items as { id: number }[]).map((article) => article.id);
  };

  it('lists to anonymous callers and another outlet only articles of orders they can see', async () => {
    for (const headers of [{}, beta.headers]) {
      expect(await listIds(headers)).toEqual([articleIds.public]);
      expect(await listIds(headers, 'limit=100&outlet=alpha-news')).toEqual([articleIds.public]);
    }
  });

  it('lists to the outlet its own orders’ articles and its orderless ones, to an editor everything', async () => {
    const own = await harness.app.inject({
      method: 'GET',
      url: '/api/articles?limit=100',
      headers: alpha.headers,
    });
    expect((own.json().items as { id: number }[]).map((article) => article.id)).toEqual([
      articleIds.private,
      articleIds.embargoed,
      articleIds.public,
      articleIds.orphan,
    ]);
    expect(own.body).toContain(PRIVATE_TITLE);
    const all = await harness.app.inject({ method: 'GET', url: '/api/articles?limit=100', headers: editor });
    expect(all.json().items).toHaveLength(4);
  });

  it('pages and cursors count only what the caller may see', async () => {
    const first = await harness.app.inject({ method: 'GET', url: '/api/articles?limit=1' });
    expect(first.json().items.map((article: { id: number }) => article.id)).toEqual([articleIds.public]);
    expect(first.json().next_cursor).toBeNull();
    const fromStart = await harness.app.inject({ method: 'GET', url: '/api/articles?limit=1&cursor=0' });
    expect(fromStart.json().items.map((article: { id: number }) => article.id)).toEqual([articleIds.public]);
  });

  it('answers a hidden article’s URL sent again as if it were new: nothing stored comes back', async () => {
    for (const headers of [beta.headers]) {
      for (const url of [PRIVATE_URL, EMBARGOED_URL]) {
        const bare = await harness.app.inject({
          method: 'POST',
          url: '/api/articles',
          headers,
          payload: { url },
        });
        expect(bare.statusCode, bare.body).toBe(201);
        expect(bare.body).not.toMatch(/zqmarker/i);
        expect(bare.json().title).toBeNull();
        expect(bare.json().url).toBe(url);
        const titled = await harness.app.inject({
          method: 'POST',
          url: '/api/articles',
          headers,
          payload: { url, title: 'My own words' },
        });
        expect(titled.statusCode).toBe(201);
        expect(titled.json().title).toBe('My own words');
      }
    }
    // The title stays the one its order gave it.
    const stored = await harness.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: editor,
      payload: { url: PRIVATE_URL, title: 'ignored' },
    });
    expect(stored.statusCode).toBe(200);
    expect(stored.json().title).toBe(PRIVATE_TITLE);
  });

  it('answers the outlet that may see the article with the stored one (200)', async () => {
    const own = await harness.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: alpha.headers,
      payload: { url: PRIVATE_URL },
    });
    expect(own.statusCode).toBe(200);
    expect(own.json().title).toBe(PRIVATE_TITLE);
  });

  it('lets an outlet record a new article and target it by its id', async () => {
    const created = await harness.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: beta.headers,
      payload: { url: 'https://elsewhere.example/story.html', title: 'Beta’s story' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(await listIds(beta.headers)).toContain(created.json().id);
    expect(await listIds()).not.toContain(created.json().id);
    const order = await fileOrder(harness.app, beta.headers, {
      authority,
      visibility: 'private',
      targets: [{ article_id: created.json().id }],
    });
    expect(order.id).toMatch(/^TD-/);
  });

  it('refuses a hidden article as a target by id, as if there were none', async () => {
    for (const id of [articleIds.private, articleIds.embargoed, articleIds.orphan, 999_999]) {
      const response = await harness.app.inject({
        method: 'POST',
        url: '/api/orders',
        headers: beta.headers,
        payload: { authority, visibility: 'private', targets: [{ article_id: id }] },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe(`body/targets/0/article_id: there is no article ${id}`);
    }
  });

  it('shows an order targeting a hidden article by URL nothing its own filer did not send', async () => {
    // Beta files its own order on the URL only alpha's private order targets (one article row per URL).
    const order = await fileOrder(harness.app, beta.headers, {
      authority,
      outlet: 'beta-news',
      targets: [{ url: PRIVATE_URL }],
    });
    const story = await harness.app.inject({ url: `/api/orders/${order.id}`, headers: beta.headers });
    expect(story.statusCode).toBe(200);
    expect(story.body).not.toContain(PRIVATE_TITLE);
    expect(story.json().targets[0].article).toMatchObject({ title: null, url: PRIVATE_URL });
    // The link does not make the article itself visible to beta either.
    const list = await harness.app.inject({ url: '/api/articles?limit=100', headers: beta.headers });
    expect(list.body).not.toContain(PRIVATE_TITLE);
    const byId = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${order.id}/targets`,
      headers: beta.headers,
      payload: { article_id: articleIds.private },
    });
    expect(byId.statusCode).toBe(400);
    // Published, beta's order shows anonymous readers no more than it shows beta.
    const etag = story.headers.etag as string;
    const published = await harness.app.inject({
      method: 'PATCH',
      url: `/api/orders/${order.id}`,
      headers: { ...beta.headers, 'if-match': etag },
      payload: { visibility: 'public' },
    });
    expect(published.statusCode, published.body).toBe(200);
    const anonymous = await harness.app.inject({ url: `/api/orders/${order.id}` });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.body).not.toContain(PRIVATE_TITLE);
    // Nor does its search document (what the relay sends to Meilisearch).
    const { rows } = await harness.db.query<{ id: number }>('SELECT id FROM orders WHERE public_id = $1', [
      order.id,
    ]);
    const built = await buildSearchDocuments(harness.db, [rows[0]!.id], 1);
    expect(JSON.stringify(built)).not.toContain(PRIVATE_TITLE);
    expect(JSON.stringify(built)).not.toContain(PRIVATE_TITLE.toLowerCase());
    // The story shows what its own filer could: even an editor reads the stored article in the articles.
    const asEditor = await harness.app.inject({ url: `/api/orders/${order.id}`, headers: editor });
    expect(asEditor.json().targets[0].article.title).toBeNull();
    const articles = await harness.app.inject({ url: '/api/articles?limit=100', headers: editor });
    expect(articles.body).toContain(PRIVATE_TITLE);
  });

  it('keeps an orderless article visible to its outlet after another outlet targets its URL unseen', async () => {
    const url = 'https://alpha.example/news/orderless-then-targeted.html';
    const recorded = await harness.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: editor,
      payload: { url, title: 'Zqmarker orderless title' },
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const id = recorded.json().id as number;
    // Beta cannot see it (alpha's domain, no order), so its link to it stays undisclosed…
    await fileOrder(harness.app, beta.headers, { authority, outlet: 'beta-news', targets: [{ url }] });
    // …and is no reason for anyone to see the article, nor to stop seeing it: alpha still does, by id too.
    const own = await harness.app.inject({ url: '/api/articles?limit=100', headers: alpha.headers });
    expect((own.json().items as { id: number }[]).map((article) => article.id)).toContain(id);
    const alphaOrder = await fileOrder(harness.app, alpha.headers, { authority, outlet: 'alpha-news' });
    const byId = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${alphaOrder.id}/targets`,
      headers: alpha.headers,
      payload: { article_id: id },
    });
    expect(byId.statusCode, byId.body).toBe(201);
  });
});
