// `import lumen PATH`: notices in the Lumen Database's JSON become public orders of their sender, their
// works' URLs the targets and, where the recipient acted, an outcome. The reference is the Lumen id,
// so a second import of the same notices changes nothing.
import { operatorCaller } from '../../auth/caller.ts';
import { saveImportedOrder } from '../../commands/importedOrderSaver.ts';
import { describeError } from '../../errors.ts';
import { ImportedAuthorities } from '../importedAuthorities.ts';
import {
  emptyReport,
  type ImportDeps,
  type ImportProgressListener,
  type ImportReport,
} from '../importReport.ts';
import { fieldsOf, outcomeEventsOf, senderOf, targetsOf } from './lumenNoticeOrder.ts';
import { readLumenNotices } from './lumenNotices.ts';

export interface LumenOptions {
  /** A notice JSON file or a folder of them. */
  path: string;
  /** The terms the notices were obtained under (Lumen grants access per researcher). */
  licence?: string;
}

export const LUMEN_DEFAULT_LICENCE =
  'Lumen Database (lumendatabase.org): published for research under its terms of use';

export async function importLumen(
  deps: ImportDeps,
  options: LumenOptions,
  progress: ImportProgressListener = () => undefined,
): Promise<ImportReport> {
  const caller = deps.caller ?? operatorCaller('import lumen');
  const report = emptyReport();
  const { notices, unreadable } = await readLumenNotices(options.path);
  report.skipped.push(...unreadable);
  const authorities = new ImportedAuthorities(deps.db, caller);

  for (const [index, { file, type, notice }] of notices.entries()) {
    progress({ total: notices.length, processed: index, current: file });
    try {
      const id = String(notice.id ?? '').trim();
      if (!/^[0-9A-Za-z-]{1,40}$/.test(id)) {
        report.skipped.push({ file, reason: 'the notice has no Lumen id' });
        continue;
      }
      const sender = senderOf(notice, type);
      if (!sender) {
        report.skipped.push({ file, reason: `notice ${id} names no sender or principal` });
        continue;
      }
      const authorityId = await authorities.idOf(sender.slug, sender.newBody);
      const sourceUrl = `https://lumendatabase.org/notices/${encodeURIComponent(id)}`;
      const saved = await saveImportedOrder(deps.db, {
        caller,
        order: {
          source: 'lumen',
          reference: id,
          licence: options.licence ?? LUMEN_DEFAULT_LICENCE,
          sourceUrl,
          // A sender matched to the catalogue is as Lumen published it; a new body is a guess to check.
          reviewed: sender.newBody === undefined,
          authorityId,
          fields: fieldsOf(notice),
          targets: targetsOf(notice),
          events: outcomeEventsOf(notice, sourceUrl),
        },
      });
      report[saved.outcome]++;
      for (const url of saved.badTargets)
        report.skipped.push({ file, reason: `notice ${id}: not a web address, left out: ${url}` });
    } catch (error) {
      report.skipped.push({ file, reason: describeError(error) });
    }
  }
  progress({ total: notices.length, processed: notices.length });
  report.newAuthorities = authorities.created;
  return report;
}
