// Reads Lumen's legacy notice export (the CSV its `Ingestor::LegacyCsv` ingests): one notice a row, its
// parties and date in columns, its original and supporting source files named by paths beside the CSV.
// The files are parsed for what the row lacks (the infringing URLs, above all) and filed as documents.
import { createReadStream } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { LumenWork } from './lumenNotices.ts';
import {
  decodeSourceBytes,
  noticeOfSource,
  parseNoticeSource,
  type SourceNotice,
} from './noticeSourceFile.ts';
import type { PreparedNotice, ReportedProblem } from './preparedNotice.ts';

/** What a CSV's header says it is: Lumen's notice export, its blog-post export, or neither. */
export function csvKindOf(headerLine: string): 'notice-export' | 'blog-export' | undefined {
  const columns = headerLine
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((column) => column.trim());
  if (columns.includes('NoticeID') && columns.includes('OriginalFilePath')) return 'notice-export';
  if (columns.includes('NewsID') && columns.includes('title')) return 'blog-export';
  return undefined;
}

const FILE_COLUMNS = [
  ['OriginalFilePath', 'order'],
  ['SupportingFilePath', 'attachment'],
] as const;

export interface LegacyExport {
  notices: PreparedNotice[];
  problems: ReportedProblem[];
  /** Each source file a row names (absolute path) and the rows naming it. */
  referenced: Map<string, string[]>;
}

export async function readLegacyNoticeExport(file: string, name: string): Promise<LegacyExport> {
  const rows = parse(await readFile(file, 'utf8'), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as Record<string, string | undefined>[];
  const result: LegacyExport = { notices: [], problems: [], referenced: new Map() };
  for (const [index, row] of rows.entries()) {
    const id = row.NoticeID?.trim() ?? '';
    const where = `${name}#${id || `row ${index + 2}`}`;
    if (!/^\d{1,20}$/.test(id)) {
      result.problems.push({ file: where, reason: 'the row has no NoticeID' });
      continue;
    }
    const documents: PreparedNotice['documents'] = [];
    const sources: SourceNotice[] = [];
    for (const [column, role] of FILE_COLUMNS) {
      const relative = row[column]?.trim();
      if (!relative) continue;
      const source = path.resolve(path.dirname(file), relative);
      const place = await placeOf(path.dirname(file), source);
      // The export names its files beside it: a path (or a link) out of its folder would publish any
      // file of the host.
      if (place === 'outside') {
        result.problems.push({
          file: where,
          reason: `${relative} (its ${column}) is not in the export's folder: not read`,
        });
        continue;
      }
      const bytes = place === 'inside' ? await readFile(source).catch(() => undefined) : undefined;
      if (!bytes) {
        result.problems.push({
          file: where,
          reason: `${relative} (its ${column}) is not beside the export: the notice came in without it`,
        });
        continue;
      }
      result.referenced.set(source, [...(result.referenced.get(source) ?? []), id]);
      sources.push(noticeOfSource(parseNoticeSource(decodeSourceBytes(bytes))));
      documents.push({ filename: path.basename(source), role, open: () => createReadStream(source) });
    }
    result.notices.push({
      file: where,
      format: 'legacy-csv',
      reference: `legacy-csv:${id}`,
      sourceUrl: null,
      type: sources[0]?.type ?? 'other',
      notice: noticeOfRow(id, row, sources),
      documents,
    });
  }
  return result;
}

/** The row's own columns first (as Lumen maps them), the source files' form for what they leave empty. */
function noticeOfRow(id: string, row: Record<string, string | undefined>, sources: SourceNotice[]) {
  const column = (name: string) => row[name]?.trim() || null;
  const fromFile = <K extends keyof SourceNotice['notice']>(key: K) =>
    sources
      .map((source) => source.notice[key])
      .find(
        (value) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0),
      ) ?? null;
  const country = countryOf(column('Sender_Country'));
  const works: LumenWork[] = sources.flatMap((source) => source.notice.works ?? []);
  return {
    id,
    title: column('Subject') ?? fromFile('title'),
    body: column('Body'),
    sender_name: column('Sender_Principal') ?? fromFile('sender_name'),
    principal_name: fromFile('principal_name'),
    recipient_name: column('Recipient_Entity') ?? fromFile('recipient_name'),
    // Lumen's LegacyCsv takes the one Date column as both.
    date_sent: column('Date'),
    date_received: column('Date'),
    works,
    jurisdictions: country ? [country] : (fromFile('jurisdictions') ?? []),
    language: fromFile('language'),
  };
}

/** Lumen's parse_country_code: a two-letter code as it is, USA and United States as US. */
function countryOf(value: string | null): string | null {
  if (!value) return null;
  if (/^[A-Za-z]{2}$/.test(value)) return value.toUpperCase();
  return { USA: 'US', 'United States': 'US' }[value] ?? null;
}

/** Where a file a row names is, symbolic links followed: in the export's folder, out of it, or nowhere. */
async function placeOf(folder: string, file: string): Promise<'inside' | 'outside' | 'missing'> {
  const real = await realpath(file).catch(() => undefined);
  if (!real) return 'missing';
  const relative = path.relative(await realpath(folder), real);
  return relative.startsWith('..') || path.isAbsolute(relative) ? 'outside' : 'inside';
}
