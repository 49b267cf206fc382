// Renders one PDF page to a greyscale PNG with pdftoppm, so a scan or a garbage text layer can be OCR'd.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { OcrError } from './recogniseImage.ts';
import { lastErrorLine, runCommand } from './runCommand.ts';

export const OCR_DPI = 200;
/** Below this resolution OCR reads little, so a page too large for the pixel limit is skipped instead. */
const MIN_OCR_DPI = 72;

export interface RasteriseOptions {
  scratchDir: string;
  dpi: number;
  timeoutMs: number;
  /** Also enforced by cropping, for a page whose size could not be read beforehand. */
  maxPixels: number;
  /** pdftoppm's memory limit (address space), in MiB. */
  memoryMb?: number;
}

/**
 * The resolution at which a page of this size (in PDF points) stays under the pixel limit,
 * at most OCR_DPI; null when even MIN_OCR_DPI would be over it.
 */
export function dpiWithinPixelLimit(widthPt: number, heightPt: number, maxPixels: number): number | null {
  const inches = (Math.abs(widthPt) / 72) * (Math.abs(heightPt) / 72);
  if (!(inches > 0)) return OCR_DPI;
  const dpi = Math.min(OCR_DPI, Math.floor(Math.sqrt(maxPixels / inches)));
  return dpi >= MIN_OCR_DPI ? dpi : null;
}

/** Path of the PNG; the caller removes it. */
export async function rasterisePdfPage(
  pdfPath: string,
  page: number,
  options: RasteriseOptions,
): Promise<string> {
  const outputBase = path.join(options.scratchDir, `page-${page}`);
  const maxSide = String(Math.floor(Math.sqrt(options.maxPixels)));
  const args = ['-r', String(options.dpi), '-f', String(page), '-l', String(page), '-png', '-gray'];
  args.push('-W', maxSide, '-H', maxSide);
  const result = await runCommand('pdftoppm', [...args, '-singlefile', pdfPath, outputBase], {
    timeoutMs: options.timeoutMs,
    maxOutputBytes: 64 * 1024,
    ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
  });
  if (result.timedOut || result.exitCode !== 0 || result.outOfMemory) {
    await rm(`${outputBase}.png`, { force: true });
    throw new OcrError(
      result.timedOut
        ? `rendering the page for OCR took longer than ${Math.round(options.timeoutMs / 1000)} s`
        : result.outOfMemory
          ? `rendering the page for OCR ran out of memory (the limit is ${options.memoryMb} MB)`
          : `the page could not be rendered for OCR: ${lastErrorLine(result)}`,
    );
  }
  return `${outputBase}.png`;
}
