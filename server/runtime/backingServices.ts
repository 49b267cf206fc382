// Decides where PostgreSQL and Meilisearch come from: the servers named in the environment,
// or real embedded ones started under DATA_DIR and stopped again on shutdown.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { choosePort, readDataDirState, writeDataDirState, type DataDirState } from './dataDirState.ts';
import { startEmbeddedMeilisearch, type RunningMeilisearch } from './embeddedMeilisearch.ts';
import { startEmbeddedPostgres, type RunningService } from './embeddedPostgres.ts';

export interface BackingServices {
  databaseUrl: string;
  meiliUrl: string;
  meiliKey: string;
  /** The embedded Meilisearch, when this process runs one. */
  embeddedMeilisearch?: RunningMeilisearch;
  stop(): Promise<void>;
}

/** Starts DATA_DIR's embedded PostgreSQL on its remembered port (or a free one, then remembered). */
export async function startDataDirPostgres(
  config: Config,
  state: DataDirState,
  logger: Logger,
): Promise<RunningService> {
  state.postgresPort = await choosePort(state.postgresPort);
  await writeDataDirState(config.dataDir, state);
  return startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: state.postgresPort,
    password: state.postgresPassword,
    logger,
  });
}

export async function startBackingServices(config: Config, logger: Logger): Promise<BackingServices> {
  const started: RunningService[] = [];
  const stop = async () => {
    // Reverse order of start; each stop is attempted even if another fails.
    for (const service of started.reverse()) {
      await service
        .stop()
        .catch((error: unknown) => logger.error({ err: error }, 'stopping a service failed'));
    }
    started.length = 0;
  };
  try {
    const needsEmbedded = !config.DATABASE_URL || !config.MEILI_URL;
    const state = needsEmbedded ? await readDataDirState(config.dataDir) : undefined;

    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl && state) {
      const postgres = await startDataDirPostgres(config, state, logger);
      started.push(postgres);
      databaseUrl = postgres.url;
      logger.info({ port: state.postgresPort }, 'embedded PostgreSQL is up');
    }

    let meiliUrl = config.MEILI_URL;
    let meiliKey = config.MEILI_MASTER_KEY;
    let embeddedMeilisearch: RunningMeilisearch | undefined;
    if ((!meiliUrl || !meiliKey) && state) {
      state.meiliPort = await choosePort(state.meiliPort);
      await writeDataDirState(config.dataDir, state);
      embeddedMeilisearch = await startEmbeddedMeilisearch({
        dataDir: config.dataDir,
        port: state.meiliPort,
        masterKey: state.meiliMasterKey,
        indexingMemoryMb: config.MEILI_INDEXING_MEMORY_MB,
        logger,
      });
      started.push(embeddedMeilisearch);
      meiliUrl = embeddedMeilisearch.url;
      meiliKey = state.meiliMasterKey;
      logger.info({ port: state.meiliPort }, 'embedded Meilisearch is up');
    }
    return { databaseUrl: databaseUrl!, meiliUrl: meiliUrl!, meiliKey: meiliKey!, embeddedMeilisearch, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
