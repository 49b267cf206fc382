// `npm run cli -- token create --name NAME --role editor|outlet [--outlet ID]`: administrative commands.
// Works whether or not the archive is running: it uses DATABASE_URL, or the embedded PostgreSQL of
// DATA_DIR (connecting to it if it runs, starting it for the command if it does not).
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { createApiToken } from './auth/apiTokens.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { migrateDatabase } from './database/migrateDatabase.ts';
import { createPool } from './database/pool.ts';
import { createLogger } from './logger.ts';
import { resolveOutletId } from './records/referenceLookup.ts';
import { openArchiveDatabase } from './runtime/runningArchive.ts';

const USAGE = `Usage:
  npm run cli -- token create --name NAME --role editor
  npm run cli -- token create --name NAME --role outlet --outlet OUTLET_ID_OR_SLUG
  npm run cli -- token revoke --id TOKEN_ID`;

class UsageError extends Error {}

async function withDatabase<T>(config: Config, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const database = await openArchiveDatabase(config, createLogger({ ...config, LOG_LEVEL: 'warn' }));
  const url = database.url;
  try {
    await migrateDatabase(url);
    const pool = createPool(url, 2);
    try {
      return await work(pool);
    } finally {
      await pool.end();
    }
  } finally {
    await database.stop();
  }
}

async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      outlet: { type: 'string' },
      id: { type: 'string' },
    },
  });
  const [group, action] = positionals;
  const config = loadConfig();
  if (group === 'token' && action === 'create') {
    if (!values.name) throw new UsageError('--name is required');
    if (values.role !== 'editor' && values.role !== 'outlet')
      throw new UsageError('--role must be editor or outlet');
    const role = values.role;
    const created = await withDatabase(config, async (pool) => {
      const outletId =
        values.outlet === undefined ? undefined : await resolveOutletId(pool, values.outlet, '--outlet');
      return createApiToken(pool, { name: values.name!, role, outletId });
    });
    console.error(`Created ${role} token #${created.id} "${values.name}". It is shown only this once:`);
    console.log(created.token);
    return;
  }
  if (group === 'token' && action === 'revoke') {
    if (!values.id || !/^\d+$/.test(values.id)) throw new UsageError('--id must be a token id');
    const revoked = await withDatabase(config, async (pool) => {
      const { rowCount } = await pool.query(
        'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
        [values.id],
      );
      return rowCount;
    });
    console.error(revoked ? `Token #${values.id} revoked.` : `No live token #${values.id}.`);
    return;
  }
  throw new UsageError(group ? `Unknown command: ${positionals.join(' ')}` : 'No command given');
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error((error as Error).message);
    process.exit(1);
  },
);
