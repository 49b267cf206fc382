// Answers requests Node's HTTP parser refuses before Fastify sees them (a raw, un-encoded letter in the
// URL, headers too large, a request that timed out) with the archive's error body: statusCode, error,
// code, message. Fastify's default says only "Client Error", which told a curl user nothing.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';

interface ParserError extends Error {
  code?: string;
}

function answerFor(error: ParserError): { statusCode: number; code: string; message: string } {
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
  const { statusCode, code, message } = answerFor(error);
  this.log.debug({ err: { message: error.message, code: error.code } }, 'request refused by the HTTP parser');
  if (socket.writable) {
    const body = JSON.stringify({ statusCode, error: http.STATUS_CODES[statusCode], code, message });
    socket.write(
      `HTTP/1.1 ${statusCode} ${http.STATUS_CODES[statusCode]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
