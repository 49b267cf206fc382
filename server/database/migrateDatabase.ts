// Applies the numbered SQL files in migrations/ in order, each in a transaction, recorded in
// schema_migrations; concurrent callers wait on node-pg-migrate's advisory lock instead of failing.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';

export const MIGRATIONS_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'migrations',
);

/** Returns the names of the migrations applied by this call (empty when up to date). */
export async function migrateDatabase(
  databaseUrl: string,
  logger?: Logger,
  dir: string = MIGRATIONS_DIR,
): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir,
    direction: 'up',
    migrationsTable: 'schema_migrations',
    checkOrder: true,
    singleTransaction: false,
    advisoryLockMode: 'wait',
    log: (message: string) => logger?.debug({ migration: message }, 'migration'),
    verbose: false,
  });
  if (applied.length)
    logger?.info({ applied: applied.map((migration) => migration.name) }, 'migrations applied');
  return applied.map((migration) => migration.name);
}
