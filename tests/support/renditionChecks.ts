// Looks at a rendition from the outside, as a reader would: what OCR reads on its pages, what text a PDF
// tool finds in it, which fonts it carries, and the original document's text as the pipeline stores it.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extractFile } from '../../ingest/extractFile.ts';
import type { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import type { StoredPage } from '../../ingest/renditions/redactionBoxes.ts';

/**
 * Renders the PDF's pages again (200 dpi, greyscale) and reads them with tesseract; pages separated by
 * form feeds. `onlyPage` reads that page alone (OCR of a page costs seconds).
 */
export async function ocrOfPdf(
  pdf: Buffer,
  workDir: string,
  languages = 'eng',
  onlyPage?: number,
): Promise<string> {
  const dir = await mkdtemp(path.join(workDir, 'reread-'));
  try {
    const file = path.join(dir, 'rendition.pdf');
    await writeFile(file, pdf);
    const range = onlyPage ? ['-f', String(onlyPage), '-l', String(onlyPage)] : [];
    execFileSync('pdftoppm', ['-r', '200', '-gray', '-png', ...range, file, path.join(dir, 'page')]);
    const pages = execFileSync('ls', [dir])
      .toString()
      .split('\n')
      .filter((name) => name.endsWith('.png'));
    return pages
      .sort()
      .map((page) =>
        execFileSync('tesseract', [path.join(dir, page), '-', '-l', languages], {
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
          stdio: ['ignore', 'pipe', 'ignore'],
        }).toString(),
      )
      .join('\f');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What pdftotext finds in the PDF's text layer (form feeds and whitespace removed). */
export async function textLayerOf(pdf: Buffer, workDir: string): Promise<string> {
  const file = path.join(workDir, `text-layer-${Date.now()}.pdf`);
  await writeFile(file, pdf);
  try {
    return execFileSync('pdftotext', [file, '-']).toString().replace(/\s/g, '');
  } finally {
    await rm(file, { force: true });
  }
}

/** The fonts pdffonts lists in the PDF (none, for a PDF of images only). */
export async function fontsOf(pdf: Buffer, workDir: string): Promise<string[]> {
  const file = path.join(workDir, `fonts-${Date.now()}.pdf`);
  await writeFile(file, pdf);
  try {
    return execFileSync('pdffonts', [file]).toString().split('\n').slice(2).filter(Boolean);
  } finally {
    await rm(file, { force: true });
  }
}

/** The page texts the pipeline would store for the file: extracted in a sandbox, as uploads are. */
export async function storedPages(
  sandboxes: SandboxPool,
  file: string,
  workDir: string,
  ocrLanguages = 'eng',
): Promise<StoredPage[]> {
  const result = await extractFile({
    sandboxes,
    path: file,
    ocrLanguages,
    workDir: await mkdtemp(path.join(workDir, 'extract-')),
  });
  if (result.pages.length === 0) throw new Error(`extraction found no text: ${result.reason}`);
  return result.pages.map(({ number, text, method }) => ({ number, text, method }));
}

/** Letters and digits only, lower case: what must not be readable, whatever OCR does with spacing. */
export function squeezed(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}@]/gu, '');
}
