// `npm run export -- DIR`: writes the archive's open data (orders.jsonl, orders.csv, manifest.json) to
// DIR, printing progress. Joins a running archive (DATABASE_URL, or the embedded PostgreSQL of DATA_DIR),
// or starts that PostgreSQL for the length of the command.
import { ConfigError, loadConfig } from './config.ts';
import { migrateDatabase } from './database/migrateDatabase.ts';
import { createPool } from './database/pool.ts';
import { createLogger } from './logger.ts';
import { openArchiveDatabase } from './runtime/runningArchive.ts';
import { writeArchiveDump, type DumpProgress } from './bulk/archiveDump.ts';

function progressPrinter(log: (line: string) => void) {
  let lastPrinted = 0;
  return (progress: DumpProgress) => {
    if (Date.now() - lastPrinted < 1000) return;
    lastPrinted = Date.now();
    const seconds = progress.elapsedMs / 1000;
    const rate = seconds ? Math.round(progress.orders / seconds) : 0;
    log(
      `[${seconds.toFixed(1)} s] ${progress.orders.toLocaleString('en-US')} orders, ${rate.toLocaleString('en-US')} orders/s`,
    );
  };
}

async function main(): Promise<number> {
  const log = (line: string) => process.stdout.write(`export: ${line}\n`);
  const directory = process.argv[2];
  if (!directory) {
    console.error(
      'usage: npm run export -- DIR   (writes DIR/orders.jsonl, DIR/orders.csv, DIR/manifest.json)',
    );
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const database = await openArchiveDatabase(config, createLogger({ ...config, LOG_LEVEL: 'warn' }));
  try {
    await migrateDatabase(database.url);
    const pool = createPool(database.url, 2);
    try {
      const started = Date.now();
      const manifest = await writeArchiveDump(pool, directory, progressPrinter(log));
      log(
        `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${manifest.counts.orders.toLocaleString('en-US')} ` +
          `orders; ${manifest.files.map((file) => `${file.name} ${file.bytes} bytes sha256 ${file.sha256}`).join('; ')}`,
      );
      return 0;
    } finally {
      await pool.end();
    }
  } catch (error) {
    console.error('export failed:', error);
    return 1;
  } finally {
    await database.stop();
  }
}

process.exitCode = await main();
