// Who is calling: anonymous, an editor, or an outlet, from the Bearer token. Every access rule
// (see orderAccess.ts) is written against this one type, so fuller accounts can replace it later.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { ArchiveError } from '../errors.ts';
import { findApiToken } from './apiTokens.ts';

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'editor'; name: string; tokenId: number | null }
  | { kind: 'outlet'; name: string; tokenId: number; outletId: number };

/** Who may call a route: its `config.access`. A write that does not say needs a token. */
export type RouteAccess = 'anyone' | 'token' | 'editor';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

const ANONYMOUS: Caller = { kind: 'anonymous' };

function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The name written into the audit log for this caller. */
export function actorName(caller: Caller): string {
  if (caller.kind === 'anonymous') return 'anonymous';
  return `${caller.kind}:${caller.name}`;
}

// The access check runs as the route's first onRequest hook, right after the caller is known and before
// the body is read: an anonymous caller learns nothing of the schema (401, never a 400).
const ACCESS_CHECKS = { token: requireToken, editor: requireEditor } as const;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

function accessOf(options: RouteOptions): RouteAccess {
  const declared = options.config?.access;
  if (declared) return declared;
  const methods = Array.isArray(options.method) ? options.method : [options.method];
  return methods.every((method) => READS.has(method)) ? 'anyone' : 'token';
}

export default fp(
  async function callerPlugin(app: FastifyInstance) {
    app.decorateRequest<Caller | null>('caller', null);
    app.addHook('onRoute', (options) => {
      const access = accessOf(options);
      if (access === 'anyone') return;
      const own = options.onRequest ? [options.onRequest].flat() : [];
      options.onRequest = [ACCESS_CHECKS[access], ...own];
    });
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      request.caller = ANONYMOUS;
      const header = request.headers.authorization;
      if (header === undefined) return;
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new ArchiveError('unauthorized', 'The Authorization header must be "Bearer <token>"');
      const token = match[1]!;
      // Counted against the address before anything is compared or looked up: an address that has failed
      // too often gets 429 without touching the token table; a good token gives its count back.
      const tokenWasGood = await app.tokenCheckGuard.reserve(request, reply);
      const adminToken = app.config.ADMIN_TOKEN;
      if (adminToken && sameSecret(token, adminToken)) {
        request.caller = { kind: 'editor', name: 'ADMIN_TOKEN', tokenId: null };
        await tokenWasGood();
        return;
      }
      const stored = await findApiToken(app.db, token);
      if (!stored) throw new ArchiveError('unauthorized', 'Unknown or revoked token');
      await tokenWasGood();
      request.caller =
        stored.role === 'editor'
          ? { kind: 'editor', name: stored.name, tokenId: stored.id }
          : { kind: 'outlet', name: stored.name, tokenId: stored.id, outletId: stored.outletId! };
    });
  },
  { name: 'archive-caller', dependencies: ['rate-limits'] },
);

/** Access check of routes needing a token (`config: { access: 'token' }`): anonymous callers get 401. */
export async function requireToken(request: FastifyRequest): Promise<void> {
  if (request.caller.kind === 'anonymous') {
    throw new ArchiveError('unauthorized', 'This needs a token: send "Authorization: Bearer <token>"');
  }
}

/** Access check of editor-only routes (`config: { access: 'editor' }`). */
export async function requireEditor(request: FastifyRequest): Promise<void> {
  if (request.caller.kind === 'anonymous') return requireToken(request);
  if (request.caller.kind !== 'editor') throw new ArchiveError('forbidden', 'Only an editor may do this');
}
