// Rate limits per route class, with @fastify/rate-limit counting in PostgreSQL (rateLimitStore.ts), so
// that every API process shares them; and the guard on failed token checks per address, which caller.ts
// consults before it looks a token up.
//
// The defaults (README, "Rate limits") are for an archive that journalists read in bursts: opening a story
// pulls its order, documents and pages within seconds, and a newsroom shares one address. Lumen's 10 a
// minute and 30 an hour for anonymous pages would cut such a reader off mid-story, so anonymous reads get
// 60 a minute (a burst) but 600 an hour (10 a minute sustained, which stops a scraper); anonymous search,
// the dearest read, 30 a minute. A token is a known desk: 300 reads a minute (editors are not limited),
// 60 writes, and 10 uploads or intakes (each may carry 20 files and start OCR). Failed token checks:
// 20 an hour per address, enough for typos, nothing for guessing. Sign-ins, and the other routes that
// take a secret from anyone (accepting an invitation, a password reset), 30 a minute per address whoever
// calls: a newsroom behind one address signing in on a Monday morning passes, a password guesser does not
// (each account also locks after SIGN_IN_MAX_FAILURES wrong passwords in a row, commands/signIn.ts).
import rateLimit, {
  normalizeIP,
  type FastifyRateLimitStoreCtor,
  type CreateRateLimitOptions,
  type RateLimitOptions,
} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ArchiveError } from '../errors.ts';
import { PostgresRateLimitStore } from './rateLimitStore.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Routes no limit applies to: the balancer's health check, the static API description and the pages' assets. */
const EXEMPT = (url: string) =>
  url === '/health' || url === '/docs' || url.startsWith('/docs/') || url.startsWith('/assets/');
// The upload page and the desk's "read again" button file and extract as POST /api/intake and
// /api/documents/:id/reprocess do, so they count in the same limit.
const UPLOADS = new Set([
  'POST /api/orders/:id/documents',
  'POST /api/intake',
  'POST /api/documents/:id/reprocess',
  'POST /upload',
  'POST /desk/documents/:id/reprocess',
]);
// The search page (GET /) runs the same search as GET /api/search, and an order's page its precedents.
const SEARCHES = new Set([
  'GET /api/search',
  'GET /api/search/pages',
  'GET /api/orders/:id/precedents',
  'GET /',
]);
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes where anyone may try a secret: a password, an invitation's or a reset's link. */
const TAKES_SECRET = (method: string, url: string) =>
  (method === 'POST' && (url === '/api/session' || url === '/sign-in')) ||
  url.startsWith('/api/session/link') ||
  url === '/api/invitations/accept' ||
  url.startsWith('/api/invitations/accept/') ||
  url === '/api/password-resets' ||
  url.startsWith('/api/password-resets/');

export interface TokenCheckGuard {
  /**
   * Counts a token check against the caller's address before the token is looked up, and refuses it (429)
   * once the address has failed too often; call the returned function when the token proved good, to
   * give the count back. Counting first keeps the limit exact under a concurrent flood.
   */
  reserve(request: FastifyRequest, reply: FastifyReply): Promise<() => Promise<void>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    tokenCheckGuard: TokenCheckGuard;
  }
}

type Limit = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Options naming their route class: the plugin hands them to the store's child(), which counts in that bucket. */
function inBucket<Options extends CreateRateLimitOptions>(nameSpace: string, options: Options): Options {
  return { ...options, nameSpace };
}

const addressOf = (request: FastifyRequest) => normalizeIP(request.ip);

function tokenKeyOf(request: FastifyRequest): string {
  const caller = request.caller;
  if (caller.kind === 'anonymous') return addressOf(request);
  if (caller.tokenId !== null) return `token:${caller.tokenId}`;
  return caller.sessionId === null ? 'admin-token' : `session:${caller.sessionId}`;
}

function refusal(what: string, max: number, window: number, ttlMs: number) {
  const per = window === HOUR ? 'hour' : 'minute';
  const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
  return new ArchiveError(
    'rate_limited',
    `Too many ${what}: at most ${max} per ${per}. Try again in ${seconds} s`,
  );
}

