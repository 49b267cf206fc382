// Public ids are consecutive and unique even when many orders are filed at the same moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, authorityByAlias, editor } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

describe('public order ids', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
  });
  afterAll(() => harness.close());

  it('50 concurrent creations get 50 distinct consecutive ids', async () => {
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        harness.app.inject({ method: 'POST', url: '/api/orders', headers: editor, payload: { authority } }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(50).fill(201));
    const numbers = responses
      .map((response) => Number(response.json().id.split('-')[2]))
      .sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers[49]! - numbers[0]!).toBe(49);
    const year = new Date().getUTCFullYear();
    expect(responses[0]!.json().id).toMatch(new RegExp(`^TD-${year}-\\d{5}$`));
  });
});
