// No Docker engine runs here, so the production compose file is checked by reading it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: unknown;
  command?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

describe('docker-compose.yml', () => {
  it('runs the official PostgreSQL and Meilisearch images at pinned versions, with data volumes and health checks', () => {
    const { postgres, meilisearch } = compose.services;
    expect(postgres?.image).toMatch(/^postgres:\d+\.\d+/);
    expect(meilisearch?.image).toMatch(/^getmeili\/meilisearch:v1\.21\.\d+$/);
    for (const service of [postgres, meilisearch]) {
      expect(service?.healthcheck?.test).toBeDefined();
      const volume = service?.volumes?.[0]?.split(':')[0];
      expect(Object.keys(compose.volumes)).toContain(volume);
    }
  });

  it('builds the app from the Dockerfile and points it at those servers once they are healthy', () => {
    const app = compose.services.app!;
    expect(app.build).toBe('.');
    expect(app.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    expect(app.environment?.MEILI_URL).toBe('http://meilisearch:7700');
    expect(app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      meilisearch: { condition: 'service_healthy' },
    });
    expect(app.healthcheck?.test).toBeDefined();
  });

  it('runs extraction in a separate worker service that shares the app’s settings and blob store', () => {
    const { app, worker } = compose.services;
    expect(worker?.build).toBe('.');
    expect(JSON.stringify(worker?.command)).toContain('server/workerMain.ts');
    expect(worker?.environment?.DATABASE_URL).toBe(app?.environment?.DATABASE_URL);
    expect(worker?.volumes).toEqual(app?.volumes);
    expect(app?.environment?.RUN_WORKER).toBe('false');
  });

  it('bounds Meilisearch’s indexing memory instead of letting it take two thirds of the host', () => {
    expect(compose.services.meilisearch?.environment?.MEILI_MAX_INDEXING_MEMORY).toBe('1GiB');
  });

  it('takes secrets from the environment instead of writing them in the file', () => {
    const text = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8');
    expect(text).toMatch(/POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?/);
    expect(text).toMatch(/MEILI_MASTER_KEY: \$\{MEILI_MASTER_KEY:\?/);
  });
});
