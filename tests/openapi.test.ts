// Every route is described in OpenAPI, says who may call it, and documents its error answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './support/testApp.ts';

describe('the OpenAPI description', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    harness = await createTestApp();
  });
  afterAll(() => harness.close());

  it('covers every route with its access rule and error responses', async () => {
    const spec = (await harness.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operations = Object.entries(
      spec.paths as Record<string, Record<string, { description?: string; responses: object }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(12);
    for (const { path, method, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(operation.description, where).toMatch(/anyone|token|editor/i);
      const codes = Object.keys(operation.responses);
      expect(
        codes.some((code) => code.startsWith('2')),
        where,
      ).toBe(true);
      if (path.startsWith('/api/'))
        expect(
          codes.some((code) => code.startsWith('4')),
          where,
        ).toBe(true);
      if (/token|editor/i.test(operation.description ?? '') && method !== 'get') {
        expect(codes, where).toContain('401');
      }
    }
  });
});
