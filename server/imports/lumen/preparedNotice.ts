// What each of the Lumen formats the importer reads is turned into: one notice, ready to become an order.
import type { ImportedFile } from '../importedDocuments.ts';
import type { LumenNotice } from './lumenNotices.ts';

/**
 * notice-json: Lumen's API JSON; legacy-csv: a row of Lumen's legacy notice export; notice-source: a form
 * e-mail standing on its own; github-dmca: a notice of github/dmca recorded in a VCR cassette.
 */
export const LUMEN_FORMATS = ['notice-json', 'legacy-csv', 'notice-source', 'github-dmca'] as const;
export type LumenFormat = (typeof LUMEN_FORMATS)[number];

export interface PreparedNotice {
  /** Where the report says it came from (`lumen/example_files/example_notice_export.csv#1053314`). */
  file: string;
  format: LumenFormat;
  /** The order's import_reference: unique per notice across formats. */
  reference: string;
  sourceUrl: string | null;
  /** Its type in the wrapper's spelling (dmca, court_order, other…). */
  type: string;
  notice: LumenNotice;
  /** Its original (and supporting files), filed as the order's documents. */
  documents: ImportedFile[];
}

/** Something left out, or a part of a notice that could not come in, and why. */
export interface ReportedProblem {
  file: string;
  reason: string;
}
