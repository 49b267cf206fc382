// `import lumen PATH`: what the Lumen Database publishes and exports becomes public orders of their
// sender, their works' URLs the targets, the notices' source files their documents. It reads Lumen's notice
// JSON, its legacy notice export (CSV rows and the form e-mails they name), form e-mails standing on their
// own, and VCR cassettes of the github/dmca notices Lumen's GitHub importer fetches. Every file under PATH
// is accounted for; the reference is unique per notice, so a second import changes nothing.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { operatorCaller } from '../../auth/caller.ts';
import { saveImportedOrder } from '../../commands/importedOrderSaver.ts';
import { describeError } from '../../errors.ts';
import { ImportedAuthorities } from '../importedAuthorities.ts';
import { attachImportedFiles } from '../importedDocuments.ts';
import {
  emptyReport,
  type ImportDeps,
  type ImportProgressListener,
  type ImportReport,
} from '../importReport.ts';
import { readLumenFolder, type AccountedFile } from './lumenFolder.ts';
import { fieldsOf, outcomeEventsOf, senderOf, targetsOf } from './lumenNoticeOrder.ts';
import { LUMEN_FORMATS, type LumenFormat } from './preparedNotice.ts';

export interface LumenOptions {
  /** A notice JSON file, a legacy export, a cassette, or a folder of any of them. */
  path: string;
  /** The terms the notices were obtained under; by default the LICENSE-* file beside them, else Lumen's terms. */
  licence?: string;
}

export interface LumenReport extends ImportReport {
  /** Every file under the path, and what became of it. */
  files: AccountedFile[];
  /** Orders read from each format (imported, updated or found unchanged). */
  orders: Record<LumenFormat, number>;
}

export const LUMEN_DEFAULT_LICENCE =
  'Lumen Database (lumendatabase.org): published for research under its terms of use';

export async function importLumen(
  deps: ImportDeps,
  options: LumenOptions,
  progress: ImportProgressListener = () => undefined,
): Promise<LumenReport> {
  const caller = deps.caller ?? operatorCaller('import lumen');
  const folder = await readLumenFolder(options.path);
  const report: LumenReport = {
    ...emptyReport(),
    files: folder.files,
    orders: Object.fromEntries(LUMEN_FORMATS.map((format) => [format, 0])) as Record<LumenFormat, number>,
  };
  report.skipped.push(...folder.problems);
  const licence = options.licence ?? (await licenceOf(folder.licenceFile)) ?? LUMEN_DEFAULT_LICENCE;
  const authorities = new ImportedAuthorities(deps.db, caller);
  const { notices } = folder;

  for (const [index, { file, format, reference, sourceUrl, type, notice, documents }] of notices.entries()) {
    progress({ total: notices.length, processed: index, current: file });
    try {
      const sender = senderOf(notice, type);
      if (!sender) {
        report.skipped.push({ file, reason: `notice ${reference} names no sender or principal` });
        continue;
      }
      const authorityId = await authorities.idOf(sender.slug, sender.newBody);
      const saved = await saveImportedOrder(deps.db, {
        caller,
        order: {
          source: 'lumen',
          reference,
          licence,
          sourceUrl,
          // A sender matched to the catalogue is as Lumen published it; a new body is a guess to check.
          reviewed: sender.newBody === undefined,
          authorityId,
          fields: fieldsOf(notice),
          targets: targetsOf(notice),
          events: outcomeEventsOf(notice, sourceUrl),
        },
      });
      const added = await attachImportedFiles(deps, {
        caller,
        orderId: saved.publicId,
        files: documents,
        ocrLanguages: 'eng',
      });
      report[saved.outcome === 'unchanged' && added > 0 ? 'updated' : saved.outcome]++;
      report.orders[format]++;
      for (const url of saved.badTargets)
        report.skipped.push({ file, reason: `notice ${reference}: not a web address, left out: ${url}` });
    } catch (error) {
      report.skipped.push({ file, reason: describeError(error) });
    }
  }
  progress({ total: notices.length, processed: notices.length });
  // In file order, whether a problem was found reading a file or importing its notice.
  report.skipped.sort((a, b) => a.file.localeCompare(b.file));
  report.newAuthorities = authorities.created;
  return report;
}

/** `LICENSE-GPL-2.0.txt` beside the files says they came under the GPL 2.0 (Lumen's source code's licence). */
async function licenceOf(file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  const spdx = /^LICEN[CS]E-(.+?)(?:\.(?:txt|md))?$/i.exec(path.basename(file))?.[1];
  const firstLine = (await readFile(file, 'utf8'))
    .split('\n')
    .find((line) => line.trim())
    ?.trim();
  return `${spdx ?? firstLine ?? 'See the licence file'}: the licence the files were published under (${path.basename(file)} beside them)`;
}