export default fp(
  async function rateLimits(app: FastifyInstance) {
    const { config, db } = app;
    const root = new PostgresRateLimitStore(db, 'default', {
      onError: (error) => app.log.warn({ err: error }, 'rate limit not counted: the request goes through'),
    });
    // What this process tallied but has not yet added to the table goes in before the pool closes.
    app.addHook('onClose', () => root.flush());
    // The plugin constructs its store itself; this one hands it the store made above.
    const Store = function () {
      return root;
    } as unknown as FastifyRateLimitStoreCtor;
    await app.register(rateLimit, {
      global: false,
      store: Store,
      // A count that fails (PostgreSQL unreachable) lets the request through: the request will meet the
      // same database anyway, and its own timeout answers for it.
      skipOnError: true,
    });

    const limiter = (
      nameSpace: string,
      what: string,
      max: number,
      timeWindow: number,
      key = tokenKeyOf,
    ): Limit => {
      const handler = app.rateLimit(
        inBucket<RateLimitOptions>(nameSpace, {
          max,
          timeWindow,
          keyGenerator: key,
          errorResponseBuilder: (_request, context) => refusal(what, context.max, timeWindow, context.ttl),
        }),
      );
      return async (request, reply) => {
        await handler.call(app, request, reply);
      };
    };
    const anonymousReads = limiter(
      'anonymous_reads_minute',
      'requests from this address',
      config.RATE_LIMIT_ANONYMOUS_READS_PER_MINUTE,
      MINUTE,
      addressOf,
    );
    const anonymousReadsHourly = app.createRateLimit(
      inBucket('anonymous_reads_hour', {
        max: config.RATE_LIMIT_ANONYMOUS_READS_PER_HOUR,
        timeWindow: HOUR,
        keyGenerator: addressOf,
      }),
    );
    const anonymousSearches = limiter(
      'anonymous_searches',
      'searches from this address',
      config.RATE_LIMIT_ANONYMOUS_SEARCHES_PER_MINUTE,
      MINUTE,
      addressOf,
    );
    const tokenReads = limiter(
      'token_reads',
      'reads with this token',
      config.RATE_LIMIT_TOKEN_READS_PER_MINUTE,
      MINUTE,
    );
    const writes = limiter('writes', 'changes with this token', config.RATE_LIMIT_WRITES_PER_MINUTE, MINUTE);
    const uploads = limiter(
      'uploads',
      'uploads with this token',
      config.RATE_LIMIT_UPLOADS_PER_MINUTE,
      MINUTE,
    );

    const signIns = limiter(
      'sign_ins',
      'sign-in attempts from this address',
      config.RATE_LIMIT_SIGN_INS_PER_MINUTE,
      MINUTE,
      addressOf,
    );

    const failedTokens = app.createRateLimit(
      inBucket('failed_token_checks', {
        max: config.RATE_LIMIT_FAILED_TOKENS_PER_HOUR,
        timeWindow: HOUR,
        keyGenerator: addressOf,
      }),
    );
    const failedTokenStore = root.child({ nameSpace: 'failed_token_checks' });

    app.decorate<TokenCheckGuard>('tokenCheckGuard', {
      async reserve(request, reply) {
        const limit = await failedTokens(request);
        if (limit.isAllowed) return async () => {};
        if (limit.isExceeded) {
          refuseWith(reply, limit.max, limit.ttlInSeconds);
          throw refusal('failed token checks from this address', limit.max, HOUR, limit.ttl);
        }
        return () => failedTokenStore.refund(limit.key, HOUR);
      },
    });

    // preParsing: after the caller is known (onRequest), before any body is read.
    app.addHook('preParsing', async (request, reply) => {
      const url = request.routeOptions.url ?? '';
      if (EXEMPT(url)) return;
      const method = request.method === 'HEAD' ? 'GET' : request.method;
      const route = `${method} ${url}`;
      if (TAKES_SECRET(method, url)) return signIns(request, reply);
      const caller = request.caller;
      if (caller.kind === 'anonymous') {
        if (SEARCHES.has(route)) return anonymousSearches(request, reply);
        const hourly = await anonymousReadsHourly(request);
        if (!hourly.isAllowed && hourly.isExceeded) {
          refuseWith(reply, hourly.max, hourly.ttlInSeconds);
          throw refusal('requests from this address', hourly.max, HOUR, hourly.ttl);
        }
        return anonymousReads(request, reply);
      }
      if (UPLOADS.has(route)) return uploads(request, reply);
      if (!READ_METHODS.has(method)) return writes(request, reply);
      if (caller.kind === 'account') return tokenReads(request, reply);
    });
  },
  { name: 'rate-limits' },
);

/** The headers @fastify/rate-limit sends with its own refusals, for the limits checked by hand here. */
function refuseWith(reply: FastifyReply, max: number, ttlInSeconds: number) {
  const seconds = String(Math.max(1, ttlInSeconds));
  reply.header('x-ratelimit-limit', max).header('x-ratelimit-remaining', 0);
  reply.header('x-ratelimit-reset', seconds).header('retry-after', seconds);
}
