// Schemas shared by many routes: error bodies and pagination.
import { Type, type Static } from '@sinclair/typebox';

export const ErrorResponse = Type.Object(
  { statusCode: Type.Integer(), error: Type.String(), message: Type.String() },
  { $id: 'ErrorResponse', description: 'What went wrong, in words a user can act on' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const errorRef = Type.Ref('ErrorResponse');

/** The schema, or null. */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** Standard error responses for a route, keyed by status code. */
export function errors(...codes: number[]): Record<number, typeof errorRef> {
  return Object.fromEntries(codes.map((code) => [code, errorRef]));
}
