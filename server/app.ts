// Builds the Fastify app: external plugins, then the archive's own support plugins, then routes.
import multipart from '@fastify/multipart';
import sensible from '@fastify/sensible';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Meilisearch } from 'meilisearch';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { ErrorResponse } from './schemas/common.ts';
import { clientErrorHandler } from './plugins/clientErrors.ts';
import errorHandler from './plugins/errorHandler.ts';
import openapi from './plugins/openapi.ts';
import rateLimits from './plugins/rateLimits.ts';
import securityHeaders from './plugins/securityHeaders.ts';
import requestValidation from './plugins/requestValidation.ts';
import requestBodyTimeout from './plugins/requestBodyTimeout.ts';
import callerPlugin from './auth/caller.ts';
import healthRoutes from './routes/health.ts';
import orderRoutes from './routes/api/orders.ts';
import referenceRoutes from './routes/api/references.ts';
import documentRoutes from './routes/api/documents.ts';
import redactionRoutes from './routes/api/redactions.ts';
import renditionRoutes from './routes/api/renditions.ts';
import searchRoutes from './routes/api/search.ts';
import tokenRoutes from './routes/api/tokens.ts';
import historyRoutes from './routes/api/history.ts';
import invitationRoutes from './routes/api/invitations.ts';
import memberRoutes from './routes/api/members.ts';
import passwordResetRoutes from './routes/api/passwordResets.ts';
import userRoutes from './routes/api/users.ts';
import sessionRoutes from './routes/api/sessions.ts';
import statisticsRoutes from './routes/api/statistics.ts';
import exportRoutes from './routes/api/exports.ts';
import webPlugin from './web/webPlugin.ts';
import type { JobQueue } from './queue/jobQueue.ts';
import type { BlobStore } from './storage/blobStore.ts';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  db: pg.Pool;
  meili: Meilisearch;
  blobs: BlobStore;
  jobs: JobQueue;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: pg.Pool;
    meili: Meilisearch;
    blobs: BlobStore;
    jobs: JobQueue;
    /** Undefined where no SMTP is configured: the archive then sends no mail. */
    mailer: Mailer | undefined;
  }
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Close idle keep-alive sockets on shutdown so draining does not wait on them.
    forceCloseConnections: 'idle',
    // Rate limits count per client address: behind a balancer, its X-Forwarded-For names the client.
    trustProxy: deps.config.TRUST_PROXY.trim() || false,
    // Requests the HTTP parser refuses (raw Cyrillic in a URL) get the archive's error body too.
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', deps.config);
  app.decorate('db', deps.db);
  app.decorate('meili', deps.meili);
  app.decorate('blobs', deps.blobs);
  app.decorate('jobs', deps.jobs);
  const mailer = createMailer(deps.config);
  app.decorate('mailer', mailer);
  app.addHook('onClose', async () => mailer?.close());
  app.addSchema(ErrorResponse);

  await app.register(sensible);
  await app.register(securityHeaders);
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: deps.config.MAX_UPLOAD_BYTES, files: 20, fields: 10, fieldSize: 1000, parts: 40 },
  });
  await app.register(openapi);
  await app.register(requestValidation);
  await app.register(errorHandler);
  await app.register(requestBodyTimeout);
  await app.register(rateLimits);
  await app.register(callerPlugin);

  await app.register(healthRoutes);
  await app.register(orderRoutes, { prefix: '/api' });
  await app.register(referenceRoutes, { prefix: '/api' });
  await app.register(documentRoutes, { prefix: '/api' });
  await app.register(redactionRoutes, { prefix: '/api' });
  await app.register(renditionRoutes, { prefix: '/api' });
  await app.register(searchRoutes, { prefix: '/api' });
  await app.register(tokenRoutes, { prefix: '/api' });
  await app.register(historyRoutes, { prefix: '/api' });
  await app.register(userRoutes, { prefix: '/api' });
  await app.register(invitationRoutes, { prefix: '/api' });
  await app.register(passwordResetRoutes, { prefix: '/api' });
  await app.register(memberRoutes, { prefix: '/api' });
  await app.register(sessionRoutes, { prefix: '/api' });
  await app.register(statisticsRoutes, { prefix: '/api' });
  await app.register(exportRoutes, { prefix: '/api' });
  // The pages, after the API they are built on, on the same port.
  await app.register(webPlugin);
  return app;
}
