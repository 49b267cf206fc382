// Files the documents that came with an imported notice as any upload is filed (sniffed by their bytes,
// extracted, indexed), so their text is searchable; bytes the order already holds are not filed twice.
import type { Readable } from 'node:stream';
import { sniffType } from '../../ingest/sniffType.ts';
import type { Caller } from '../auth/caller.ts';
import { attachDocuments } from '../commands/documentReceiver.ts';
import type { DocumentRole } from '../schemas/documents.ts';
import type { ImportDeps } from './importReport.ts';

export interface ImportedFile {
  filename: string;
  role: DocumentRole;
  /** The bytes, read when the file is filed. */
  open: () => Readable;
}

/** Attaches the files to the order; answers how many were new to it. */
export async function attachImportedFiles(
  deps: ImportDeps,
  {
    caller,
    orderId,
    files,
    ocrLanguages,
  }: { caller: Caller; orderId: string; files: ImportedFile[]; ocrLanguages: string },
): Promise<number> {
  if (files.length === 0) return 0;
  const attached = await attachDocuments(deps, {
    caller,
    orderId,
    files: await Promise.all(
      files.map(async (file) => {
        const blob = await deps.blobs.store(file.open(), deps.maxBytes);
        return { role: file.role, filename: file.filename, blob, mime: (await sniffType(blob.path)).mime };
      }),
    ),
    ocrLanguages,
  });
  return attached.filter((document) => !document.duplicate).length;
}
