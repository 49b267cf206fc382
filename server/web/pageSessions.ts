// Giving a browser its new session from a page (the sign-in form, an accepted invitation): a session it
// came with ends, the cookie is set, and the page's CSRF secret becomes the new session's — as POST
// /api/session does for the API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionCookieOptions } from '../auth/caller.ts';
import { csrfSecretOf, SESSION_COOKIE, type StartedSession } from '../auth/sessions.ts';
import { signOut } from '../commands/sessionEnder.ts';

export async function startPageSession(
  db: FastifyInstance['db'],
  request: FastifyRequest,
  reply: FastifyReply,
  session: StartedSession,
): Promise<void> {
  const previous = request.caller;
  if (previous.kind !== 'anonymous' && previous.sessionId !== null) await signOut(db, { caller: previous });
  reply.setCookie(SESSION_COOKIE, session.secret, sessionCookieOptions(request, session.expiresAt));
  request.session = { _csrf: csrfSecretOf(session.secret) };
}
