// The commit a copy of a public collection was taken at, for links to the exact text an order came from.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** The SOURCE_COMMIT file in the folder or one above it (as the shared corpus has), else `master`. */
export async function sourceCommitOf(root: string): Promise<string> {
  for (let folder = root; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'SOURCE_COMMIT');
    if (
      await stat(candidate).then(
        (s) => s.isFile(),
        () => false,
      )
    ) {
      const commit = (await readFile(candidate, 'utf8')).trim();
      if (/^[0-9a-f]{40}$/.test(commit)) return commit;
    }
    if (path.dirname(folder) === folder) return 'master';
  }
}
