// Finds the database of an archive already running on this DATA_DIR (embedded PostgreSQL), so the
// CLI and extra workers can join it instead of starting servers of their own.
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Logger } from 'pino';
import { startDataDirPostgres } from './backingServices.ts';
import { readDataDirState } from './dataDirState.ts';
import { embeddedDatabaseUrl } from './embeddedPostgres.ts';

/** DATABASE_URL if set; else the embedded database's URL if it answers now; else undefined. */
export async function reachableDatabaseUrl(config: Config): Promise<string | undefined> {
  if (config.DATABASE_URL) return config.DATABASE_URL;
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
export async function openArchiveDatabase(config: Config, logger: Logger): Promise<ArchiveDatabase> {
  const reachable = await reachableDatabaseUrl(config);
  if (reachable) return { url: reachable, startedHere: false, stop: async () => undefined };
  const postgres = await startDataDirPostgres(config, await readDataDirState(config.dataDir), logger);
  return { url: postgres.url, startedHere: true, stop: postgres.stop };
}
