// The one place errors become HTTP answers: each code gets its status, each field its request path, and
// every 4xx/5xx body carries statusCode, error, code and message. A 5xx we did not foresee is logged and
// answered with a generic message, never a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from '../database/databaseUnavailable.ts';
import { ArchiveError, TemporaryRefusal, type ErrorCode } from '../errors.ts';

export const STATUS_OF: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  csrf_invalid: 403,
  account_locked: 423,
  not_found: 404,
  route_not_found: 404,
  conflict: 409,
  link_used_or_expired: 410,
  order_changed: 412,
  redactions_undecided: 409,
  too_large: 413,
  unsupported_media_type: 415,
  if_match_required: 428,
  request_timeout: 408,
  rate_limited: 429,
  internal: 500,
  rendition_unavailable: 404,
  rendition_pending: 503,
  search_unavailable: 503,
  search_index_building: 503,
  blob_missing: 503,
  database_unavailable: 503,
};

/** Seconds a client is asked to wait (Retry-After) when PostgreSQL did not answer. */
const DATABASE_RETRY_AFTER_S = 5;

/** Fastify's and @fastify/multipart's own errors, by their code. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_VALIDATION: 'invalid_input',
  FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_input',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_input',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_input',
  FST_REQ_FILE_TOO_LARGE: 'too_large',
  FST_PARTS_LIMIT: 'too_large',
  FST_FILES_LIMIT: 'too_large',
  FST_FIELDS_LIMIT: 'too_large',
  FST_PROTO_VIOLATION: 'invalid_input',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_NO_FORM_DATA: 'invalid_input',
  FST_CSRF_MISSING_SECRET: 'csrf_invalid',
  FST_CSRF_INVALID_TOKEN: 'csrf_invalid',
};

const CSRF_REFUSAL =
  'A change made with a session cookie needs its CSRF token: take csrf_token from GET /api/session and ' +
  'send it in the X-CSRF-Token header (or as _csrf in a form). A Bearer token needs none.';

/**
 * Any other 4xx (a JSON syntax error, an HttpError from @fastify/sensible), by its status: the first code
 * STATUS_OF gives that status (404 is not_found, not route_not_found).
 */
const CODE_OF_STATUS = new Map<number, ErrorCode>();
for (const [code, status] of Object.entries(STATUS_OF) as [ErrorCode, number][]) {
  if (!CODE_OF_STATUS.has(status)) CODE_OF_STATUS.set(status, code);
}

export interface Answer {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: { undecided?: unknown[] };
}

/** Where a named input came from: a read takes its inputs from the query string, a write from its body. */
function pathOf(request: FastifyRequest, field: string): string {
  const part = request.method === 'GET' || request.method === 'HEAD' ? 'querystring' : 'body';
  return `${part}/${field}`;
}

export function answerFor(error: FastifyError | ArchiveError, request: FastifyRequest): Answer {
  if (error instanceof ArchiveError) {
    const message = error.field ? `${pathOf(request, error.field)}: ${error.message}` : error.message;
    return { statusCode: STATUS_OF[error.code], code: error.code, message, details: error.details };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      statusCode: 503,
      code: 'database_unavailable',
      message: `PostgreSQL, the archive's database, did not answer in time or cannot be reached: try again in ${DATABASE_RETRY_AFTER_S} seconds`,
    };
  }
  const status = error.statusCode;
  if (!status || status < 400 || status >= 500) {
    return {
      statusCode: 500,
      code: 'internal',
      message: 'Internal error: the request was not completed. It has been logged.',
    };
  }
  // Fastify's validation messages already name the field: "body/authority_id must be integer".
  let message = error.message;
  const params = error.validation?.[0]?.params;
  const allowed = params?.allowedValues;
  if (Array.isArray(allowed)) message += `: ${allowed.join(', ')}`;
  // "querystring must NOT have additional properties" does not say which one.
  if (typeof params?.additionalProperty === 'string') message += `: ${params.additionalProperty}`;
  const code = error.validation
    ? 'invalid_input'
    : (FASTIFY_CODES[error.code] ?? CODE_OF_STATUS.get(status) ?? 'invalid_input');
  // @fastify/csrf-protection says only "Invalid csrf token": say where the token comes from.
  if (code === 'csrf_invalid') message = CSRF_REFUSAL;
  return { statusCode: status, code, message };
}

/** The error body every 4xx/5xx answer carries. */
export function errorBody({ statusCode, code, message, details }: Answer) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message, ...details };
}

export function sendError(reply: FastifyReply, answer: Answer) {
  return reply.code(answer.statusCode).send(errorBody(answer));
}

/**
 * A whole HTTP/1.1 error answer with that body, closing the connection: for what is refused below
 * Fastify's reply (the HTTP parser's errors, a body that stopped arriving), written to the socket itself.
 */
export function rawErrorAnswer(answer: Answer): string {
  const body = JSON.stringify(errorBody(answer));
  return (
    `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode] ?? 'Error'}\r\n` +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `Connection: close\r\n\r\n${body}`
  );
}

/**
 * Logs a failed request at the level its answer deserves and sets the headers it needs (Retry-After): for
 * this handler and for the pages' own, which answers with an HTML page instead of the JSON body.
 */
export function reportError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: FastifyError | ArchiveError,
  answer: Answer,
) {
  if (answer.code === 'internal') request.log.error({ err: error }, 'request failed');
  else if (answer.statusCode >= 500) request.log.warn({ err: error }, 'request could not be served');
  // A flood is answered by the thousand: its refusals are not worth a line each at info.
  else if (answer.code === 'rate_limited')
    request.log.debug({ code: answer.code }, 'request refused: rate limit');
  else request.log.info({ err: { message: error.message, code: error.code } }, 'request rejected');
  if (answer.code === 'database_unavailable') reply.header('retry-after', String(DATABASE_RETRY_AFTER_S));
  if (error instanceof TemporaryRefusal) reply.header('retry-after', String(error.retryAfterSeconds));
}

/** Requests for the API and its description get the JSON error body; anything else is a page. */
const API_PATH = /^\/(api|docs|health)(\/|\?|$)/;

declare module 'fastify' {
  interface FastifyInstance {
    /** Answers an unknown page address with the 404 page (set by the web plugin; absent without it). */
    pageNotFound:
      ((request: FastifyRequest, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>) | null;
  }
}

export default fp(async function errorHandler(app: FastifyInstance) {
  app.decorate('pageNotFound', null);
  app.setErrorHandler((error: FastifyError | ArchiveError, request, reply) => {
    const answer = answerFor(error, request);
    reportError(request, reply, error, answer);
    return sendError(reply, answer);
  });
  app.setNotFoundHandler((request, reply) => {
    if (app.pageNotFound && !API_PATH.test(request.url)) return app.pageNotFound(request, reply);
    return sendError(reply, {
      statusCode: 404,
      code: 'route_not_found',
      message: `No route ${request.method} ${request.url}`,
    });
  });
});
