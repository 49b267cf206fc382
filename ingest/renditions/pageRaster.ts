// A page as pixels: rendered by poppler's pdftoppm into a PNM file (greyscale or RGB, 8 bits), read into
// memory, so redaction boxes can be painted into the pixels themselves and the text under them is gone.
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { lastErrorLine, runCommand } from '../ocr/runCommand.ts';
import { RenditionError } from './renditionError.ts';

export interface Raster {
  width: number;
  height: number;
  /** 1: greyscale, 3: RGB; rows top to bottom, no padding. */
  channels: 1 | 3;
  pixels: Buffer;
}

/** A rectangle in a raster's pixels, from its top-left corner. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PageRenderOptions {
  dpi: number;
  /** Greyscale (smaller files) or colour (stamps and signatures keep their colour). */
  colour: boolean;
  scratchDir: string;
  timeoutMs: number;
  /** pdftoppm refuses to render more than this many pixels (it crops to a square of this area). */
  maxPixels: number;
  /** pdftoppm's memory limit (address space), in MiB. */
  memoryMb?: number;
}

/** Reads a binary PGM (P5) or PPM (P6) with 8-bit samples, as pdftoppm writes them. */
export function readPnm(data: Buffer): Raster {
  const header = /^(P[56])\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header || header[4] !== '255') throw new RenditionError('The rendered page is not an 8-bit PNM image');
  const channels = header[1] === 'P5' ? 1 : 3;
  const width = Number(header[2]);
  const height = Number(header[3]);
  const size = width * height * channels;
  const start = header[0].length;
  if (data.length < start + size) throw new RenditionError('The rendered page image is truncated');
  return { width, height, channels, pixels: data.subarray(start, start + size) };
}

/**
 * pdftoppm's arguments for one page. `-cropbox` renders what pdf.js calls the page (its view is the crop
 * box), so text positions read with pdf.js land on the same pixels.
 */
function pdftoppmArgs(page: number, options: PageRenderOptions): string[] {
  const maxSide = String(Math.floor(Math.sqrt(options.maxPixels)));
  const args = ['-r', String(options.dpi), '-f', String(page), '-l', String(page), '-cropbox'];
  if (!options.colour) args.push('-gray');
  return [...args, '-W', maxSide, '-H', maxSide, '-singlefile'];
}

async function runPdftoppm(
  args: string[],
  page: number,
  options: PageRenderOptions,
  output: string,
): Promise<void> {
  const result = await runCommand('pdftoppm', args, {
    timeoutMs: options.timeoutMs,
    maxOutputBytes: 64 * 1024,
    ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
  });
  if (result.timedOut || result.exitCode !== 0 || result.outOfMemory) {
    await rm(output, { force: true });
    throw new RenditionError(
      result.timedOut
        ? `Rendering page ${page} took longer than ${Math.round(options.timeoutMs / 1000)} s`
        : result.outOfMemory
          ? `Rendering page ${page} ran out of memory (the limit is ${options.memoryMb} MB)`
          : `Page ${page} could not be rendered: ${lastErrorLine(result)}`,
    );
  }
}

/** Renders one page of a PDF into memory. */
export async function renderPdfPage(
  pdfPath: string,
  page: number,
  options: PageRenderOptions,
): Promise<Raster> {
  // Named uniquely: two renderings may share a scratch directory.
  const base = path.join(options.scratchDir, `rendition-page-${page}-${randomUUID()}`);
  const output = `${base}.${options.colour ? 'ppm' : 'pgm'}`;
  await runPdftoppm([...pdftoppmArgs(page, options), pdfPath, base], page, options, output);
  try {
    return readPnm(await readFile(output));
  } finally {
    await rm(output, { force: true });
  }
}

/** Renders one page of a PDF to a greyscale PNG for tesseract; the caller removes the file. */
export async function renderPdfPageForOcr(
  pdfPath: string,
  page: number,
  options: Omit<PageRenderOptions, 'colour'>,
): Promise<string> {
  const base = path.join(options.scratchDir, `rendition-ocr-page-${page}-${randomUUID()}`);
  const output = `${base}.png`;
  const args = [...pdftoppmArgs(page, { ...options, colour: false }), '-png'];
  await runPdftoppm([...args, pdfPath, base], page, { ...options, colour: false }, output);
  return output;
}

/** The darkness of a pixel, 0 (white) to 255 (black), whatever the raster's channels. */
export function inkAt(raster: Raster, x: number, y: number): number {
  const at = (y * raster.width + x) * raster.channels;
  if (raster.channels === 1) return 255 - raster.pixels[at]!;
  const { pixels } = raster;
  return 255 - Math.round(0.299 * pixels[at]! + 0.587 * pixels[at + 1]! + 0.114 * pixels[at + 2]!);
}

/** Paints each box solid black, grown by `margin` pixels on every side and clipped to the raster. */
export function paintBoxes(raster: Raster, boxes: PixelBox[], margin: number): void {
  for (const box of boxes) {
    const left = Math.max(0, Math.floor(box.x - margin));
    const top = Math.max(0, Math.floor(box.y - margin));
    const right = Math.min(raster.width, Math.ceil(box.x + box.width + margin));
    const bottom = Math.min(raster.height, Math.ceil(box.y + box.height + margin));
    if (right <= left || bottom <= top) continue;
    for (let y = top; y < bottom; y++) {
      const rowStart = (y * raster.width + left) * raster.channels;
      raster.pixels.fill(0, rowStart, rowStart + (right - left) * raster.channels);
    }
  }
}
