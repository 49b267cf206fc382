// /api/session (sign in, who am I, sign out) and /api/me/sessions, /api/me/password: a person's browser
// sessions and their password. The session lives in the ta_session cookie (HttpOnly, SameSite=Lax,
// Secure over HTTPS); a change made with it needs its CSRF token (caller.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionCookieOptions, type Caller, type SignedInCaller } from '../../auth/caller.ts';
import { csrfSecretOf, SESSION_COOKIE, type StartedSession } from '../../auth/sessions.ts';
import { changePassword } from '../../commands/passwordChanger.ts';
import { revokeSession, signOut } from '../../commands/sessionEnder.ts';
import { signIn, signInWithLink, WRONG_CREDENTIALS } from '../../commands/signIn.ts';
import { mailLinkInBackground } from '../../commands/accountLinks.ts';
import { requestLinkByMail } from '../../commands/passwordResets.ts';
import { PasswordResetRequest, PasswordResetRequested, SignInLinkInput } from '../../schemas/people.ts';
import { lockRulesOf } from '../../commands/accountLock.ts';
import { notFound } from '../../errors.ts';
import { listSessionsOf, readSessionView } from '../../records/sessionRecords.ts';
import { errors } from '../../schemas/common.ts';
import { pageOf } from '../../schemas/references.ts';
import {
  PasswordChangeInput,
  SessionIdParam,
  SessionListQuery,
  SessionSummary,
  SignedInSession,
  SignInInput,
} from '../../schemas/sessions.ts';

const tags = ['sessions'];
const NO_MAIL = 'This archive sends no e-mail (no SMTP is configured): sign in with your password.';
const LINK_ON_ITS_WAY = 'If the address belongs to an account, a sign-in link is on its way to it.';
const COOKIE_WRITES =
  'With the session cookie, send the session’s CSRF token as the header x-csrf-token (GET /api/session gives it).';

const originOf = (request: FastifyRequest) => ({
  address: request.ip,
  device: request.headers['user-agent'],
});

/** The caller's session, when it came with the cookie; a token has none. */
function sessionCaller(caller: Caller): SignedInCaller {
  if (caller.kind === 'anonymous' || caller.sessionId === null) {
    throw notFound('no session: this request used a token');
  }
  return caller;
}

