// Validates requests by their schemas. Query strings, params and headers arrive as text, so their
// numbers and lists are coerced; a JSON body is taken exactly as sent (a string where a list is
// expected is a 400, not silently wrapped).
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
    // Patterns compile with the `u` flag (Ajv's default, pinned here): SAFE_TEXT_PATTERN in schemas/common.ts
    // relies on it to see a surrogate pair as one character and refuse only a lone surrogate.
    unicodeRegExp: true,
    ...options,
  });
  addFormats.default(ajv);
  return ajv;
}

export default fp(async function requestValidation(app: FastifyInstance) {
  const strict = createAjv({ coerceTypes: false });
  const coercing = createAjv({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? strict.compile(schema) : coercing.compile(schema),
  );
});
