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

/** An order as a caller names it: its public id (TD-2026-00042) or its numeric id. */
export const ORDER_ID_PATTERN = '^(TD-[0-9]{4}-[0-9]{5,}|[0-9]{1,15})$';

export const errorRef = Type.Ref('ErrorResponse');

/** The schema, or null. */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** Standard error responses for a route, keyed by status code. */
export function errors(...codes: number[]): Record<number, typeof errorRef> {
  return Object.fromEntries(codes.map((code) => [code, errorRef]));
}
