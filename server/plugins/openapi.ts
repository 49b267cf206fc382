// OpenAPI description of every route, generated from the route schemas, served at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export default fp(async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Takedown Archive API',
        description:
          'An archive of takedown demands sent by governments to news outlets: orders, the articles they ' +
          'target, the outlets’ responses and what followed. Every route states who may call it.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearerToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API token: a person’s (their rights, or fewer), an outlet’s (its automation), or an editor’s',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'ta_session',
            description:
              'A browser session (POST /api/session). A change made with it needs the header x-csrf-token.',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The archive's CSP (securityHeaders.ts), eased for this page only: Swagger UI sets style attributes
    // and shows its logo as a data: image. Its scripts are files of its own, so script-src stays 'self'.
    transformStaticCSP: (header) =>
      header
        .replace(/style-src 'self'/, "style-src 'self' 'unsafe-inline'")
        .replace(/img-src 'self'/, "img-src 'self' data:"),
  });
});
