// Sorts what `import lumen PATH` finds into the formats it reads and accounts for every file: read for its
// notices, attached to a notice of the legacy export that names it, the collection's own description, or
// skipped with the reason.
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readGithubDmcaCassette } from './githubDmcaCassette.ts';
import { csvKindOf, readLegacyNoticeExport } from './legacyNoticeExport.ts';
import { readNoticeJson } from './lumenNotices.ts';
import { decodeSourceBytes, noticeOfSource, parseNoticeSource } from './noticeSourceFile.ts';
import type { PreparedNotice, ReportedProblem } from './preparedNotice.ts';

export interface AccountedFile {
  /** As reports name files: from the folder imported on (`lumen/example_files/blog_export.csv`). */
  file: string;
  became: 'notices' | 'attached' | 'about' | 'skipped';
  /** How many notices, which rows it belongs to, or why it was skipped. */
  detail: string;
}

export interface LumenFolder {
  files: AccountedFile[];
  notices: PreparedNotice[];
  problems: ReportedProblem[];
  /** A LICENSE-* file at the top of what was imported. */
  licenceFile?: string;
}

/** The collection's description, licence and provenance, not notices. */
const ABOUT = /^(SOURCE(\.md)?|SOURCE_COMMIT|README(\..+)?|LICEN[CS]E(-.+)?(\.(txt|md))?)$/i;

export async function readLumenFolder(source: string): Promise<LumenFolder> {
  const root = path.resolve(source);
  const isFolder = (await stat(root)).isDirectory();
  const all = isFolder
    ? (await readdir(root, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(entry.parentPath, entry.name))
        .sort()
    : [root];
  const nameOf = (file: string) => path.relative(path.dirname(root), file);
  const folder: LumenFolder = { files: [], notices: [], problems: [] };
  const account = (file: string, became: AccountedFile['became'], detail: string) =>
    folder.files.push({ file: nameOf(file), became, detail });
  const skip = (file: string, reason: string) => {
    account(file, 'skipped', reason);
    folder.problems.push({ file: nameOf(file), reason });
  };
  const read = (file: string, notices: PreparedNotice[], problems: ReportedProblem[]) => {
    folder.notices.push(...notices);
    folder.problems.push(...problems);
    account(file, 'notices', `${notices.length} notice${notices.length === 1 ? '' : 's'}`);
  };

  const loose: string[] = [];
  const referenced = new Map<string, string[]>();
  for (const file of all) {
    const base = path.basename(file);
    const extension = path.extname(file).toLowerCase();
    if (ABOUT.test(base)) {
      account(file, 'about', 'the collection’s description, licence or provenance');
      if (/^LICEN[CS]E/i.test(base) && path.dirname(file) === (isFolder ? root : path.dirname(root)))
        folder.licenceFile = file;
    } else if (extension === '.json') {
      const { notices, unreadable } = await readNoticeJson(file, nameOf(file));
      if (unreadable) skip(file, unreadable);
      else read(file, ...jsonNotices(notices));
    } else if (extension === '.csv') {
      const kind = csvKindOf(await firstLine(file));
      if (kind === 'blog-export') {
        skip(
          file,
          'Lumen’s export of its blog posts (NewsID, author, title…): news about notices, not notices',
        );
      } else if (kind === 'notice-export') {
        const legacy = await readLegacyNoticeExport(file, nameOf(file));
        for (const [source, rows] of legacy.referenced)
          referenced.set(source, [...(referenced.get(source) ?? []), ...rows]);
        read(file, legacy.notices, legacy.problems);
      } else {
        skip(
          file,
          'a CSV that is neither Lumen’s notice export (NoticeID, OriginalFilePath…) nor its blog export',
        );
      }
    } else if (extension === '.yml' || extension === '.yaml') {
      const cassette = readGithubDmcaCassette(await readFile(file, 'utf8'), nameOf(file));
      if (cassette) read(file, cassette.notices, cassette.problems);
      else skip(file, 'YAML that is not a VCR cassette of GitHub’s github/dmca API');
    } else {
      loose.push(file);
    }
  }

  for (const file of loose) {
    const rows = referenced.get(file);
    if (rows) {
      account(
        file,
        'attached',
        `the source file of notice${rows.length === 1 ? '' : 's'} ${rows.join(', ')}`,
      );
      continue;
    }
    const standing = await standaloneNotice(file, nameOf(file));
    if ('reason' in standing) skip(file, standing.reason);
    else read(file, [standing], []);
  }
  folder.files.sort((a, b) => a.file.localeCompare(b.file));
  return folder;
}

/** Lumen's API notices keep their Lumen id as the reference and link to their page on lumendatabase.org. */
function jsonNotices(
  read: Awaited<ReturnType<typeof readNoticeJson>>['notices'],
): [PreparedNotice[], ReportedProblem[]] {
  const notices: PreparedNotice[] = [];
  const problems: ReportedProblem[] = [];
  for (const { file, type, notice } of read) {
    const id = String(notice.id ?? '').trim();
    if (!/^[0-9A-Za-z-]{1,40}$/.test(id)) {
      problems.push({ file, reason: 'the notice has no Lumen id' });
      continue;
    }
    notices.push({
      file,
      format: 'notice-json',
      reference: id,
      sourceUrl: `https://lumendatabase.org/notices/${encodeURIComponent(id)}`,
      type,
      notice,
      documents: [],
    });
  }
  return [notices, problems];
}

/**
 * A form e-mail no export row names is a notice of its own where it says who sent it, when, and what is
 * to be removed; a private person's "legal other" complaint is left out, as Lumen publishes those only
 * redacted and an imported document gets no redaction proposals.
 */
async function standaloneNotice(file: string, name: string): Promise<PreparedNotice | { reason: string }> {
  const bytes = await readFile(file);
  if (bytes.includes(0)) return { reason: 'not text: Lumen’s notice sources are form e-mails and web pages' };
  const { type, notice, byPrivatePerson, unreadableDate } = noticeOfSource(
    parseNoticeSource(decodeSourceBytes(bytes)),
  );
  const urls = (notice.works ?? []).flatMap((work) => work.infringing_urls ?? []);
  if (!notice.sender_name && !notice.principal_name && !byPrivatePerson)
    return {
      reason: 'no notice form in it (no sender, company or rights holder), and no export row names it',
    };
  if (byPrivatePerson)
    return {
      reason:
        'a private person’s "legal other" complaint (no company): Lumen publishes these only redacted, so it is not published here',
    };
  if (!notice.date_sent)
    return {
      reason: `no date it was sent${unreadableDate ? ` (its date field reads "${unreadableDate}")` : ''}`,
    };
  if (urls.length === 0) return { reason: 'it names no address to remove' };
  return {
    file: name,
    format: 'notice-source',
    // The file's name, not its path: importing its folder or the collection finds the same order.
    reference: `notice-source:${path.basename(file)}`,
    sourceUrl: null,
    type,
    notice,
    documents: [{ filename: path.basename(file), role: 'order', open: () => createReadStream(file) }],
  };
}

async function firstLine(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/)[0] ?? '';
  } finally {
    await handle.close();
  }
}
