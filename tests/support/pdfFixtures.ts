// Builds the PDFs (and page images) tests need from text the tests write, so core paths are covered
// on a fresh clone without ../shared/corpus.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, PDFHexString, StandardFonts } from 'pdf-lib';

const FONT_SIZE = 18;
const LINE_HEIGHT = 26;

/** A born-digital PDF: one page per entry, each page's text drawn line by line (WinAnsi text only). */
export async function bornDigitalPdf(
  pageTexts: string[],
  options = { useObjectStreams: true },
): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const text of pageTexts) {
    const page = document.addPage([595, 842]);
    text.split('\n').forEach((line, index) => {
      page.drawText(line, { x: 56, y: 780 - index * LINE_HEIGHT, size: FONT_SIZE, font });
    });
  }
  return document.save(options);
}

/** A born-digital PDF whose last page's compressed content stream has its deflate data overwritten. */
export async function pdfWithDamagedStream(pageTexts: string[]): Promise<Uint8Array> {
  const bytes = Buffer.from(await bornDigitalPdf(pageTexts, { useObjectStreams: false }));
  const filter = bytes.lastIndexOf('/FlateDecode');
  const data = bytes.indexOf('stream\n', filter) + 'stream\n'.length;
  // Past the two-byte zlib header: 0xFF bytes are no valid deflate block.
  bytes.fill(0xff, data + 2, data + 12);
  return bytes;
}

/** Renders the pages of a PDF file to greyscale PNGs with pdftoppm; returns their paths in page order. */
export function renderPages(pdfPath: string, outputDir: string, dpi = 150): string[] {
  const prefix = path.join(outputDir, path.basename(pdfPath, '.pdf'));
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', pdfPath, prefix]);
  const pageCount = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath]).toString())?.[1]);
  const digits = String(pageCount).length;
  return Array.from({ length: pageCount }, (_, i) => `${prefix}-${String(i + 1).padStart(digits, '0')}.png`);
}

/**
 * A PDF as a scanner makes it: each page is only a picture of text (no text layer).
 * `textPages` lists which pages keep a real text layer instead (1-based), for mixed documents.
 */
export async function scannedPdf(
  pageTexts: string[],
  workDir: string,
  textPages: number[] = [],
): Promise<Uint8Array> {
  const sourcePath = path.join(workDir, 'scan-source.pdf');
  await writeFile(sourcePath, await bornDigitalPdf(pageTexts));
  const images = renderPages(sourcePath, workDir);
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const [index, imagePath] of images.entries()) {
    const page = document.addPage([595, 842]);
    if (textPages.includes(index + 1)) {
      (pageTexts[index] ?? '').split('\n').forEach((line, lineIndex) => {
        page.drawText(line, { x: 56, y: 780 - lineIndex * LINE_HEIGHT, size: FONT_SIZE, font });
      });
      continue;
    }
    const image = await document.embedPng(readFileSync(imagePath));
    page.drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  }
  return document.save();
}

/**
 * A PDF that asks for a password. The /U and /O values are not a real key: any reader checking the empty
 * user password finds it wrong, which is all "encrypted" means to the archive.
 */
export async function passwordProtectedPdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  document.addPage().drawText('Confidential order', { x: 50, y: 700, font, size: 20 });
  const encrypt = document.context.obj({
    Filter: 'Standard',
    V: 1,
    R: 2,
    Length: 40,
    P: -4,
    O: PDFHexString.of('00'.repeat(32)),
    U: PDFHexString.of('11'.repeat(32)),
  });
  const id = PDFHexString.of('ab'.repeat(16));
  document.context.trailerInfo.Encrypt = document.context.register(encrypt);
  document.context.trailerInfo.ID = document.context.obj([id, id]);
  return document.save({ useObjectStreams: false });
}
