// Opens a document's file as pages to render: a PDF as it is, an image (PNG, JPEG, TIFF frames, BMP,
// WEBP, HEIC) as the PDF tesseract writes around it while it reads the words and their boxes, one page per
// frame at the image's own resolution. Either way pdf.js gives each page's size and text, and pdftoppm
// renders it.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFParse, VerbosityLevel } from 'pdf-parse';
import { frameSizes, oversizeReason } from '../extractors/image.ts';
import { readWords, type OcrReading } from './ocrWordBoxes.ts';
import { canRender, HEIF_TYPES } from './renderableTypes.ts';
import { RenditionError } from './renditionError.ts';
import type { PdfJsPage } from './textLayerBoxes.ts';

export interface PdfJsDocument {
  numPages: number;
  getPage(number: number): Promise<PdfJsPage>;
}

export interface PageSourceOptions {
  /** tesseract languages (installed ones), for images and OCR'd pages. */
  ocrLanguages: string;
  scratchDir: string;
  /** Each tool run's time limit. */
  stepTimeoutMs: number;
  /** Each tool's address space, in MiB. */
  toolMemoryMb?: number;
  maxPages: number;
  /** Frames of an image larger than this are refused before anything decodes them. */
  maxPixels: number;
}

export interface PageSource {
  /** The PDF pdftoppm renders: the file itself, or the one made around an image. */
  pdfPath: string;
  document: PdfJsDocument;
  pageCount: number;
  /** For an image: the words tesseract read on each page, in the image's pixels, and the pages' sizes. */
  imageWords?: OcrReading;
  close(): Promise<void>;
}

/**
 * pdf.js, through pdf-parse (the archive's one way to it). pdf-parse keeps its pdf.js document private;
 * its `load()` is what its own getText calls, and pdf-parse is pinned, so a test notices if it moves.
 */
async function openPdfJs(bytes: Buffer): Promise<{ parser: PDFParse; document: PdfJsDocument }> {
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: VerbosityLevel.ERRORS });
  try {
    const loader = parser as unknown as { load(): Promise<PdfJsDocument> };
    return { parser, document: await loader.load() };
  } catch (error) {
    await parser.destroy();
    const name = error instanceof Error ? error.name : '';
    const message = error instanceof Error ? error.message : String(error);
    if (name === 'PasswordException') {
      throw new RenditionError('The PDF is protected by a password, so it cannot be rendered');
    }
    throw new RenditionError(`The PDF could not be read: ${message}`);
  }
}

async function imageAsPdf(
  file: string,
  mime: string,
  options: PageSourceOptions,
): Promise<{ pdfPath: string; reading: OcrReading }> {
  let frames;
  try {
    frames = await frameSizes({ path: file, mime });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RenditionError(`The image could not be read: ${message}`);
  }
  const oversize = oversizeReason(frames, options.maxPixels);
  if (oversize) throw new RenditionError(oversize);
  if (frames.length > options.maxPages) {
    throw new RenditionError(`The image has ${frames.length} pages, over the limit of ${options.maxPages}`);
  }
  let input = file;
  if (HEIF_TYPES.includes(mime)) {
    const { heifToPnm } = await import('../ocr/heifToPnm.ts');
    const decoded = await heifToPnm(file, options.scratchDir, options.maxPixels);
    // tesseract reads a list of images as the pages of one document.
    input = path.join(options.scratchDir, 'rendition-frames.txt');
    await writeFile(input, `${decoded.files.join('\n')}\n`);
  }
  const { reading, pdfPath } = await readWords(
    input,
    {
      languages: options.ocrLanguages,
      scratchDir: options.scratchDir,
      timeoutMs: options.stepTimeoutMs * Math.max(1, frames.length),
      ...(options.toolMemoryMb ? { memoryMb: options.toolMemoryMb } : {}),
    },
    true,
  );
  return { pdfPath: pdfPath!, reading };
}

/** Opens the file; the caller closes the source when done. */
export async function openPageSource(
  file: string,
  mime: string,
  options: PageSourceOptions,
): Promise<PageSource> {
  if (!canRender(mime)) throw new RenditionError(`A file of type ${mime} cannot be rendered as pages`);
  const image = mime !== 'application/pdf' ? await imageAsPdf(file, mime, options) : undefined;
  const pdfPath = image?.pdfPath ?? file;
  try {
    const { parser, document } = await openPdfJs(await readFile(pdfPath));
    if (document.numPages > options.maxPages) {
      await parser.destroy();
      throw new RenditionError(
        `The document has ${document.numPages} pages, over the limit of ${options.maxPages} for a rendition`,
      );
    }
    if (document.numPages === 0) {
      await parser.destroy();
      throw new RenditionError('The PDF has no pages');
    }
    return {
      pdfPath,
      document,
      pageCount: document.numPages,
      ...(image ? { imageWords: image.reading } : {}),
      close: async () => {
        await parser.destroy();
        if (image) await rm(image.pdfPath, { force: true });
      },
    };
  } catch (error) {
    if (image) await rm(image.pdfPath, { force: true });
    throw error;
  }
}

/** A page's size in points as rendered (its crop box, turned by its rotation). */
export function pageSizeInPoints(page: PdfJsPage): { width: number; height: number } {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
  const width = Math.abs(x1 - x0);
  const height = Math.abs(y1 - y0);
  return page.rotate % 180 === 0 ? { width, height } : { width: height, height: width };
}
