// A form's input checked against the API's own schema, and a command's refusal, turned into problems
// beside the form's fields in the reader's language (the API's messages are English; a page says each
// field's rule in its own words from the catalogue).
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ArchiveError } from '../errors.ts';
import type { MessageKey, Messages } from './i18n/messages.ts';
import type { Problem } from './pages/formParts.tsx';

/** What to say about each field when it breaks its rule, by the field's name in the schema. */
export type FieldMessages = Record<string, MessageKey>;

// The API validates with Ajv and its formats (plugins/requestValidation.ts); a form's input is checked by
// the same schema the same way, with every error kept so each field gets its message.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
addFormats.default(ajv);
const validators = new WeakMap<TSchema, ValidateFunction>();

function validatorOf(schema: TSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = ajv.compile(schema)));
  return validate;
}

/** The fields of `input` that break `schema`, each once, in the form's order. */
export function schemaProblems(
  schema: TSchema,
  input: unknown,
  words: FieldMessages,
  messages: Messages,
): Problem[] {
  const validate = validatorOf(schema);
  if (validate(input)) return [];
  const broken = new Set(
    (validate.errors ?? []).map((error) =>
      error.instancePath === '' && error.keyword === 'required'
        ? String(error.params.missingProperty)
        : (error.instancePath.split('/')[1] ?? ''),
    ),
  );
  return Object.entries(words)
    .filter(([field]) => broken.has(field))
    .map(([field, key]) => ({ field, message: messages.t(key) }));
}

/**
 * A command's refusal about one of the form's fields (invalid input, or a right the caller lacks for that
 * value, such as an outlet not theirs), as the problem beside it; anything else is not the form's to show,
 * and is thrown on to the error page.
 */
export function commandProblem(error: unknown, words: FieldMessages, messages: Messages): Problem {
  const aboutField =
    error instanceof ArchiveError && (error.code === 'invalid_input' || error.code === 'forbidden');
  if (aboutField && error.field && words[error.field])
    return { field: error.field, message: messages.t(words[error.field]!) };
  throw error;
}
