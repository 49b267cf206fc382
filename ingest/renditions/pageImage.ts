// One page of a document's original as a PNG, for the person who reviews its redactions: rendered the way
// its rendition renders it (the same page source, crop box and resolution), so a box drawn on this image,
// in fractions of its size, lands on the same pixels of the rendition. Colour, unlike the rendition's
// greyscale default: a reviewer reads stamps and signatures.
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { runCommand, lastErrorLine } from '../ocr/runCommand.ts';
import { chooseOcrLanguages, ocrAvailability } from '../ocr/ocrAvailability.ts';
import { openPageSource } from './pageSource.ts';
import { nativeDpi, pageDpi, RENDITION_DPI } from './redactionBoxes.ts';
import { DEFAULT_RENDITION_LIMITS, type RenditionLimits } from './redactedRendition.ts';
import { RenditionError } from './renditionError.ts';

export interface PageImageRequest {
  /** The original file (never modified). */
  file: string;
  mime: string;
  /** 1-based. */
  page: number;
  /** Languages tesseract reads an image in, to make the PDF around it (installed ones are used). */
  ocrLanguages?: string;
  /** Where scratch files go (a directory of its own is made inside and removed). */
  workDir: string;
  limits?: Partial<RenditionLimits>;
}

export interface PageImage {
  /** The page's size in the image, and the resolution it was rendered at. */
  width: number;
  height: number;
  dpi: number;
  pageCount: number;
}

/** Renders the page to `output` (a PNG); a page the document does not have is a RenditionError. */
export async function renderPageImage(request: PageImageRequest, output: string): Promise<PageImage> {
  const limits = { ...DEFAULT_RENDITION_LIMITS, ...request.limits };
  const scratchDir = await mkdtemp(path.join(request.workDir, 'page-image-'));
  try {
    let languages = 'eng';
    if (request.mime !== 'application/pdf') {
      const availability = await ocrAvailability();
      languages = chooseOcrLanguages(request.ocrLanguages ?? 'kaz+rus+eng', availability).languages ?? 'eng';
    }
    const source = await openPageSource(request.file, request.mime, {
      ocrLanguages: languages,
      scratchDir,
      stepTimeoutMs: limits.stepTimeoutMs,
      maxPages: limits.maxPages,
      maxPixels: limits.maxPixels,
      ...(limits.toolMemoryMb ? { toolMemoryMb: limits.toolMemoryMb } : {}),
    });
    try {
      if (request.page < 1 || request.page > source.pageCount) {
        throw new RenditionError(`The document has no page ${request.page}`);
      }
      const page = await source.document.getPage(request.page);
      const dpi = pageDpi(page, RENDITION_DPI, limits.maxPixels, nativeDpi(source, request.page, page));
      page.cleanup();
      const base = path.join(scratchDir, 'page');
      const maxSide = String(Math.floor(Math.sqrt(limits.maxPixels)));
      const result = await runCommand(
        'pdftoppm',
        [
          ...['-r', String(dpi), '-f', String(request.page), '-l', String(request.page), '-cropbox'],
          ...['-W', maxSide, '-H', maxSide, '-singlefile', '-png', source.pdfPath, base],
        ],
        {
          timeoutMs: limits.stepTimeoutMs,
          maxOutputBytes: 64 * 1024,
          ...(limits.toolMemoryMb ? { memoryMb: limits.toolMemoryMb } : {}),
        },
      );
      if (result.timedOut || result.outOfMemory || result.exitCode !== 0) {
        throw new RenditionError(
          result.timedOut
            ? `Rendering page ${request.page} took too long`
            : `Page ${request.page} could not be rendered: ${lastErrorLine(result)}`,
        );
      }
      await rename(`${base}.png`, output);
      const { width, height } = pngSize(await readFile(output));
      return { width, height, dpi, pageCount: source.pageCount };
    } finally {
      await source.close();
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

/** A PNG's width and height, from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new RenditionError('The rendered page is not a PNG image');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
