// Browser protections on every answer (@fastify/helmet): a CSP the server-rendered web UI can live with
// (scripts and styles only from files of our own, never inline; no framing, no plugins), no Referer sent
// on (a journalist following a target's link does not tell the site which order was read), nosniff. And
// caching: an answer that depends on the caller, or any error, is `private, no-store`; only answers that
// are the same for everyone (the authorities, the public feed, the API description) may be kept, and all
// vary on the credentials, so no cache hands one caller's answer to another.
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const PUBLIC_ROUTES = new Set(['/api/authorities', '/api/search.atom']);
// The transparency log's routes say for how long their answer holds (a consistency proof: for ever).
const SELF_CACHING_ROUTES = new Set([
  '/api/log/checkpoint',
  '/api/log/key',
  '/api/log/consistency',
  '/api/log/checkpoints',
]);
const PUBLIC_CACHE = 'public, max-age=300';
const PRIVATE_CACHE = 'private, no-store';
const CREDENTIALS = 'Authorization, Cookie';

function isPublic(request: FastifyRequest, statusCode: number): boolean {
  if (statusCode >= 400) return false;
  // The pages' stylesheets and scripts are the same for everyone, whatever cookie comes with them.
  if ((request.routeOptions.url ?? '').startsWith('/assets/')) return true;
  if (request.headers.authorization !== undefined || request.headers.cookie !== undefined) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const url = request.routeOptions.url ?? '';
  return (
    PUBLIC_ROUTES.has(url) || SELF_CACHING_ROUTES.has(url) || url === '/docs' || url.startsWith('/docs/')
  );
}

export default fp(
  async function securityHeaders(app: FastifyInstance) {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    });

    app.addHook('onSend', async (request, reply) => {
      const vary = reply.getHeader('vary');
      reply.header('vary', vary ? `${String(vary)}, ${CREDENTIALS}` : CREDENTIALS);
      const own = SELF_CACHING_ROUTES.has(request.routeOptions.url ?? '')
        ? reply.getHeader('cache-control')
        : undefined;
      const cache = isPublic(request, reply.statusCode) ? (own ?? PUBLIC_CACHE) : PRIVATE_CACHE;
      reply.header('cache-control', cache);
    });
  },
  { name: 'security-headers' },
);
