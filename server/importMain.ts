// `npm run import -- <kind> PATH [options]`: brings a public collection of takedowns into the archive.
// `registry` is Russia's unified blocking registry (server/imports/registry/); `gov-takedowns` and
// `lumen` are GitHub's government notices and the Lumen Database (server/imports/govTakedowns/ and
// server/imports/lumen/).
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { operatorCaller } from './auth/caller.ts';
import { ConfigError, loadConfig } from './config.ts';
import { migrateDatabase } from './database/migrateDatabase.ts';
import { createPool } from './database/pool.ts';
import { ArchiveError, describeError } from './errors.ts';
import { createLogger } from './logger.ts';
import { openArchiveDatabase } from './runtime/runningArchive.ts';
import { importGovTakedowns } from './imports/govTakedowns/index.ts';
import type { ImportProgress, ImportReport } from './imports/importReport.ts';
import { importLumen, LUMEN_DEFAULT_LICENCE, type LumenReport } from './imports/lumen/index.ts';
import { JobQueue } from './queue/jobQueue.ts';
import { BlobStore } from './storage/blobStore.ts';
import {
  importRegistryDump,
  RegistryImportError,
  type RegistryImportReport,
} from './imports/registry/registryImporter.ts';

const USAGE = `Usage: npm run import -- <kind> PATH [options]
  registry PATH [--as-of YYYY-MM-DD]
      PATH is a dump.csv of the blocking registry (Zapret-Info format, windows-1251), or a folder of its
      chunks dump-00.csv … (read in name order as one file). --as-of is the date the dump shows the
      registry as of (default: its "Updated:" line). Import successive dumps in date order: what a dump
      no longer lists is recorded on each order. Safe to interrupt and run again.
  gov-takedowns PATH
      PATH is a checkout of github.com/github/gov-takedowns (Country/YYYY/YYYY-MM-DD-agency[-N].md, PDFs
      in a folder beside their note). Each note becomes a public order with its note and PDFs as
      documents, read and indexed by the archive's worker. Run again: nothing changes.
  lumen PATH [--licence TEXT]
      PATH is a file or a folder of what the Lumen Database publishes: its notice JSON, its legacy notice
      export (a CSV whose rows name form e-mails beside it, filed as the notice's documents), such form
      e-mails on their own, and VCR cassettes of the github/dmca notices its GitHub importer fetches.
      Each notice becomes a public order; every file is accounted for (a blog-post export is skipped).
      Run again: nothing changes. --licence is recorded on each order (default: the LICENSE-* file at the
      top of PATH, else ${LUMEN_DEFAULT_LICENCE}).`;

class UsageError extends Error {}

const KINDS = ['registry', 'gov-takedowns', 'lumen'] as const;

async function run(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'as-of': { type: 'string' }, licence: { type: 'string' } },
  });
  const [kind, source, ...rest] = positionals;
  if (!kind || !KINDS.includes(kind as (typeof KINDS)[number])) {
    throw new UsageError(`Say what to import: one of ${KINDS.join(', ')}`);
  }
  if (!source || rest.length > 0) throw new UsageError('Give exactly one PATH');
  if (kind !== 'registry') return importNotices(kind as 'gov-takedowns' | 'lumen', source, values.licence);
  const asOf = values['as-of'];
  if (asOf !== undefined && !isDate(asOf)) throw new UsageError('--as-of must be a date YYYY-MM-DD');

  const config = loadConfig();
  const logger = createLogger({ ...config, LOG_LEVEL: 'warn' });
  const database = await openArchiveDatabase(config, logger);
  if (database.startedHere) {
    console.error('The archive is not running: orders are stored now and become searchable when it starts.');
  }
  await migrateDatabase(database.url);
  const db = createPool(database.url, 2);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          format: '{bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const startedAt = Date.now();
  let lastLog = 0;
  try {
    const report = await importRegistryDump(db, operatorCaller('registry-import'), {
      source,
      asOf,
      onProblem: (problem) => {
        // Every problem is printed: the report is what an operator checks the import against.
        // Over the bar's line, which its next update draws again below.
        console.error(`${bar ? '\r\x1b[K' : ''}  line ${problem.line}: ${problem.reason}`);
      },
      onProgress: ({ bytesRead, bytesTotal, rows }) => {
        const rate = Math.round(rows / Math.max((Date.now() - startedAt) / 1000, 0.001));
        if (bar) {
          if (lastLog === 0) bar.start(bytesTotal, 0, { rows: 0, rate: 0 });
          bar.setTotal(bytesTotal);
          bar.update(bytesRead, { rows, rate });
        } else if (Date.now() - lastLog > 5000) {
          console.error(`${rows} rows, ${Math.round((100 * bytesRead) / bytesTotal)}%, ${rate} rows/s`);
        }
        lastLog = Date.now();
      },
    });
    bar?.stop();
    printReport(report, Date.now() - startedAt);
    // Broken rows are reported, never fatal: the import itself succeeded.
    return 0;
  } finally {
    bar?.stop();
    await db.end();
    await database.stop();
  }
}

