// Lists the files of a bulk import source, a folder (recursively) or a .zip, as streams to read one by one.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import JSZip from 'jszip';

export interface SourceFile {
  /** Path inside the source, with / separators (what a manifest refers to). */
  name: string;
  open(): Readable;
}

export async function listSourceFiles(source: string): Promise<SourceFile[]> {
  const info = await stat(source);
  if (info.isDirectory()) {
    const entries = await readdir(source, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => {
        const full = path.join(entry.parentPath, entry.name);
        return {
          name: path.relative(source, full).split(path.sep).join('/'),
          open: () => createReadStream(full),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  if (/\.zip$/i.test(source)) {
    const zip = await JSZip.loadAsync(await readFile(source));
    return Object.values(zip.files)
      .filter(
        (entry) =>
          !entry.dir &&
          !path.posix.basename(entry.name).startsWith('.') &&
          !entry.name.startsWith('__MACOSX/'),
      )
      .map((entry) => ({ name: entry.name, open: () => entry.nodeStream() as Readable }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return [{ name: path.basename(source), open: () => createReadStream(source) }];
}
