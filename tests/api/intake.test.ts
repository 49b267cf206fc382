// Intake waits a bounded time for the text to be read, so an outlet confirms the suggestions in one step;
// when no worker gets to the file in time it answers anyway, and says where to look later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createOutletWithToken } from '../support/apiClient.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { createTestApp } from '../support/testApp.ts';

const NOTICE = 'Роскомнадзор. Требование № 01-23/456 от 14.07.2022 удалить https://vlast.kz/novosti/1.html';

describe('intake without a worker to read the file', () => {
  // No extraction worker runs here: the file stays queued, as behind a long queue or a stopped worker.
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let outlet: Awaited<ReturnType<typeof createOutletWithToken>>;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    outlet = await createOutletWithToken(harness.app, 'vlast-kz');
  });
  afterAll(() => harness.close());

  const intake = async (query: string) => {
    const body = multipartBody([{ name: 'file', filename: 'notice.txt', content: NOTICE }]);
    const begun = Date.now();
    const response = await harness.app.inject({
      method: 'POST',
      url: `/api/intake${query}`,
      headers: { ...outlet.headers, ...body.headers },
      payload: body.payload,
    });
    return { response, seconds: (Date.now() - begun) / 1000 };
  };

  it('answers after the wait asked for, with the file queued and no suggestions yet', async () => {
    const { response, seconds } = await intake('?wait=1');
    expect(response.statusCode, response.body).toBe(201);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThan(5);
    const [document] = response.json().documents;
    expect(document).toMatchObject({ status: 'pending', suggestions: null });
    expect(document.url).toBe(`/api/documents/${document.id}`);
    // The draft order is there, and the document answers when asked later.
    const later = await harness.app.inject({ url: document.url, headers: outlet.headers });
    expect(later.statusCode).toBe(200);
  });

  it('does not wait at all with wait=0', async () => {
    const { response, seconds } = await intake('?wait=0');
    expect(response.statusCode).toBe(201);
    expect(seconds).toBeLessThan(1);
    expect(response.json().documents[0]).toMatchObject({ status: 'pending', suggestions: null });
  });

  it('refuses a wait it will not hold a connection for', async () => {
    for (const query of ['?wait=61', '?wait=-1', '?wait=soon', '?hold=1']) {
      const { response } = await intake(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().message, query).toMatch(/querystring/);
    }
  });
});
