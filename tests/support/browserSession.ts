// A browser in tests: signs in through POST /api/session and keeps what a browser keeps, the session
// cookie, plus the CSRF token a page would read from the answer.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { SESSION_COOKIE } from '../../server/auth/sessions.ts';

export interface Browser {
  /** Cookie header carrying the session. */
  cookie: string;
  /** The session's CSRF token, for the x-csrf-token header. */
  csrf: string;
  sessionId: number;
  /** The headers a page sends with a change: the cookie and the CSRF token. */
  writes: Record<string, string>;
}

/** The Set-Cookie header lines of an answer. */
export function setCookies(response: { headers: Record<string, unknown> }): string[] {
  const header = response.headers['set-cookie'];
  if (header === undefined) return [];
  return (Array.isArray(header) ? header : [header]).map(String);
}

/** The session cookie an answer sets ("ta_session=…"), if any. */
export function sessionCookieOf(response: { headers: Record<string, unknown> }): string | undefined {
  const line = setCookies(response).find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
  return line?.split(';')[0];
}

export function signInRequest(
  email: string,
  password: string,
  options: { address?: string; headers?: Record<string, string> } = {},
): InjectOptions {
  return {
    method: 'POST',
    url: '/api/session',
    payload: { email, password },
    headers: options.headers ?? {},
    ...(options.address ? { remoteAddress: options.address } : {}),
  };
}

/** Signs in as a browser would; fails the test set-up unless it is let in. */
export async function signInBrowser(
  app: FastifyInstance,
  email: string,
  password: string,
  options: { address?: string; headers?: Record<string, string> } = {},
): Promise<Browser> {
  const response = await app.inject(signInRequest(email, password, options));
  if (response.statusCode !== 201) throw new Error(`signing in as ${email}: ${response.body}`);
  const cookie = sessionCookieOf(response)!;
  const body = response.json() as { csrf_token: string; session: { id: number } };
  return {
    cookie,
    csrf: body.csrf_token,
    sessionId: body.session.id,
    writes: { cookie, 'x-csrf-token': body.csrf_token },
  };
}
