// `npm run import -- registry FILE|DIR [--as-of DATE]`: reads a blocking-registry dump as a stream and
// writes it in batches through the registry commands, then records what the dump no longer lists.
// A killed run resumes after the last batch it committed; a dump imported again changes nothing.
import type pg from 'pg';
import type { Caller } from '../../auth/caller.ts';
import { withTransaction } from '../../database/transaction.ts';
import { decisionKey, type RegistryRow, type RegistryRowProblem } from '../../../domain/registryRows.ts';
import {
  importRegistryBatch,
  resolveRegistryAuthority,
  type RegistryAuthority,
  type RegistryDecision,
} from '../../commands/registryBatchImporter.ts';
import {
  beginRegistryDump,
  recordRegistryDelistings,
  recordRegistryDumpProgress,
} from '../../commands/registryLifeRecorder.ts';
import { findDumpFiles, readRegistryDump } from './registryDumpReader.ts';

export interface RegistryImportOptions {
  source: string;
  /** YYYY-MM-DD; by default the date of the dump's `Updated:` line. */
  asOf?: string | undefined;
  batchRows?: number;
  onProgress?: (progress: RegistryImportProgress) => void;
  /** Each broken row or unreadable target, as it is found (the report keeps only counts and the first few). */
  onProblem?: (problem: RegistryRowProblem) => void;
}

export interface RegistryImportProgress {
  bytesRead: number;
  bytesTotal: number;
  rows: number;
}

export interface RegistryImportReport {
  asOf: string;
  /** Data rows in the dump (every line but `Updated:`). */
  rows: number;
  /** Rows that made a new order: the first row of each decision new to the archive. */
  rowsImported: number;
  /** Rows of a decision that already had its order (earlier in this dump, or from an earlier import). */
  rowsMerged: number;
  /** Broken rows, reported with line and reason. */
  rowsReported: number;
  /** Rows an earlier, interrupted run of the same dump had already written. */
  rowsResumed: number;
  /** Targets of good rows that could not be read (reported; the rest of the row was imported). */
  targetsReported: number;
  rowsWithKnownAuthority: number;
  /** Bodies the catalogue lacks, recorded as authorities of kind 'other', with their row counts. */
  unknownBodies: { body: string; slug: string; rows: number }[];
  ordersCreated: number;
  targetsAdded: number;
  listed: number;
  unlisted: number;
  lifted: number;
  /** The first problems found (all of them went to onProblem). */
  problems: RegistryRowProblem[];
}

const KEPT_PROBLEMS = 100;

export class RegistryImportError extends Error {}

export async function importRegistryDump(
  pool: pg.Pool,
  caller: Caller,
  options: RegistryImportOptions,
): Promise<RegistryImportReport> {
  const files = await findDumpFiles(options.source);
  const batchRows = options.batchRows ?? 2000;
  let bytesRead = 0;
  const report: RegistryImportReport = {
    asOf: options.asOf ?? '',
    rows: 0,
    rowsImported: 0,
    rowsMerged: 0,
    rowsReported: 0,
    rowsResumed: 0,
    targetsReported: 0,
    rowsWithKnownAuthority: 0,
    unknownBodies: [],
    ordersCreated: 0,
    targetsAdded: 0,
    listed: 0,
    unlisted: 0,
    lifted: 0,
    problems: [],
  };
  const problem = (found: RegistryRowProblem) => {
    if (report.problems.length < KEPT_PROBLEMS) report.problems.push(found);
    options.onProblem?.(found);
  };
  const authorities = new Map<string, RegistryAuthority & { rows: number }>();
  let dump: { linesDone: number; finished: boolean } | undefined;
  let batch: RegistryRow[] = [];

  const start = async () => {
    if (!report.asOf) {
      throw new RegistryImportError(
        `${options.source} does not start with an "Updated:" line: say which date it is of with --as-of YYYY-MM-DD`,
      );
    }
    dump = await beginRegistryDump(pool, caller, { asOf: report.asOf, fileKey: files.key });
  };

  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const decisions = new Map<string, RegistryDecision & { rows: number; seen: Set<string> }>();
    for (const row of rows) {
      const authority = await authorityOf(row.body);
      authority.rows += 1;
      if (!authority.unknown) report.rowsWithKnownAuthority += 1;
      const key = decisionKey(row);
      let decision = decisions.get(key);
      if (!decision) {
        decision = {
          key,
          authorityId: authority.id,
          decisionNumber: row.decisionNumber,
          decisionDate: row.decisionDate,
          targets: [],
          rows: 0,
          seen: new Set(),
        };
        decisions.set(key, decision);
      }
      decision.rows += 1;
      for (const target of row.targets) {
        if (decision.seen.has(target.canonical)) continue;
        decision.seen.add(target.canonical);
        decision.targets.push(target);
      }
    }
    const lastLine = rows[rows.length - 1]!.line;
    const outcome = await withTransaction(pool, async (client) => {
      const written = await importRegistryBatch(client, caller, {
        asOf: report.asOf,
        decisions: [...decisions.values()],
      });
      if (!dump!.finished) {
        await recordRegistryDumpProgress(client, {
          asOf: report.asOf,
          fileKey: files.key,
          linesDone: lastLine,
          rowsDone: report.rowsResumed + report.rowsImported + report.rowsMerged + rows.length,
        });
      }
      return written;
    });
    for (const decision of decisions.values()) {
      const created = outcome.createdKeys.has(decision.key) ? 1 : 0;
      report.rowsImported += created;
      report.rowsMerged += decision.rows - created;
    }
    report.ordersCreated += outcome.createdKeys.size;
    report.targetsAdded += outcome.targetsAdded;
    report.listed += outcome.listed;
    options.onProgress?.({ bytesRead, bytesTotal: files.bytes, rows: report.rows });
  };

  const authorityOf = async (body: string) => {
    let authority = authorities.get(body);
    if (!authority) {
      const resolved = await withTransaction(pool, (client) =>
        resolveRegistryAuthority(client, caller, body),
      );
      authority = { ...resolved, rows: 0 };
      authorities.set(body, authority);
    }
    return authority;
  };

  for await (const item of readRegistryDump(files, (bytes) => (bytesRead += bytes))) {
    if (item.kind === 'updated') {
      report.asOf ||= item.at.toISOString().slice(0, 10);
      continue;
    }
    if (!dump) await start();
    report.rows += 1;
    if (item.kind === 'problem') {
      report.rowsReported += 1;
      problem(item.problem);
      continue;
    }
    const { row } = item;
    for (const skipped of row.skippedTargets) {
      report.targetsReported += 1;
      problem({ line: row.line, reason: `target "${skipped.value}" left out: ${skipped.reason}` });
    }
    if (row.line <= dump!.linesDone && !dump!.finished) {
      report.rowsResumed += 1;
      continue;
    }
    batch.push(row);
    if (batch.length >= batchRows) await flush();
  }
  if (!dump) await start();
  await flush();

  const delistings = await withTransaction(pool, (client) =>
    recordRegistryDelistings(client, caller, { asOf: report.asOf, fileKey: files.key }),
  );
  report.unlisted = delistings.unlisted;
  report.lifted = delistings.lifted;
  report.unknownBodies = [...authorities.entries()]
    .filter(([, authority]) => authority.unknown)
    .map(([body, authority]) => ({ body, slug: authority.slug, rows: authority.rows }));
  options.onProgress?.({ bytesRead, bytesTotal: files.bytes, rows: report.rows });
  return report;
}
