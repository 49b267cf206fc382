// People in tests: users made through the archive's own commands, with a token or a session to call as.
import Tokens from '@fastify/csrf';
import type { FastifyInstance } from 'fastify';
import { createApiToken } from '../../server/auth/apiTokens.ts';
import { operatorCaller } from '../../server/auth/caller.ts';
import { csrfSecretOf, SESSION_COOKIE, startSession } from '../../server/auth/sessions.ts';
import { createUser, setMembership, type MembershipRole } from '../../server/commands/userAccounts.ts';
import { bearer } from './apiClient.ts';

const setUp = operatorCaller('test set-up');

export interface TestPerson {
  userId: number;
  email: string;
  password: string;
  /** Authorization header of a token carrying the person's rights. */
  headers: Record<string, string>;
  tokenId: number;
  /** Cookie header of a live session of the person (no CSRF token: for reads, or to prove refusals). */
  cookie: string;
  sessionId: number;
}

export async function createPerson(
  app: FastifyInstance,
  input: {
    email: string;
    displayName?: string;
    password?: string;
    editor?: boolean;
    researcherUntil?: Date | string;
    memberships?: { outletId: number; role: MembershipRole }[];
  },
): Promise<TestPerson> {
  const password = input.password ?? `pw-${input.email}-0123456789`;
  const userId = await createUser(app.db, setUp, {
    email: input.email,
    displayName: input.displayName ?? input.email.split('@')[0]!,
    password,
    isEditor: input.editor,
    researcherUntil: input.researcherUntil,
  });
  for (const membership of input.memberships ?? []) {
    await setMembership(app.db, setUp, { userId, ...membership });
  }
  const token = await createApiToken(app.db, { name: `${input.email} test token`, role: 'user', userId });
  const session = await startSession(app.db, { userId, lifetimeHours: 24 });
  return {
    userId,
    email: input.email.toLowerCase(),
    password,
    headers: bearer(token.token),
    tokenId: token.id,
    cookie: `${SESSION_COOKIE}=${session.secret}`,
    sessionId: session.id,
  };
}

/**
 * Headers for a change made with a session cookie: the cookie and its CSRF token, as a page would have
 * it from reply.generateCsrf() (@fastify/csrf over the session's CSRF secret).
 */
export function withCsrf(cookie: string): Record<string, string> {
  const secret = cookie.slice(cookie.indexOf('=') + 1);
  return { cookie, 'x-csrf-token': Tokens().create(csrfSecretOf(secret)) };
}
