// Validates requests by their schemas. Query strings, params and headers arrive as text, so their
// numbers and lists are coerced; a JSON body is taken exactly as sent (a string where a list is
// expected is a 400, not silently wrapped).
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
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
  ajv.addFormat('date-time', { type: 'string', validate: isArchiveDateTime });
  return ajv;
}

// A date-time must name an instant in the years 0001–9999 once its zone is applied, as every date the
// archive stores and answers with does: 0001-01-01T00:00:00+14:00 is in year 0, which an answer would
// show as 0000-12-31 and no input accepts back.
const baseDateTime = fullFormats['date-time'] as { validate: (value: string) => boolean };
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

function isArchiveDateTime(value: string): boolean {
  if (!baseDateTime.validate(value)) return false;
  const instant = Date.parse(value);
  return instant >= FIRST_INSTANT && instant <= LAST_INSTANT;
}

export default fp(async function requestValidation(app: FastifyInstance) {
  const strict = createAjv({ coerceTypes: false });
  const coercing = createAjv({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? strict.compile(schema) : coercing.compile(schema),
  );
});