/** GitHub's gov-takedowns notes or Lumen notices: their documents are filed, and read by the worker. */
async function importNotices(
  kind: 'gov-takedowns' | 'lumen',
  source: string,
  licence: string | undefined,
): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ ...config, LOG_LEVEL: 'warn' });
  const database = await openArchiveDatabase(config, logger);
  if (database.startedHere) {
    console.error('The archive is not running: documents are read and become searchable when it starts.');
  }
  await migrateDatabase(database.url);
  const db = createPool(database.url, 4);
  const jobs = await JobQueue.start(database.url, logger, {
    longestExtractionMs: config.EXTRACT_MAX_TIMEOUT_MS,
  });
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {value}/{total} notices | ETA {eta_formatted} | {current}' },
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
    const report: ImportReport | LumenReport =
      kind === 'lumen'
        ? await importLumen(deps, { path: source, ...(licence ? { licence } : {}) }, progress)
        : await importGovTakedowns(deps, { path: source }, progress);
    bar.stop();
    console.error(
      `${report.imported} imported, ${report.updated} updated, ${report.unchanged} unchanged, ` +
        `${report.skipped.length} skipped.`,
    );
    if ('orders' in report) {
      const formats = Object.entries(report.orders).filter(([, orders]) => orders > 0);
      console.error(
        `Orders by format: ${formats.map(([format, orders]) => `${format} ${orders}`).join(', ') || 'none'}; ` +
          `${report.files.length} files: ` +
          (['notices', 'attached', 'about', 'skipped'] as const)
            .map((became) => `${report.files.filter((file) => file.became === became).length} ${became}`)
            .join(', '),
      );
    }
    if (report.newAuthorities.length)
      console.error(`New issuing bodies: ${report.newAuthorities.join(', ')}`);
    for (const { file, reason } of report.skipped) console.error(`  skipped: ${file}: ${reason}`);
    return report.skipped.length ? 1 : 0;
  } finally {
    bar.stop();
    await jobs.stop();
    await db.end();
    await database.stop();
  }
}

function printReport(report: RegistryImportReport, ms: number): void {
  const percent = (part: number, whole: number) =>
    whole === 0 ? '100.0' : ((100 * part) / whole).toFixed(1);
  const counted = report.rows - report.rowsResumed - report.rowsReported;
  console.error(
    [
      `Registry as of ${report.asOf}: ${report.rows} rows in ${(ms / 1000).toFixed(1)} s.`,
      `  ${report.rowsImported} made a new order, ${report.rowsMerged} merged into their decision's order, ` +
        `${report.rowsReported} reported (line and reason above)` +
        (report.rowsResumed
          ? `, ${report.rowsResumed} written by an earlier run that was interrupted.`
          : '.'),
      `  ${report.rowsWithKnownAuthority} of ${counted} rows (${percent(report.rowsWithKnownAuthority, counted)}%) ` +
        'name an authority of the catalogue.',
      ...report.unknownBodies.map(
        (body) => `  new authority "${body.body}" (${body.slug}, kind other): ${body.rows} rows`,
      ),
      `  ${report.ordersCreated} orders created, ${report.targetsAdded} targets added, ` +
        `${report.targetsReported} targets left out (reported above).`,
      `  Registry life: ${report.listed} targets listed, ${report.unlisted} no longer listed, ` +
        `${report.lifted} decisions lifted.`,
    ].join('\n'),
  );
}

function isDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof RegistryImportError || error instanceof ArchiveError) {
      console.error(error instanceof ArchiveError ? describeError(error) : error.message);
      process.exit(2);
    }
    console.error((error as Error).message);
    process.exit(1);
  },
);
