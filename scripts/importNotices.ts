// `node --import tsx scripts/importNotices.ts gov-takedowns|lumen PATH`: runs the notice importers on
// the archive's database (starting it if the archive is not running), with a progress bar, until
// server/importMain.ts (`npm run import`) dispatches them.
import path from 'node:path';
import cliProgress from 'cli-progress';
import { loadConfig } from '../server/config.ts';
import { migrateDatabase } from '../server/database/migrateDatabase.ts';
import { createPool } from '../server/database/pool.ts';
import { importGovTakedowns } from '../server/imports/govTakedowns/index.ts';
import { importLumen } from '../server/imports/lumen/index.ts';
import type { ImportProgress } from '../server/imports/importReport.ts';
import { createLogger } from '../server/logger.ts';
import { JobQueue } from '../server/queue/jobQueue.ts';
import { openArchiveDatabase } from '../server/runtime/runningArchive.ts';
import { BlobStore } from '../server/storage/blobStore.ts';

const [kind, source] = process.argv.slice(2);
if ((kind !== 'gov-takedowns' && kind !== 'lumen') || !source) {
  console.error('Usage: node --import tsx scripts/importNotices.ts gov-takedowns|lumen PATH');
  process.exit(2);
}
const config = loadConfig();
const logger = createLogger({ ...config, LOG_LEVEL: 'warn' });
const database = await openArchiveDatabase(config, logger);
await migrateDatabase(database.url);
const db = createPool(database.url, 4);
const jobs = await JobQueue.start(database.url, logger, {
  longestExtractionMs: config.EXTRACT_MAX_TIMEOUT_MS,
});
const bar = new cliProgress.SingleBar(
  { format: '{bar} {value}/{total} notices | {eta_formatted} left | {current}' },
  cliProgress.Presets.shades_classic,
);
let started = false;
const progress = ({ total, processed, current }: ImportProgress) => {
  if (!started) bar.start(total, 0, { current: '' });
  started = true;
  bar.update(processed, { current: current ?? '' });
};
try {
  const deps = {
    db,
    jobs,
    blobs: new BlobStore(path.join(config.dataDir, 'blobs')),
    maxBytes: config.MAX_UPLOAD_BYTES,
  };
  const report =
    kind === 'lumen'
      ? await importLumen(deps, { path: source }, progress)
      : await importGovTakedowns(deps, { path: source }, progress);
  bar.stop();
  console.error(
    `${report.imported} imported, ${report.updated} updated, ${report.unchanged} unchanged, ${report.skipped.length} skipped.`,
  );
  if (report.newAuthorities.length) console.error(`New issuing bodies: ${report.newAuthorities.join(', ')}`);
  for (const { file, reason } of report.skipped) console.error(`  skipped: ${file}: ${reason}`);
  process.exitCode = report.skipped.length ? 1 : 0;
} finally {
  bar.stop();
  await jobs.stop();
  await db.end();
  await database.stop();
}
