// Cuts off a request whose body stops arriving: after REQUEST_BODY_TIMEOUT_MS without a byte, the client
// gets 408 (if no answer has begun) and the connection is closed, and whoever was reading the body (a JSON
// parser, an upload into the blob store, which then removes its temp file) fails with request_timeout.
// It is an idle limit, not a total one: an upload over a slow link takes as long as it needs while its
// bytes keep coming. Node's requestTimeout counts the whole request instead, and Fastify's
// connectionTimeout would also cut off a handler that takes its time to answer.
import net from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ArchiveError } from '../errors.ts';
import { rawErrorAnswer } from './errorHandler.ts';

function hasBody(request: FastifyRequest): boolean {
  const { headers } = request.raw;
  return Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
}

function watchBody(request: FastifyRequest, reply: FastifyReply, timeoutMs: number): void {
  const { raw } = request;
  const socket = raw.socket;
  // app.inject has no socket to time.
  if (!(socket instanceof net.Socket) || raw.complete) return;
  let done = false;
  // A socket's timer restarts with every byte read (Node does so even while its HTTP parser reads).
  socket.setTimeout(timeoutMs);
  const onIdle = () => {
    if (done) return;
    if (raw.complete) {
      // The body is all in: the answer may take its time.
      done = true;
      socket.setTimeout(0);
      return;
    }
    done = true;
    const error = new ArchiveError(
      'request_timeout',
      `The request's body stopped arriving: nothing came for ${timeoutMs / 1000} s`,
    );
    request.log.info({ timeoutMs }, 'request body stalled: connection closed');
    if (!reply.raw.headersSent && socket.writable) {
      socket.end(rawErrorAnswer({ statusCode: 408, code: error.code, message: error.message }));
    }
    // Closes the socket too; the handler's own answer then goes nowhere.
    raw.destroy(error);
  };
  // Node emits 'timeout' on the response while one is in flight, and on the request while its body is
  // incomplete; without a listener it would destroy the socket silently.
  reply.raw.on('timeout', onIdle);
  raw.on('timeout', onIdle);
  raw.once('end', () => {
    // Read to the end before the answer finished: stop timing (after the answer Node times keep-alive).
    if (!done && !reply.raw.writableFinished) {
      done = true;
      socket.setTimeout(0);
    }
  });
  reply.raw.once('finish', () => {
    // Answered before the body came (a 401, a 413): Node set its keep-alive timer; the body keeps ours.
    if (!done && !raw.complete) socket.setTimeout(timeoutMs);
  });
}

export default fp(async function requestBodyTimeout(app: FastifyInstance) {
  const timeoutMs = app.config.REQUEST_BODY_TIMEOUT_MS;
  app.addHook('onRequest', async (request, reply) => {
    if (hasBody(request)) watchBody(request, reply, timeoutMs);
  });
});
