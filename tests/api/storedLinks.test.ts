// Stored links are web pages only (a javascript: or file: link would become stored XSS in the web UI),
// and an article's answer warns when its domain mixes alphabets like a homograph does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, editor, fileOrder } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

describe('stored links', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let order: string;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    order = (await fileOrder(harness.app, editor, { authority })).id;
  });
  afterAll(() => harness.close());

  it.each([
    ['responses', { kind: 'public_statement' }],
    ['events', { kind: 'blocked', occurred_at: '2026-03-01' }],
  ])('%s refuse a source_url that is not http or https, naming the field', async (story, valid) => {
    for (const link of ['javascript:alert(document.cookie)', 'file:///etc/passwd', 'data:text/html,x']) {
      const response = await harness.app.inject({
        method: 'POST',
        url: `/api/orders/${order}/${story}`,
        headers: editor,
        payload: { ...valid, source_url: link },
      });
      expect(response.statusCode, link).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(/^body\/source_url /),
      });
    }
    const kept = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${order}/${story}`,
      headers: editor,
      payload: { ...valid, source_url: 'https://vlast.kz/novosti/1' },
    });
    expect(kept.statusCode, kept.body).toBe(201);
    expect(kept.json().source_url).toBe('https://vlast.kz/novosti/1');
  });

  it('outlet domains are host names, not links', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/outlets',
      headers: editor,
      payload: { slug: 'links-outlet', name: 'Links', domains: ['javascript:alert(1)'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^body\/domains\/0 /);
  });

  it('an article whose domain mixes scripts says so; its look-alike does not', async () => {
    const homograph = await harness.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: editor,
      payload: { url: 'https://оutlet-a.example/news/1' }, // Cyrillic о
    });
    expect(homograph.statusCode, homograph.body).toBe(201);
    expect(homograph.json()).toMatchObject({
      display_url: 'https://оutlet-a.example/news/1',
      mixed_scripts: true,
    });
    const genuine = await harness.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: editor,
      payload: { url: 'https://outlet-a.example/news/1' },
    });
    expect(genuine.json()).toMatchObject({ mixed_scripts: false });
    expect(genuine.json().id).not.toBe(homograph.json().id);

    const targeted = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${order}/targets`,
      headers: editor,
      payload: { article_id: homograph.json().id },
    });
    expect(targeted.statusCode, targeted.body).toBe(201);
    const target = targeted
      .json()
      .targets.find((t: { article: { id: number } }) => t.article.id === homograph.json().id);
    expect(target.article.mixed_scripts).toBe(true);
  });
});
