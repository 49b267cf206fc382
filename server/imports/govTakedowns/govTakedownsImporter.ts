// `import gov-takedowns PATH`: each note of GitHub's gov-takedowns collection becomes one public order of
// the body that sent it, the note (and the PDFs beside it) its documents, filed like any upload so they
// are extracted and indexed. The reference is the note's path, so a second import changes nothing.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { suggestFromText } from '../../../ingest/suggestions/suggestFromText.ts';
import { operatorCaller } from '../../auth/caller.ts';
import { saveImportedOrder, type ImportedOrderFields } from '../../commands/importedOrderSaver.ts';
import { describeError } from '../../errors.ts';
import { attachImportedFiles } from '../importedDocuments.ts';
import { ImportedAuthorities } from '../importedAuthorities.ts';
import {
  emptyReport,
  type ImportDeps,
  type ImportProgressListener,
  type ImportReport,
} from '../importReport.ts';
import { sourceCommitOf } from '../sourceCommit.ts';
import { readNoticeAuthority, type NoticeAuthority } from './noticeAuthority.ts';
import { listNoticeFiles } from './noticeFiles.ts';
import { readNoticeName } from './noticeName.ts';

export interface GovTakedownsOptions {
  /** A checkout of github/gov-takedowns, or any folder in it. */
  path: string;
  ocrLanguages?: string;
}

/** How each notice was read: what a reviewer (and the corpus test) checks against the file names. */
export interface GovTakedownNotice {
  file: string;
  order: string;
  date: string;
  authority: string;
  authorityRead: Pick<NoticeAuthority, 'agreed'> & { fromName?: string; fromText?: string };
  reviewed: boolean;
}

export interface GovTakedownsReport extends ImportReport {
  notices: GovTakedownNotice[];
}

const REPOSITORY = 'https://github.com/github/gov-takedowns';
const LICENCE =
  'No licence: government notices published verbatim by GitHub for transparency (personal data redacted)';
/**
 * A suggestion with at least this share of its kind's evidence is applied (restrict_access read 3 times
 * against remove once: 0.75); a weaker one, or a tie, leaves the order for a person to check.
 */
const HIGH_CONFIDENCE = 0.6;
/** A notice's own date may precede the day GitHub received it by this much, not more. */
const LONGEST_DELIVERY_DAYS = 60;

export async function importGovTakedowns(
  deps: ImportDeps,
  options: GovTakedownsOptions,
  progress: ImportProgressListener = () => undefined,
): Promise<GovTakedownsReport> {
  const caller = deps.caller ?? operatorCaller('import gov-takedowns');
  const report: GovTakedownsReport = { ...emptyReport(), notices: [] };
  const root = path.resolve(options.path);
  const { notices, strays } = await listNoticeFiles(root);
  const commit = await sourceCommitOf(root);
  const authorities = new ImportedAuthorities(deps.db, caller);
  for (const stray of strays)
    report.skipped.push({ file: path.relative(root, stray), reason: 'not a note or a PDF beside one' });

  for (const [index, files] of notices.entries()) {
    const file = path.relative(root, files.note);
    progress({ total: notices.length, processed: index, current: file });
    try {
      const name = readNoticeName(files.note);
      if ('notANotice' in name) {
        report.skipped.push({ file, reason: name.notANotice });
        continue;
      }
      const text = await readFile(files.note, 'utf8');
      const read = readNoticeAuthority({ country: name.country, agency: name.agency, text });
      if (!read.chosen) {
        report.skipped.push({ file, reason: `no issuing body of ${name.country} in its name or text` });
        continue;
      }
      const authorityId = await authorities.idOf(read.chosen.slug, read.chosen.newBody);
      const { fields, targets, guessed } = fieldsFromText(text, name.date);
      const reviewed = read.agreed && !guessed;
      const saved = await saveImportedOrder(deps.db, {
        caller,
        order: {
          source: 'gov-takedowns',
          reference: name.reference,
          licence: LICENCE,
          sourceUrl: `${REPOSITORY}/blob/${commit}/${name.reference.split('/').map(encodeURIComponent).join('/')}`,
          reviewed,
          authorityId,
          fields: { ...fields, received_on: name.date },
          targets,
          events: [],
        },
      });
      const added = await attachImportedFiles(deps, {
        caller,
        orderId: saved.publicId,
        files: [files.note, ...files.pdfs].map((document) => ({
          role: 'order' as const,
          filename: path.basename(document),
          open: () => createReadStream(document),
        })),
        ocrLanguages: options.ocrLanguages ?? OCR_LANGUAGES[name.country] ?? 'eng',
      });
      const outcome = saved.outcome === 'unchanged' && added > 0 ? 'updated' : saved.outcome;
      report[outcome]++;
      report.notices.push({
        file,
        order: saved.publicId,
        date: name.date,
        authority: read.chosen.slug,
        authorityRead: {
          agreed: read.agreed,
          ...(read.fromName ? { fromName: read.fromName.slug } : {}),
          ...(read.fromText ? { fromText: read.fromText.slug } : {}),
        },
        reviewed,
      });
    } catch (error) {
      report.skipped.push({ file, reason: describeError(error) });
    }
  }
  progress({ total: notices.length, processed: notices.length });
  report.newAuthorities = authorities.created;
  return report;
}

const OCR_LANGUAGES: Record<string, string> = {
  RU: 'rus+eng',
  CN: 'chi_sim+eng',
  HK: 'chi_tra+eng',
  ES: 'spa+eng',
  KZ: 'kaz+rus+eng',
};

/**
 * The order fields the note's text gives: what the rules find for certain (laws cited, addresses, the
 * language) is applied; a number, action or date read with less than high confidence is left for a person.
 */
function fieldsFromText(
  text: string,
  receivedOn: string,
): { fields: ImportedOrderFields; targets: { url: string }[]; guessed: boolean } {
  const suggestions = suggestFromText(text);
  const suggested = suggestions.order_fields;
  const fields: ImportedOrderFields = {
    legal_basis: suggested.legal_basis ?? [],
    language: suggested.language ?? null,
    issued_on: receivedOn,
  };
  let guessed = false;
  const reference = suggestions.reference_numbers[0];
  if (reference && suggested.reference_number && reference.confidence >= HIGH_CONFIDENCE)
    fields.reference_number = suggested.reference_number;
  else if (reference) guessed = true;
  const action = suggestions.demanded_actions[0];
  if (action && action.confidence >= HIGH_CONFIDENCE) fields.demanded_actions = [action.action];
  else if (action) guessed = true;
  const ownDate = suggestions.dates[0];
  if (ownDate && suggested.issued_on && ownDate.confidence >= HIGH_CONFIDENCE) {
    const daysBefore = (Date.parse(receivedOn) - Date.parse(suggested.issued_on)) / 86_400_000;
    if (daysBefore >= 0 && daysBefore <= LONGEST_DELIVERY_DAYS) fields.issued_on = suggested.issued_on;
  }
  return { fields, targets: suggested.targets ?? [], guessed };
}
