// The one place errors become HTTP answers: 4xx keep their message, 5xx hide internals.
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { STATUS_CODES } from 'node:http';

export default fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(statusCode).send({
        statusCode,
        error: STATUS_CODES[statusCode] ?? 'Error',
        message: 'Internal error: the request was not completed. It has been logged.',
      });
    }
    request.log.info({ err: { message: error.message, code: error.code } }, 'request rejected');
    // Fastify's validation messages already name the field: "body/authority_id must be integer".
    let message = error.message;
    const params = error.validation?.[0]?.params;
    const allowed = params?.allowedValues;
    if (Array.isArray(allowed)) message += `: ${allowed.join(', ')}`;
    // "querystring must NOT have additional properties" does not say which one.
    if (typeof params?.additionalProperty === 'string') message += `: ${params.additionalProperty}`;
    return reply.code(statusCode).send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ statusCode: 404, error: 'Not Found', message: `No route ${request.method} ${request.url}` }),
  );
});
