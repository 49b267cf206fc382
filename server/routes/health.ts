// GET /health: whether the archive and each of its backing servers answer.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { errors } from '../schemas/common.ts';

const PartState = Type.Union([Type.Literal('up'), Type.Literal('down')]);
const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  postgres: PartState,
  meilisearch: PartState,
});

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS)),
  ]);
}

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Health of the archive and its backing servers',
        description:
          'Anyone may call it, without a token (a bad one, as on every route, gets 401). 503 names the part ' +
          'that is down.',
        response: { 200: HealthResponse, 503: HealthResponse, ...errors(401) },
      },
    },
    async (_request, reply) => {
      const [postgres, meilisearch] = await Promise.all([
        withTimeout(
          // Its own read timeout, so a check that gives up also gives its connection back (and the pool
          // drops it) instead of holding it until PostgreSQL answers.
          app.db.query({ text: 'SELECT 1', query_timeout: CHECK_TIMEOUT_MS } as pg.QueryConfig),
        ).then(
          () => 'up' as const,
          () => 'down' as const,
        ),
        withTimeout(app.meili.health()).then(
          (health) => (health.status === 'available' ? ('up' as const) : ('down' as const)),
          () => 'down' as const,
        ),
      ]);
      const ok = postgres === 'up' && meilisearch === 'up';
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', postgres, meilisearch });
    },
  );
};

export default healthRoutes;