const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The answer of sign-in and of GET /api/session: the person, the session, and its CSRF token. */
  async function sessionAnswer(reply: FastifyReply, sessionId: number) {
    const view = await readSessionView(app.db, sessionId);
    if (!view) throw notFound('no session');
    return {
      user: view.user,
      session: { id: view.session.id, expires_at: view.session.expires_at.toISOString() },
      csrf_token: reply.generateCsrf(),
    };
  }

  /**
   * Gives the browser its new session (by password or by mailed link): a session it came with ends, the
   * cookie is set, and the answer carries the new session's CSRF token.
   */
  async function startBrowserSession(request: FastifyRequest, reply: FastifyReply, session: StartedSession) {
    const previous = request.caller;
    if (previous.kind !== 'anonymous' && previous.sessionId !== null) {
      await signOut(app.db, { caller: previous });
    }
    reply.setCookie(SESSION_COOKIE, session.secret, sessionCookieOptions(request, session.expiresAt));
    // The CSRF token handed out now belongs to the new session, not to one the browser came with.
    request.session = { _csrf: csrfSecretOf(session.secret) };
    return reply.code(201).send(await sessionAnswer(reply, session.id));
  }

  app.post(
    '/session',
    {
      config: { access: 'anyone' },
      schema: {
        tags,
        summary: 'Sign in',
        description:
          `Starts a browser session: answers with the person, their memberships and the session's CSRF ` +
          `token, and sets the ta_session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS), which lasts ` +
          `SESSION_LIFETIME_HOURS. An unknown e-mail, a wrong password and a disabled account all answer ` +
          `401 "${WRONG_CREDENTIALS}", in the same time. After SIGN_IN_MAX_FAILURES wrong passwords in a ` +
          `row the account is locked for SIGN_IN_LOCK_SECONDS: every attempt, the right password from ` +
          `anywhere included, answers 423 saying when it unlocks (and Retry-After). Each address may try ` +
          `RATE_LIMIT_SIGN_INS_PER_MINUTE times a minute (429). A browser already signed in ends its old ` +
          `session, and must send that session's CSRF token.`,
        body: SignInInput,
        response: { 201: SignedInSession, ...errors(400, 401, 403, 423, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await signIn(app.db, {
        email: request.body.email,
        password: request.body.password,
        ...originOf(request),
        rules: { ...lockRulesOf(app.config), sessionLifetimeHours: app.config.SESSION_LIFETIME_HOURS },
      });
      return startBrowserSession(request, reply, signedIn.session);
    },
  );

  app.post(
    '/session/link',
    {
      config: { access: 'anyone' },
      schema: {
        tags,
        summary: 'Ask for a sign-in link by mail',
        description:
          'Where SMTP is configured (SMTP_URL), mails a one-time sign-in link to the address if it belongs ' +
          'to an enabled account; it works once, for SIGN_IN_LINK_MINUTES. Always 202 with the same answer ' +
          'whether or not the address has an account, and the mail leaves after the answer. Without SMTP ' +
          'the archive sends nothing, and says so. Counts in the sign-in limit per address.',
        body: PasswordResetRequest,
        response: { 202: PasswordResetRequested, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { mailer } = app;
      if (!mailer) return reply.code(202).send({ message: NO_MAIL });
      const link = await requestLinkByMail(app.db, {
        purpose: 'sign_in',
        email: request.body.email,
        expiresInMinutes: app.config.SIGN_IN_LINK_MINUTES,
      });
      if (link) {
        mailLinkInBackground(
          { mailer, publicUrl: app.config.PUBLIC_URL!, log: request.log },
          { purpose: 'sign_in', token: link.token, to: link.email, expiresAt: link.expiresAt },
        );
      }
      return reply.code(202).send({ message: LINK_ON_ITS_WAY });
    },
  );

  app.post(
    '/session/link/complete',
    {
      config: { access: 'anyone' },
      schema: {
        tags,
        summary: 'Sign in with a mailed link',
        description:
          'Starts a session as POST /api/session does (the same cookie and answer), with the one-time ' +
          'secret of a mailed sign-in link instead of a password. A used, expired or unknown link answers ' +
          '410 link_used_or_expired.',
        body: SignInLinkInput,
        response: { 201: SignedInSession, ...errors(400, 401, 403, 410, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await signInWithLink(app.db, {
        token: request.body.token,
        ...originOf(request),
        sessionLifetimeHours: app.config.SESSION_LIFETIME_HOURS,
      });
      return startBrowserSession(request, reply, signedIn.session);
    },
  );

  app.get(
    '/session',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'The session this browser is signed in with',
        description:
          'The same answer as signing in, with a fresh CSRF token for the session, so a page can ask who ' +
          'is signed in. Only with the session cookie: a request with a token answers 404.',
        response: { 200: SignedInSession, ...errors(401, 404) },
      },
    },
    async (request, reply) => sessionAnswer(reply, sessionCaller(request.caller).sessionId!),
  );

  app.delete(
    '/session',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Sign out',
        description: `Ends the session this browser is signed in with and clears its cookie. ${COOKIE_WRITES} A request with a token answers 404.`,
        response: { 204: Type.Null({ description: 'signed out' }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await signOut(app.db, { caller: sessionCaller(request.caller) });
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send(null);
    },
  );

  app.get(
    '/me/sessions',
    {
      config: { access: 'person' },
      schema: {
        tags,
        summary: 'Where you are signed in',
        description:
          'Your sessions, live ones first, each group newest first: the device (the browser’s ' +
          'User-Agent), the address it signed in from, when it was last used (to the minute), when it ' +
          'expires or ended and why, and which one this request came with. Pass next_cursor as cursor ' +
          'for the next page.',
        querystring: SessionListQuery,
        response: { 200: pageOf(SessionSummary), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const caller = request.caller as SignedInCaller;
      return listSessionsOf(app.db, {
        userId: caller.userId!,
        currentSessionId: caller.sessionId,
        query: request.query,
      });
    },
  );

  app.delete(
    '/me/sessions/:id',
    {
      config: { access: 'person' },
      schema: {
        tags,
        summary: 'End one of your sessions (a lost laptop)',
        description:
          `Ends one of your own sessions at once: its cookie signs nobody in from the next request. ` +
          `Another person's session answers 404, as one that does not exist. Ending the current one ` +
          `signs this browser out. ${COOKIE_WRITES}`,
        params: SessionIdParam,
        response: { 204: Type.Null({ description: 'the session has ended' }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const caller = request.caller as SignedInCaller;
      await revokeSession(app.db, { caller, sessionId: request.params.id });
      if (request.params.id === caller.sessionId) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/me/password',
    {
      config: { access: 'person' },
      schema: {
        tags,
        summary: 'Change your password',
        description:
          `Needs the current password (a wrong one counts towards the lock, as at sign-in) and a new one ` +
          `of at least 10 characters. Your other sessions end; the one that made the change stays (with a ` +
          `token, all of them end). Tokens stay. ${COOKIE_WRITES}`,
        body: PasswordChangeInput,
        response: { 204: Type.Null({ description: 'changed' }), ...errors(400, 401, 403, 423) },
      },
    },
    async (request, reply) => {
      await changePassword(app.db, {
        caller: request.caller as SignedInCaller,
        currentPassword: request.body.current_password,
        newPassword: request.body.new_password,
        ...originOf(request),
        rules: lockRulesOf(app.config),
      });
      return reply.code(204).send(null);
    },
  );
};

export default sessionRoutes;
