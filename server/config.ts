// Reads and validates the archive's configuration from the environment; a wrong value stops start-up.
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { envSchema } from 'env-schema';
import { parseSignerKey } from '../domain/transparencyLog/note.ts';

export const ConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  MEILI_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  MEILI_MASTER_KEY: Type.Optional(Type.String({ minLength: 16 })),
  MEILI_INDEX_PREFIX: Type.String({ default: '', pattern: '^[a-z0-9_]*$' }),
  // For the embedded Meilisearch. Its own default is two thirds of the machine's RAM (16 GiB on 24): each
  // batch of a few documents then cost ~650 ms of CPU, nearly all in the kernel faulting in memory it
  // did not need; with 1 GiB, ~45 ms (Meilisearch 1.21, see BENCHMARKS.md).
  MEILI_INDEXING_MEMORY_MB: Type.Integer({ default: 1024, minimum: 64 }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 32 })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  LOG_FORMAT: Type.Union([Type.Literal('json'), Type.Literal('pretty'), Type.Literal('auto')], {
    default: 'auto',
  }),
  MAX_UPLOAD_BYTES: Type.Integer({ default: 100 * 1024 * 1024, minimum: 1 }),
  RUN_WORKER: Type.Boolean({ default: true }),
  EXTRACT_CONCURRENCY: Type.Integer({ default: 1, minimum: 1, maximum: 32 }),
  EXTRACT_TIMEOUT_MS: Type.Integer({ default: 120_000, minimum: 1000 }),
  EXTRACT_OCR_PAGE_MS: Type.Integer({ default: 30_000, minimum: 0 }),
  EXTRACT_MAX_TIMEOUT_MS: Type.Integer({ default: 3_600_000, minimum: 1000 }),
  EXTRACT_MEMORY_MB: Type.Integer({ default: 1024, minimum: 384 }),
  OCR_LANGUAGES: Type.String({ default: 'kaz+rus+eng', pattern: '^[a-z_]+(\\+[a-z_]+)*$' }),
  // Nothing may hold a request for ever (issue 14). A body with no byte for this long is cut off (408):
  // an idle limit, so a large upload over a slow link takes as long as it needs while bytes keep coming.
  REQUEST_BODY_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 100 }),
  // On SIGTERM, requests still open this long after the server stopped accepting are cut off.
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 5000, minimum: 0 }),
  // The server's and the worker's PostgreSQL pool: waiting for a connection, one statement (the client
  // gives up 2 s later, for a PostgreSQL that does not answer at all), a transaction left idle.
  DATABASE_CONNECT_TIMEOUT_MS: Type.Integer({ default: 5000, minimum: 100 }),
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 100 }),
  DATABASE_IDLE_TRANSACTION_TIMEOUT_MS: Type.Integer({ default: 60_000, minimum: 1000 }),
  // Rate limits, counted in PostgreSQL so every API process shares them; why these defaults: see
  // plugins/rateLimits.ts and README ("Rate limits").
  RATE_LIMIT_ANONYMOUS_READS_PER_MINUTE: Type.Integer({ default: 60, minimum: 1 }),
  RATE_LIMIT_ANONYMOUS_READS_PER_HOUR: Type.Integer({ default: 600, minimum: 1 }),
  RATE_LIMIT_ANONYMOUS_SEARCHES_PER_MINUTE: Type.Integer({ default: 30, minimum: 1 }),
  RATE_LIMIT_TOKEN_READS_PER_MINUTE: Type.Integer({ default: 300, minimum: 1 }),
  RATE_LIMIT_WRITES_PER_MINUTE: Type.Integer({ default: 60, minimum: 1 }),
  RATE_LIMIT_UPLOADS_PER_MINUTE: Type.Integer({ default: 10, minimum: 1 }),
  RATE_LIMIT_FAILED_TOKENS_PER_HOUR: Type.Integer({ default: 20, minimum: 1 }),
  // How long a password reset link (one-time, POST /api/password-resets/complete) stays good.
  PASSWORD_RESET_HOURS: Type.Integer({ default: 24, minimum: 1, maximum: 720 }),
  // Mail (optional): where SMTP is configured, one-time links (invitations, password resets, sign-in
  // links) are sent to their person. PUBLIC_URL is the archive's own address, which the links start with:
  // never the request's Host, which a stranger chooses.
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ default: 'Takedown Archive <archive@localhost>', minLength: 3 }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+(/[^?#]*)?$' })),
  // The transparency log (docs/TRANSPARENCY-LOG.md): its origin, the first line of every checkpoint (default
  // PUBLIC_URL without the scheme); its Ed25519 key as a Go note private key (default: generated into
  // DATA_DIR/log-signing-key at first start); the shortest time between two signed checkpoints.
  LOG_ORIGIN: Type.Optional(Type.String({ pattern: '^[^\\s+]+$', maxLength: 200 })),
  LOG_SIGNING_KEY: Type.Optional(Type.String({ pattern: '^PRIVATE\\+KEY\\+[^\\s+]+\\+[0-9a-f]{8}\\+\\S+$' })),
  LOG_CHECKPOINT_SECONDS: Type.Integer({ default: 5, minimum: 1, maximum: 3600 }),
  SIGN_IN_LINK_MINUTES: Type.Integer({ default: 15, minimum: 1, maximum: 1440 }),
  // Sign-ins and the other anonymous routes that take a secret (invitations, password resets), per address.
  RATE_LIMIT_SIGN_INS_PER_MINUTE: Type.Integer({ default: 30, minimum: 1 }),
  // Browser sessions last this long from sign-in (30 days); signing out or changing the password ends them.
  SESSION_LIFETIME_HOURS: Type.Integer({ default: 720, minimum: 1, maximum: 8760 }),
  // Wrong passwords in a row that lock an account, and for how long: the lock lifts by itself.
  SIGN_IN_MAX_FAILURES: Type.Integer({ default: 20, minimum: 1 }),
  SIGN_IN_LOCK_SECONDS: Type.Integer({ default: 900, minimum: 1 }),
  // The proxies (balancers) whose X-Forwarded-For names the client: addresses or CIDRs, comma-separated.
  // Empty: the client is the connection's address.
  TRUST_PROXY: Type.String({ default: '', pattern: '^[0-9A-Fa-f:./, ]*$' }),
});

