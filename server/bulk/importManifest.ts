// Reads a bulk import manifest: a CSV with a header row naming path and order (and optionally role,
// ocr_languages), saying which file of the source belongs to which order.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { DOCUMENT_ROLES, isOcrLanguageList, type DocumentRole } from '../schemas/documents.ts';

export interface ManifestEntry {
  order: string;
  role: DocumentRole;
  ocrLanguages?: string;
}

export class ManifestError extends Error {}

export async function readImportManifest(file: string): Promise<Map<string, ManifestEntry>> {
  let rows: Record<string, string>[];
  try {
    rows = parse(await readFile(file), { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new ManifestError(`${file}: not a readable CSV (${(error as Error).message})`);
  }
  const entries = new Map<string, ManifestEntry>();
  rows.forEach((row, index) => {
    const line = index + 2;
    if (!row.path || !row.order)
      throw new ManifestError(`${file} line ${line}: needs the columns path and order`);
    if (!/^(TD-\d{4}-\d{5,}|\d+)$/.test(row.order)) {
      throw new ManifestError(`${file} line ${line}: order must be a public id like TD-2026-00042`);
    }
    const role = (row.role || 'order') as DocumentRole;
    if (!DOCUMENT_ROLES.includes(role)) {
      throw new ManifestError(`${file} line ${line}: role must be one of ${DOCUMENT_ROLES.join(', ')}`);
    }
    if (row.ocr_languages && !isOcrLanguageList(row.ocr_languages)) {
      throw new ManifestError(`${file} line ${line}: ocr_languages must look like kaz+rus+eng`);
    }
    entries.set(row.path, {
      order: row.order,
      role,
      ...(row.ocr_languages ? { ocrLanguages: row.ocr_languages } : {}),
    });
  });
  return entries;
}
