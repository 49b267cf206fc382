// One pino logger for the whole process: JSON by default, pretty in a terminal, secrets redacted.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';

/** Headers that carry credentials: the request's, and the session cookie a reply sets. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-csrf-token'];

/** Where credentials sit in what is logged: headers (req.headers, res.headers…), a body's password or CSRF token. */
export const REDACTED_PATHS = [
  ...CREDENTIAL_HEADERS.flatMap((name) => [`headers["${name}"]`, `*.headers["${name}"]`]),
  'authorization',
  'cookie',
  'token',
  'password',
  '_csrf',
  '*.token',
  '*.password',
  '*._csrf',
  'masterKey',
  'apiKey',
];

/**
 * The archive's own secrets (API tokens `ta_`, session cookies `tas_`, one-time links `tal_`: a prefix and
 * 43 base64url characters) wherever they appear in a line: a link is opened by its URL, which Fastify logs
 * with every request, and an error message may quote what it was given.
 */
const ARCHIVE_SECRET = /(?<![A-Za-z0-9])(ta[sl]?_)[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

export function maskSecrets(line: string): string {
  return line.replace(ARCHIVE_SECRET, '$1[redacted]');
}

/** The logger; `destination` (JSON lines, e.g. for a test to read) replaces standard output. */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  destination?: DestinationStream,
): Logger {
  const pretty =
    destination === undefined &&
    (config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY));
  return pino(
    {
      level: config.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: maskSecrets },
      ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
    },
    destination,
  );
}
