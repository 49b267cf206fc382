// Finds the database of an archive already running on this DATA_DIR (embedded PostgreSQL), so the
// CLI and extra workers can join it instead of starting servers of their own.
import pg from 'pg';
import type { Config } from '../config.ts';
import { readDataDirState } from './dataDirState.ts';

/** DATABASE_URL if set; else the embedded database's URL if it answers now; else undefined. */
export async function reachableDatabaseUrl(config: Config): Promise<string | undefined> {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const state = await readDataDirState(config.dataDir);
  if (!state.postgresPort) return undefined;
  const url = `postgres://postgres:${encodeURIComponent(state.postgresPassword)}@127.0.0.1:${state.postgresPort}/takedown_archive`;
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
