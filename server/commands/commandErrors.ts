// Errors a command raises for its caller to see; the error handler turns statusCode into the answer.
export class CommandError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const badInput = (message: string) => new CommandError(400, message);
export const notFound = (message: string) => new CommandError(404, message);
export const forbidden = (message: string) => new CommandError(403, message);
export const conflict = (message: string) => new CommandError(409, message);

/** PostgreSQL's unique_violation, so a command can answer 409 instead of 500. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}
