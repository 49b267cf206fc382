// OCRs one PDF page: render it at a resolution within the pixel limit, read it with tesseract, clean up.
import { rm } from 'node:fs/promises';
import { dpiWithinPixelLimit, OCR_DPI, rasterisePdfPage } from './rasterisePdfPage.ts';
import { OcrError, recogniseImage, type RecognisedPage } from './recogniseImage.ts';

export interface OcrPdfPageOptions {
  languages: string;
  scratchDir: string;
  /** For rendering and for reading, each. */
  timeoutMs: number;
  maxPixels: number;
  /** Each tool's memory limit (address space), in MiB. */
  memoryMb?: number;
}

/** The page's size in PDF points (1/72 inch). */
export interface PageSize {
  width: number;
  height: number;
}

export async function ocrPdfPage(
  pdfPath: string,
  page: number,
  size: PageSize | undefined,
  options: OcrPdfPageOptions,
): Promise<RecognisedPage> {
  const dpi = size ? dpiWithinPixelLimit(size.width, size.height, options.maxPixels) : OCR_DPI;
  if (dpi === null) {
    throw new OcrError(`the page is too large to render within the limit of ${options.maxPixels} pixels`);
  }
  const image = await rasterisePdfPage(pdfPath, page, {
    dpi,
    scratchDir: options.scratchDir,
    timeoutMs: options.timeoutMs,
    maxPixels: options.maxPixels,
    ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
  });
  try {
    const [recognised] = await recogniseImage(image, { ...options, dpi });
    return recognised ?? { text: '', confidence: null };
  } finally {
    await rm(image, { force: true });
  }
}
