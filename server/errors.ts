// What can go wrong in the archive, in the terms of whoever asked: commands, records, search, indexing
// and storage throw an ArchiveError with a stable code; the HTTP layer (plugins/errorHandler.ts), the
// CLI and the bulk ingester decide how to show it. Nothing here knows about HTTP statuses or paths.

/** Every code a client may see in an error body, and what it means. */
export const ERROR_CODES = {
  invalid_input: 'the input breaks a rule; `message` names the field',
  unauthorized: 'not signed in: no token or session, or one that is unknown, expired, revoked or malformed',
  forbidden: 'this caller may not do this',
  csrf_invalid: 'a change made with a session cookie needs the CSRF token (header x-csrf-token)',
  account_locked: 'too many wrong passwords: the account is locked until the time in the message',
  not_found: 'no such record, or one hidden from this caller',
  route_not_found: 'no such route',
  conflict: 'it already exists (e.g. a slug taken)',
  link_used_or_expired:
    'this one-time link (an invitation or a password reset) was used, revoked or has expired: ask for a new one',
  order_changed: 'the order changed since it was read (If-Match is stale): read it again',
  redactions_undecided:
    'the order cannot be published while redaction proposals of its documents or its own fields await a decision; `undecided` lists them',
  if_match_required: 'a change must say which version it is based on (If-Match: the ETag read)',
  rate_limited: 'too many requests from this address or token: wait the seconds in Retry-After',
  too_large: 'the body or a file is over the limit',
  unsupported_media_type: 'the body is not of a type this route reads',
  rendition_pending:
    'the redacted rendition (the public copy of a PDF or an image) is being made: try again after Retry-After seconds',
  rendition_unavailable:
    'the document has no redacted rendition to serve: a redaction could not be placed on its page, or the file could not be rendered',
  search_unavailable: 'the search engine is unreachable; writes are still accepted',
  search_index_building: 'the search index is being built; try again in a moment',
  blob_missing: 'a stored file vanished while it was being received: send it again',
  request_timeout: 'the request body stopped arriving for too long; the connection is closed: send it again',
  database_unavailable:
    'PostgreSQL did not answer in time or cannot be reached; try again after Retry-After seconds',
  internal: 'the archive failed; the failure is logged',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input the error is about, as the caller named it (`outlet`, `targets/0/url`). */
    readonly field?: string,
    /** More the caller can act on, sent beside the message (e.g. `undecided`: the proposals to decide). */
    readonly details?: { undecided?: unknown[] },
  ) {
    super(message);
  }
}

/** A refusal that lifts by itself (a locked account): the client is told when to try again (Retry-After). */
export class TemporaryRefusal extends ArchiveError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}

export const invalidInput = (message: string, field?: string) =>
  new ArchiveError('invalid_input', message, field);
export const notFound = (message: string) => new ArchiveError('not_found', message);
export const forbidden = (message: string, field?: string) => new ArchiveError('forbidden', message, field);
export const conflict = (message: string) => new ArchiveError('conflict', message);

/** A nested input's name: fieldPath('targets/0', 'url') is 'targets/0/url'. */
export const fieldPath = (parent: string | undefined, name: string) => (parent ? `${parent}/${name}` : name);

/** The error as a line for a person at a terminal: "outlet: there is no outlet 'x'". */
export function describeError(error: unknown): string {
  if (error instanceof ArchiveError && error.field) return `${error.field}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** PostgreSQL's unique_violation, so a command can answer a conflict instead of failing. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}
