// Who is calling: anonymous, an editor, or an account (a person or an outlet's automation) with its
// outlets, the outlets it administers and whether it is a researcher. The caller comes from a Bearer
// token, or from a session cookie; every access rule (see orderAccess.ts) is written against this one
// type. Route-level rules (`config.access`) are decided here, once, and written into each route's OpenAPI
// description from the same table.
import { createHash, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { ArchiveError } from '../errors.ts';
import { callerOfToken } from './apiTokens.ts';
import { callerOfSession, csrfSecretOf, SESSION_COOKIE } from './sessions.ts';
import type { Credential } from './userRights.ts';

export type { Credential } from './userRights.ts';

export type EditorCaller = { kind: 'editor' } & Credential;
export type AccountCaller = {
  kind: 'account';
  /** Outlets whose private orders it sees and changes. */
  outletIds: readonly number[];
  /** Outlets whose members it invites and removes. */
  adminOf: readonly number[];
  /** A researcher whose grant has not expired. */
  researcher: boolean;
} & Credential;
export type SignedInCaller = EditorCaller | AccountCaller;
export type Caller = { kind: 'anonymous' } | SignedInCaller;

/**
 * Who may call a route: its `config.access`. A read that does not say is for anyone, a write that does
 * not say is for members (of some outlet) and editors.
 *   anyone:   the public too;
 *   signedIn: any live token or session;
 *   person:   a person's own session or token (not ADMIN_TOKEN, an editor's or an outlet's token);
 *   member:   an editor, or a member of at least one outlet (the record decides which outlet);
 *   admin:    an editor, or an admin of at least one outlet (the command decides which);
 *   editor:   editors only.
 */
export type RouteAccess = 'anyone' | 'signedIn' | 'person' | 'member' | 'admin' | 'editor';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
    /** The session's CSRF secret, for @fastify/csrf-protection, when the caller came with a session cookie. */
    session?: { _csrf?: string };
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every route registered, with its access rule: what the authorization matrices walk. */
    routeAccess: readonly { method: string; url: string; access: RouteAccess }[];
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
  if (caller.kind === 'editor') return `editor:${caller.name}`;
  return caller.userId === null ? `outlet:${caller.name}` : `user:${caller.name}`;
}

