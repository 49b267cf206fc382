// `npm run reindex`: builds fresh search indexes from PostgreSQL and swaps them in atomically, printing
// progress. Joins a running archive (DATABASE_URL / MEILI_URL, or the embedded servers of DATA_DIR), or
// starts the embedded servers for the length of the command when the archive is not running.
import { Meilisearch } from 'meilisearch';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { migrateDatabase } from './database/migrateDatabase.ts';
import { createPool } from './database/pool.ts';
import { createLogger } from './logger.ts';
import { readDataDirState } from './runtime/dataDirState.ts';
import { startBackingServices } from './runtime/backingServices.ts';
import { reachableDatabaseUrl } from './runtime/runningArchive.ts';
import { createMeiliClient } from './indexing/meiliClient.ts';
import {
  RebuildAlreadyRunningError,
  rebuildSearchIndexes,
  type RebuildProgress,
} from './indexing/searchIndexRebuilder.ts';

interface Connection {
  databaseUrl: string;
  meiliUrl: string;
  meiliKey: string;
  stop: () => Promise<void>;
}

async function reachableMeilisearch(config: Config): Promise<{ url: string; key: string } | undefined> {
  let url = config.MEILI_URL;
  let key = config.MEILI_MASTER_KEY;
  if (!url || !key) {
    const state = await readDataDirState(config.dataDir);
    if (!state.meiliPort) return undefined;
    url = `http://127.0.0.1:${state.meiliPort}`;
    key = state.meiliMasterKey;
  }
  const healthy = await new Meilisearch({ host: url, apiKey: key, timeout: 2000 }).isHealthy();
  return healthy ? { url, key } : undefined;
}

async function connect(config: Config, log: (line: string) => void): Promise<Connection> {
  const [databaseUrl, meili] = await Promise.all([
    reachableDatabaseUrl(config),
    reachableMeilisearch(config),
  ]);
  if (databaseUrl && meili) {
    return { databaseUrl, meiliUrl: meili.url, meiliKey: meili.key, stop: async () => {} };
  }
  if (databaseUrl || meili) {
    throw new ConfigError(
      `${databaseUrl ? 'Meilisearch' : 'PostgreSQL'} of this archive does not answer while ` +
        `${databaseUrl ? 'PostgreSQL' : 'Meilisearch'} does: start the archive (npm start), or set DATABASE_URL ` +
        'and MEILI_URL/MEILI_MASTER_KEY to servers that answer.',
    );
  }
  log('The archive is not running: starting its database and search servers for this command.');
  const services = await startBackingServices(config, createLogger({ ...config, LOG_LEVEL: 'warn' }));
  return {
    databaseUrl: services.databaseUrl,
    meiliUrl: services.meiliUrl,
    meiliKey: services.meiliKey,
    stop: services.stop,
  };
}

function progressPrinter(log: (line: string) => void) {
  let lastPrinted = 0;
  const number = (value: number) => value.toLocaleString('en-US');
  return (progress: RebuildProgress) => {
    const now = Date.now();
    if (progress.stage === 'indexing' && now - lastPrinted < 1000 && progress.orders < progress.totalOrders)
      return;
    lastPrinted = now;
    const seconds = (progress.elapsedMs / 1000).toFixed(1);
    const percent = progress.totalOrders ? Math.floor((progress.orders / progress.totalOrders) * 100) : 100;
    const rate = progress.elapsedMs ? Math.round(progress.orders / (progress.elapsedMs / 1000)) : 0;
    const lines: Record<RebuildProgress['stage'], string> = {
      prepared: `${number(progress.totalOrders)} orders to index into fresh indexes (settings applied first)`,
      indexing: `${number(progress.orders)} / ${number(progress.totalOrders)} orders (${percent}%), ${number(progress.pages)} pages sent, ${number(rate)} orders/s`,
      sent: `all documents indexed by Meilisearch`,
      swapped: `fresh indexes swapped in atomically`,
      requeued: `edits made during the rebuild queued for the relay`,
    };
    log(`[${seconds} s] ${lines[progress.stage]}`);
  };
}

async function main(): Promise<number> {
  const log = (line: string) => process.stdout.write(`reindex: ${line}\n`);
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  let connection: Connection | undefined;
  try {
    connection = await connect(config, log);
    await migrateDatabase(connection.databaseUrl);
    const db = createPool(connection.databaseUrl, 4);
    try {
      const result = await rebuildSearchIndexes(
        { db, meili: createMeiliClient(connection.meiliUrl, connection.meiliKey), config },
        { onProgress: progressPrinter(log) },
      );
      log(
        `done in ${(result.elapsedMs / 1000).toFixed(1)} s: ${result.orders.toLocaleString('en-US')} orders, ` +
          `${result.pages.toLocaleString('en-US')} pages; ${result.requeued} edits made meanwhile re-queued`,
      );
      return 0;
    } finally {
      await db.end();
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof RebuildAlreadyRunningError) {
      console.error(`reindex: ${error.message}`);
      return error instanceof ConfigError ? 2 : 3;
    }
    console.error('reindex failed; the live indexes were left as they were:', error);
    return 1;
  } finally {
    await connection?.stop();
  }
}

process.exitCode = await main();