export type Config = Static<typeof ConfigSchema> & { dataDir: string };

export class ConfigError extends Error {}

/** Validates `env` (process.env by default) and returns a typed configuration. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  let raw: Static<typeof ConfigSchema>;
  try {
    raw = envSchema<Static<typeof ConfigSchema>>({ schema: ConfigSchema, data: env, dotenv: false });
  } catch (error) {
    // env-schema's message names the variable, e.g. "env/PORT must be integer".
    throw new ConfigError(`Invalid configuration: ${(error as Error).message}`);
  }
  if (raw.SMTP_URL && !raw.PUBLIC_URL) {
    throw new ConfigError(
      'Invalid configuration: SMTP_URL is set, so PUBLIC_URL must be set too (the address the mailed links start with)',
    );
  }
  if (raw.MEILI_URL && !raw.MEILI_MASTER_KEY) {
    throw new ConfigError('Invalid configuration: MEILI_URL is set, so MEILI_MASTER_KEY must be set too');
  }
  if (raw.EXTRACT_MAX_TIMEOUT_MS < raw.EXTRACT_TIMEOUT_MS) {
    throw new ConfigError(
      'Invalid configuration: EXTRACT_MAX_TIMEOUT_MS must be at least EXTRACT_TIMEOUT_MS (it caps the limit that grows from it)',
    );
  }
  if (raw.LOG_SIGNING_KEY) {
    try {
      parseSignerKey(raw.LOG_SIGNING_KEY);
    } catch (error) {
      throw new ConfigError(`Invalid configuration: LOG_SIGNING_KEY: ${(error as Error).message}`);
    }
  }
  return { ...raw, dataDir: path.resolve(raw.DATA_DIR) };
}
