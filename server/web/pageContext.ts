// What every page needs to know about its request: the reader's language and words, who is signed in,
// the form token for a signed-in browser, and the page's own address (for the language switcher and for
// coming back after signing in).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../auth/caller.ts';
import { messagesFor, type Locale, type Messages } from './i18n/messages.ts';

export interface PageContext {
  locale: Locale;
  messages: Messages;
  caller: Caller;
  /** The signed-in person's name, when this browser has a session. */
  signedInName: string | null;
  /** The session's CSRF token for the page's forms (`_csrf`), when this browser has a session. */
  csrfToken: string | null;
  /** This page's path and query, e.g. `/orders/TD-2026-00001` or `/?q=...`. */
  path: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The reader's language, chosen by the web plugin for page routes. */
    locale: Locale;
  }
}

export function pageContextOf(request: FastifyRequest, reply: FastifyReply): PageContext {
  const caller = request.caller;
  const hasSession =
    caller.kind !== 'anonymous' && caller.sessionId !== null && request.session !== undefined;
  return {
    locale: request.locale,
    messages: messagesFor(request.locale),
    caller,
    signedInName: hasSession ? caller.name : null,
    csrfToken: hasSession ? reply.generateCsrf() : null,
    path: request.url,
  };
}

/** A path on this site to come back to (never another site: `//evil.example` and `/\evil` are refused). */
export function safeReturnPath(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\')
  ) {
    return '/';
  }
  return value.length > 2000 ? '/' : value;
}

/** This page's address with `?lang=` set to another language (the switcher's links). */
export function withLanguage(path: string, locale: Locale): string {
  const url = new URL(path, 'http://archive.invalid');
  url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Sends a rendered page. */
export function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}
