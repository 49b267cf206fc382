// Finds the database of an archive already running on this DATA_DIR (embedded PostgreSQL), so the
// CLI and extra workers can join it instead of starting servers of their own.
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Logger } from 'pino';
import { startDataDirPostgres } from './backingServices.ts';
import { readDataDirState } from './dataDirState.ts';
import { embeddedDatabaseUrl } from './embeddedPostgres.ts';

/**
 * Nothing runs on this DATA_DIR and DATABASE_URL is unset: most likely the archive runs with another
 * DATA_DIR, and starting this one's database would hand out tokens the running archive never sees.
 */
export class NoRunningArchiveError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `No archive is running on DATA_DIR ${dataDir}, and DATABASE_URL is not set. ` +
        `If the archive runs with another DATA_DIR, give the same one (DATA_DIR=/its/data npm run cli -- …), ` +
        `or set DATABASE_URL to its database. To work on ${dataDir} while no archive runs on it, ` +
        `say so: npm run cli -- … --data-dir ${dataDir}`,
    );
  }
}

/** DATABASE_URL if set; else the embedded database's URL if it answers now; else undefined. */
export async function reachableDatabaseUrl(config: Config): Promise<string | undefined> {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  // A DATA_DIR no archive has used has nothing running (and is not created by looking).
  if (!existsSync(path.join(config.dataDir, 'runtime.json'))) return undefined;
  const state = await readDataDirState(config.dataDir);
  if (!state.postgresPort) return undefined;
  const url = embeddedDatabaseUrl(config.dataDir, state.postgresPort, state.postgresPassword);
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await probe.connect();
    return url;
  } catch {
    return undefined;
  } finally {
    await probe.end().catch(() => undefined);
  }
}

export interface ArchiveDatabase {
  url: string;
  /** Whether this call started the embedded PostgreSQL (the archive itself is not running). */
  startedHere: boolean;
  /** Stops what this call started; nothing when it joined a running archive. */
  stop(): Promise<void>;
}

/**
 * For commands beside the archive (CLI, bulk import): the running archive's database, or, when it is
 * not running, its embedded PostgreSQL started for the length of the command.
 */
export async function openArchiveDatabase(
  config: Config,
  logger: Logger,
  options: { startIfStopped?: boolean } = {},
): Promise<ArchiveDatabase> {
  const reachable = await reachableDatabaseUrl(config);
  if (reachable) return { url: reachable, startedHere: false, stop: async () => undefined };
  if (options.startIfStopped === false) throw new NoRunningArchiveError(config.dataDir);
  const postgres = await startDataDirPostgres(config, await readDataDirState(config.dataDir), logger);
  return { url: postgres.url, startedHere: true, stop: postgres.stop };
}
