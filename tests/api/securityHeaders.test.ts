// Headers: every answer carries a CSP the coming web UI can live with (no inline script) and the other
// browser protections; answers that depend on the caller, and every error, are never cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createOutletWithToken, editor } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

type Harness = Awaited<ReturnType<typeof createTestApp>>;

function directives(header: unknown): Map<string, string> {
  expect(typeof header).toBe('string');
  return new Map(
    (header as string)
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name!, values.join(' ')] as [string, string];
      }),
  );
}

const PRIVATE = 'private, no-store';

describe('security headers', () => {
  let harness: Harness;
  let outletHeaders: Record<string, string>;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { searchRelay: true });
    ({ headers: outletHeaders } = await createOutletWithToken(harness.app, 'headers-outlet'));
  });
  afterAll(() => harness.close());

  it('a CSP without inline script, framing refused, no referrer, nosniff: on answers and on errors', async () => {
    for (const request of [
      { url: '/api/orders' },
      { url: '/api/no-such-route' },
      { url: '/api/orders', headers: { authorization: 'Bearer nonsense' } },
      { url: '/health' },
    ]) {
      const answer = await harness.app.inject({ method: 'GET', ...request });
      const csp = directives(answer.headers['content-security-policy']);
      expect(csp.get('default-src')).toBe("'self'");
      expect(csp.get('script-src')).toBe("'self'");
      expect(csp.get('style-src')).toBe("'self'");
      expect(csp.get('object-src')).toBe("'none'");
      expect(csp.get('base-uri')).toBe("'self'");
      expect(csp.get('form-action')).toBe("'self'");
      expect(csp.get('frame-ancestors')).toBe("'none'");
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers that depend on the caller, and every error, are private and never stored', async () => {
    const cases = [
      { url: '/api/orders' }, // anonymous, but what it lists depends on who asks
      { url: '/api/orders', headers: outletHeaders },
      { url: '/api/authorities', headers: editor }, // read with a token
      { url: '/api/authorities', headers: { cookie: 'session=x' } },
      { url: '/api/documents', headers: outletHeaders },
      { url: '/api/search?q=x' },
      { url: '/api/no-such-route' },
      { url: '/api/orders/TD-1999-99999' },
      { url: '/api/orders', headers: { authorization: 'Bearer nonsense' } },
      { url: '/api/authorities?limit=-1' }, // a public route's error
      { url: '/health' },
    ];
    for (const request of cases) {
      const answer = await harness.app.inject({ method: 'GET', ...request });
      expect({ ...request, cache: answer.headers['cache-control'] }).toEqual({ ...request, cache: PRIVATE });
      expect(answer.headers.vary).toMatch(/Authorization, Cookie/);
    }
  });

  it('public answers that no caller changes may be cached, and still vary on the credentials', async () => {
    for (const url of ['/api/authorities', '/api/search.atom']) {
      // The feed answers once the relay has created the search indexes.
      let answer = await harness.app.inject({ method: 'GET', url });
      for (const started = Date.now(); answer.statusCode === 503 && Date.now() - started < 15_000;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        answer = await harness.app.inject({ method: 'GET', url });
      }
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
      expect(answer.headers.vary).toMatch(/Authorization, Cookie/);
    }
  });

  it('the Swagger UI at /docs still works: its page loads only files from itself, under its own CSP', async () => {
    const page = await harness.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const csp = directives(page.headers['content-security-policy']);
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    // Swagger UI sets style attributes and shows its logo as a data: image.
    expect(csp.get('style-src')).toContain("'unsafe-inline'");
    expect(csp.get('img-src')).toContain('data:');
    for (const file of ['swagger-ui-bundle.js', 'swagger-initializer.js', 'swagger-ui.css']) {
      expect((await harness.app.inject({ method: 'GET', url: `/docs/static/${file}` })).statusCode).toBe(200);
    }
    expect((await harness.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
  });
});
