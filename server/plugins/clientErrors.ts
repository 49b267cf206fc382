// Answers requests Node's HTTP parser refuses before Fastify sees them (a raw, un-encoded letter in the
// URL, headers too large, a request that timed out) with the archive's error body: statusCode, error,
// code, message. Fastify's default says only "Client Error", which told a curl user nothing.
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { rawErrorAnswer, type Answer } from './errorHandler.ts';

interface ParserError extends Error {
  code?: string;
}

function answerFor(error: ParserError): Answer {
  switch (error.code) {
    case 'HPE_INVALID_URL':
      return {
        statusCode: 400,
        code: 'invalid_input',
        message:
          'The address holds characters that must be percent-encoded (Cyrillic letters, spaces…). With curl, ' +
          "send the query with -G --data-urlencode 'q=…'.",
      };
    case 'HPE_HEADER_OVERFLOW':
      return { statusCode: 431, code: 'invalid_input', message: 'The request headers are too large.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { statusCode: 408, code: 'request_timeout', message: 'The request took too long to arrive.' };
    default:
      return { statusCode: 400, code: 'invalid_input', message: 'The request is not valid HTTP.' };
  }
}

export function clientErrorHandler(this: { log: FastifyBaseLogger }, error: ParserError, socket: Socket) {
  // A reset connection is already gone: nothing to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  this.log.debug({ err: { message: error.message, code: error.code } }, 'request refused by the HTTP parser');
  if (socket.writable) socket.write(rawErrorAnswer(answerFor(error)));
  socket.destroy(error);
}
