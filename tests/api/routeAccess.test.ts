// A route states who may call it in config.access, and the check runs before its body is read; a write
// route that forgets to say needs a token, so a new route cannot leak its schema (or worse) to anyone.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import callerPlugin from '../../server/auth/caller.ts';
import errorHandler from '../../server/plugins/errorHandler.ts';
import requestValidation from '../../server/plugins/requestValidation.ts';

describe('route access', () => {
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  beforeAll(async () => {
    app.decorate('config', { ADMIN_TOKEN: 'route-access-admin-token-0123456789' } as never);
    await app.register(requestValidation);
    await app.register(errorHandler);
    // The caller plugin counts token checks through the rate limits' guard; this test is about access
    // declarations alone, so the guard lets every token through (tests/api/rateLimits.test.ts covers it).
    await app.register(
      fp(
        async (instance) =>
          void instance.decorate('tokenCheckGuard', { reserve: async () => async () => {} }),
        {
          name: 'rate-limits',
        },
      ),
    );
    await app.register(callerPlugin);
    const body = Type.Object({ name: Type.String() }, { additionalProperties: false });
    const ok = async () => ({ ok: true });
    app.post('/forgot', { schema: { body } }, ok);
    app.post('/open', { config: { access: 'anyone' }, schema: { body } }, ok);
    app.post('/editors', { config: { access: 'editor' }, schema: { body } }, ok);
    app.get('/read', ok);
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers, payload: { colour: 'red' } });
  const admin = { authorization: 'Bearer route-access-admin-token-0123456789' };

  it('a write route that declares nothing needs a token, checked before its body', async () => {
    const response = await post('/forgot');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'unauthorized' });
    expect((await post('/forgot', admin)).statusCode).toBe(400);
  });

  it('access: anyone opens a write; access: editor needs an editor', async () => {
    expect((await post('/open')).statusCode).toBe(400);
    expect((await post('/editors')).statusCode).toBe(401);
    expect((await post('/editors', admin)).statusCode).toBe(400);
  });

  it('a read that declares nothing is open', async () => {
    expect((await app.inject({ url: '/read' })).statusCode).toBe(200);
  });
});