/** An operator at the server (the CLI, the bulk ingester): an editor with no token. */
export function operatorCaller(name: string): EditorCaller {
  return { kind: 'editor', name, userId: null, tokenId: null, sessionId: null, readOnly: false };
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Each route rule: who passes, what the OpenAPI description says, and what a refused caller is told. */
const RULES: Record<
  Exclude<RouteAccess, 'anyone'>,
  { allows: (caller: SignedInCaller) => boolean; who: string; refusal: string }
> = {
  signedIn: { allows: () => true, who: 'anyone signed in (token or session)', refusal: '' },
  person: {
    allows: (caller) => caller.userId !== null && caller.outletOnly === undefined,
    who: 'a person signed in (their session, or a token of their own not narrowed to one outlet), about their own account',
    refusal:
      "This is about a person's own account: sign in, or use a token of your own, not an editor's or an " +
      "outlet's, nor one made for one outlet only",
  },
  member: {
    allows: (caller) => caller.kind === 'editor' || caller.outletIds.length > 0,
    who: "editors and members of an outlet (the record's outlet decides)",
    refusal: 'Only an editor or a member of an outlet may do this',
  },
  admin: {
    allows: (caller) => caller.kind === 'editor' || caller.adminOf.length > 0,
    who: "editors and outlet admins (for their own outlet's members)",
    refusal: "Only an editor or an outlet's admin may do this",
  },
  editor: {
    allows: (caller) => caller.kind === 'editor',
    who: 'editors only',
    refusal: 'Only an editor may do this',
  },
};

export const ACCESS_DESCRIPTIONS: Record<RouteAccess, string> = {
  anyone: 'anyone, the public included (what each caller sees follows the visibility rule)',
  signedIn: RULES.signedIn.who,
  person: RULES.person.who,
  member: RULES.member.who,
  admin: RULES.admin.who,
  editor: RULES.editor.who,
};

function isWrite(options: Pick<RouteOptions, 'method'>): boolean {
  const methods = [options.method].flat();
  return !methods.every((method) => READS.has(method));
}

export function accessOf(options: Pick<RouteOptions, 'method' | 'config'>): RouteAccess {
  const declared = options.config?.access;
  if (declared) return declared;
  return isWrite(options) ? 'member' : 'anyone';
}

/** The route's access check: the first onRequest hook, before the body is read (anonymous learns nothing: 401). */
function accessCheck(access: Exclude<RouteAccess, 'anyone'>, write: boolean) {
  const rule = RULES[access];
  return async function checkAccess(request: FastifyRequest): Promise<void> {
    const caller = request.caller;
    if (caller.kind === 'anonymous') {
      throw new ArchiveError(
        'unauthorized',
        'This needs you signed in: a session, or "Authorization: Bearer <token>"',
      );
    }
    if (write && caller.readOnly) throw new ArchiveError('forbidden', 'This token is read-only');
    if (!rule.allows(caller)) throw new ArchiveError('forbidden', rule.refusal);
  };
}

export default fp(
  async function callerPlugin(app: FastifyInstance) {
    await app.register(cookie);
    // The CSRF secret lives in request.session, filled from the session cookie below: the "session
    // plugin" mode of @fastify/csrf-protection, with the archive's own PostgreSQL sessions.
    await app.register(csrfProtection, {
      sessionPlugin: '@fastify/session',
      getToken: (request) => {
        const header = request.headers['x-csrf-token'];
        if (typeof header === 'string') return header;
        const body = request.body as { _csrf?: unknown } | undefined;
        return typeof body?._csrf === 'string' ? body._csrf : undefined;
      },
    });
    app.decorateRequest<Caller | null>('caller', null);
    app.decorateRequest('session', undefined);
    const routeAccess: { method: string; url: string; access: RouteAccess }[] = [];
    app.decorate('routeAccess', routeAccess);
    app.addHook('onRoute', (options) => {
      const access = accessOf(options);
      for (const method of [options.method].flat()) routeAccess.push({ method, url: options.url, access });
      if (!options.url.startsWith('/docs')) describeAccess(options, access);
      if (access === 'anyone') return;
      const own = options.onRequest ? [options.onRequest].flat() : [];
      options.onRequest = [accessCheck(access, isWrite(options)), ...own];
    });
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      request.caller = ANONYMOUS;
      const header = request.headers.authorization;
      if (header === undefined) return callerFromCookie(app, request, reply);
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new ArchiveError('unauthorized', 'The Authorization header must be "Bearer <token>"');
      const token = match[1]!;
      // Counted against the address before anything is compared or looked up: an address that has failed
      // too often gets 429 without touching the token table; a good token gives its count back.
      const tokenWasGood = await app.tokenCheckGuard.reserve(request, reply);
      const adminToken = app.config.ADMIN_TOKEN;
      if (adminToken && sameSecret(token, adminToken)) {
        request.caller = operatorCaller('ADMIN_TOKEN');
        await tokenWasGood();
        return;
      }
      const caller = await callerOfToken(app.db, token);
      if (!caller) throw new ArchiveError('unauthorized', 'Unknown, expired or revoked token');
      await tokenWasGood();
      request.caller = caller;
    });
    // A change made with a session cookie must carry the session's CSRF token (header x-csrf-token, or a
    // form's _csrf field): checked once the body is read, before it is validated. A Bearer token needs none.
    // The field is taken out of the body once checked: it is not the route's data, whose schema refuses it.
    app.addHook('preValidation', (request, reply, done) => {
      if (request.session === undefined || READS.has(request.method)) return done();
      app.csrfProtection(request, reply, () => {
        const body = request.body as { _csrf?: unknown } | undefined;
        if (typeof body === 'object' && body !== null && '_csrf' in body) delete body._csrf;
        done();
      });
    });
  },
  { name: 'archive-caller', dependencies: ['rate-limits'] },
);

/** A session cookie makes the caller; one that is unknown, ended or expired is cleared and ignored. */
async function callerFromCookie(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const secret = request.cookies[SESSION_COOKIE];
  if (!secret) return;
  const caller = await callerOfSession(app.db, secret);
  if (!caller) {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return;
  }
  request.caller = caller;
  request.session = { _csrf: csrfSecretOf(secret) };
}

/**
 * Appends "Who may call" to the route's OpenAPI description, and names the credentials it takes (a Bearer
 * token or the session cookie), from the same rule the check uses.
 */
function describeAccess(options: RouteOptions, access: RouteAccess) {
  const schema = (options.schema ?? {}) as { description?: string };
  const who = `Who may call: ${ACCESS_DESCRIPTIONS[access]}.`;
  options.schema = {
    ...options.schema,
    description: schema.description ? `${schema.description}\n\n${who}` : who,
    // Anyone may call without credentials; with them, they see what their rights let them see.
    security: [...(access === 'anyone' ? [{}] : []), { bearerToken: [] }, { sessionCookie: [] }],
  };
}

/** The session cookie's options: HttpOnly, SameSite=Lax, Secure when the request came over HTTPS. */
export function sessionCookieOptions(request: FastifyRequest, expires: Date) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
    expires,
  };
}
