// Schemas shared by many routes: error bodies and pagination.
import { Type, type Static } from '@sinclair/typebox';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String({ description: 'the status in words, e.g. Not Found' }),
    code: Type.Unsafe<ErrorCode>(
      Type.String({
        enum: Object.keys(ERROR_CODES),
        description: 'what went wrong, for a program to act on; stable across releases',
      }),
    ),
    message: Type.String({ description: 'what went wrong, in words a user can act on' }),
    undecided: Type.Optional(
      Type.Array(
        Type.Object({
          document_id: Type.Integer(),
          redaction_id: Type.Integer(),
          page: Type.Integer(),
          kind: Type.String(),
          text: Type.String({ description: 'the text the proposal would hide' }),
        }),
        { description: 'with redactions_undecided: the proposals that await a decision (the first 1000)' },
      ),
    ),
  },
  {
    $id: 'ErrorResponse',
    description:
      'What went wrong. `code` is one of: ' +
      Object.entries(ERROR_CODES)
        .map(([code, meaning]) => `\`${code}\` (${meaning})`)
        .join('; ') +
      '.',
  },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

// The pieces every input schema is built from, so PostgreSQL and Meilisearch never see a value they cannot
// hold: text without NUL (PostgreSQL refuses it) or an unpaired surrogate (no Unicode: neither can encode
// it), dates in years 0001–9999 that exist, ids within both PostgreSQL's bigint and JavaScript's exact
// integers, and links that are web pages. Ajv compiles patterns with the `u` flag, so in SAFE_TEXT a
// well-formed pair is one code point (allowed) and only a lone surrogate matches the surrogate range.
const SAFE_CHARACTERS = '[^\\u0000\\ud800-\\udfff]';
export const SAFE_TEXT_PATTERN = `^${SAFE_CHARACTERS}*$`;
const SAFE_TEXT = new RegExp(SAFE_TEXT_PATTERN, 'u');
/** The SafeText rule, for text that arrives outside a schema (a multipart file name). */
export const isSafeText = (text: string) => SAFE_TEXT.test(text);

/** Text as people write it: anything but NUL and unpaired surrogates. */
export const SafeText = (options: { minLength?: number; maxLength: number; description?: string }) =>
  Type.String({ ...options, pattern: SAFE_TEXT_PATTERN });

/** Digits of a row id: 1 to 15 of them, below 2^53 (JavaScript's exact integers) and so within bigint. */
export const ID_DIGITS = '[1-9][0-9]{0,14}';

/** A row id sent as a JSON number or a path parameter. */
export const RowId = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...(description ? { description } : {}) });

/** A keyset cursor: the id after which the next page starts. */
export const Cursor = Type.String({
  pattern: '^[0-9]{1,15}$',
  description: 'next_cursor of the previous page',
});

// Year 0000 passes Ajv's `date` format but is no date PostgreSQL holds; five-digit years fail the format.
const NOT_YEAR_ZERO = '^(?!0000)';
export const DateOnly = Type.String({
  format: 'date',
  pattern: `${NOT_YEAR_ZERO}[0-9]{4}-`,
  description: 'YYYY-MM-DD, a real date in the years 0001–9999',
});
export const DateTime = Type.String({
  format: 'date-time',
  pattern: `${NOT_YEAR_ZERO}[0-9]{4}-`,
  description: 'RFC 3339 date-time with its zone, in the years 0001–9999',
});

/** A stored link: a web page (http or https), never javascript:, data: or file:. */
export const WebLink = (description?: string) =>
  Type.String({
    format: 'uri',
    pattern: `^[Hh][Tt][Tt][Pp][Ss]?://${SAFE_CHARACTERS}+$`,
    maxLength: 4000,
    description: description ?? 'an http or https address',
  });

/** An order as a caller names it: its public id (TD-2026-00042) or its numeric id. */
export const ORDER_ID_PATTERN = `^(TD-[0-9]{4}-[0-9]{5,15}|${ID_DIGITS})$`;

export const errorRef = Type.Ref('ErrorResponse');

/** The schema, or null. */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** Standard error responses for a route, keyed by status code. */
export function errors(...codes: number[]): Record<number, typeof errorRef> {
  return Object.fromEntries(codes.map((code) => [code, errorRef]));
}
