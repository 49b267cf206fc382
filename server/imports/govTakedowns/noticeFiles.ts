// Lists the notes of a gov-takedowns checkout (or any folder of it) and the PDFs filed beside each.
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface NoticeFiles {
  /** The note (.md), absolute. */
  note: string;
  /** PDFs in the note's own folder (`…/2020-04-16-roskomnadzor/*.pdf`), absolute. */
  pdfs: string[];
}

export interface NoticeListing {
  notices: NoticeFiles[];
  /** Files that are neither a note nor a PDF beside one. */
  strays: string[];
}

/** Notes sorted by path, so that imports and their reports read in the same order every time. */
export async function listNoticeFiles(root: string): Promise<NoticeListing> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const notes = files.filter((file) => file.endsWith('.md') && !/^[A-Z_]+\.md$/.test(path.basename(file)));
  const notices = notes.map((note) => ({ note, pdfs: [] as string[] }));
  const strays: string[] = [];
  for (const file of files) {
    if (notes.includes(file)) continue;
    if (!file.toLowerCase().endsWith('.pdf')) {
      if (!/^([A-Z_]+\.md|SOURCE_COMMIT|LICENSE.*)$/.test(path.basename(file))) strays.push(file);
      continue;
    }
    // A folder of a notice holds its note (named like the folder) and the documents that came with it.
    const folder = path.dirname(file);
    const owner =
      notices.find((notice) => notice.note === path.join(folder, `${path.basename(folder)}.md`)) ??
      notices.find((notice) => path.dirname(notice.note) === folder);
    if (owner) owner.pdfs.push(file);
    else strays.push(file);
  }
  return { notices, strays };
}
