// The search outbox relay of the registry bench, in a process of its own, as `npm start` runs it in the
// server while `npm run import` writes from another process: the relay's reading and document building do
// not take turns with the import's on one event loop. Started by registryBench.ts with fork(); the
// settings come as JSON in argv[2]; a 'stop' message stops it, and it answers 'stopped' with its peak RSS.
import { createPool } from '../../server/database/pool.ts';
import { createMeiliClient } from '../../server/indexing/meiliClient.ts';
import {
  startSearchOutboxRelay,
  type SearchOutboxRelayOptions,
} from '../../server/indexing/searchOutboxRelay.ts';
import { createLogger } from '../../server/logger.ts';
import { loadConfig } from '../../server/config.ts';

export interface RelayProcessSettings {
  databaseUrl: string;
  meiliUrl: string;
  meiliKey: string;
  dataDir: string;
  options: SearchOutboxRelayOptions;
}

const settings = JSON.parse(process.argv[2]!) as RelayProcessSettings;
const config = loadConfig({ DATA_DIR: settings.dataDir, LOG_LEVEL: 'warn' });
const db = createPool(settings.databaseUrl, 4);
const relay = startSearchOutboxRelay(
  {
    db,
    meili: createMeiliClient(settings.meiliUrl, settings.meiliKey),
    config,
    logger: createLogger(config),
  },
  settings.options,
);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
process.once('message', async () => {
  await relay.stop();
  await db.end();
  clearInterval(sampler);
  process.send!({ peakRss });
  process.disconnect();
});
process.send!('started');
