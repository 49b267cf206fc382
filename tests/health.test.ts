import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeiliClient } from '../server/indexing/meiliClient.ts';
import { createTestApp } from './support/testApp.ts';

describe('GET /health', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    harness = await createTestApp();
  });
  afterAll(() => harness.close());

  it('says ok when PostgreSQL and Meilisearch both answer', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', postgres: 'up', meilisearch: 'up' });
  });

  it('answers 503 naming Meilisearch when it cannot be reached', async () => {
    // A client pointed at a port nothing listens on stands for a Meilisearch that is down.
    const app = harness.app;
    const original = app.meili;
    Object.assign(app, { meili: createMeiliClient('http://127.0.0.1:9', 'x'.repeat(16)) });
    try {
      const response = await app.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ status: 'degraded', postgres: 'up', meilisearch: 'down' });
    } finally {
      Object.assign(app, { meili: original });
    }
  });

  it('is described in the OpenAPI document', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    expect(response.json().paths['/health'].get.responses).toHaveProperty('503');
  });
});
