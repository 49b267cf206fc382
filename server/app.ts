// Builds the Fastify app: external plugins, then the archive's own support plugins, then routes.
import sensible from '@fastify/sensible';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Meilisearch } from 'meilisearch';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { ErrorResponse } from './schemas/common.ts';
import errorHandler from './plugins/errorHandler.ts';
import openapi from './plugins/openapi.ts';
import healthRoutes from './routes/health.ts';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  db: pg.Pool;
  meili: Meilisearch;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: pg.Pool;
    meili: Meilisearch;
  }
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Close idle keep-alive sockets on shutdown so draining does not wait on them.
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', deps.config);
  app.decorate('db', deps.db);
  app.decorate('meili', deps.meili);
  app.addSchema(ErrorResponse);

  await app.register(sensible);
  await app.register(openapi);
  await app.register(errorHandler);

  await app.register(healthRoutes);
  return app;
}
