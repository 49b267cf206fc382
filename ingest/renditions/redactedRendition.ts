// Makes the redacted rendition of a PDF or an image: every page rendered by poppler into pixels, every
// redaction box painted solid black into those pixels (with a small margin), and the pages put together
// into a new PDF of images only, with no text layer at all, and its own sha256. What was under a box is
// not hidden in the file: it is not in the file.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { ocrAvailability, chooseOcrLanguages } from '../ocr/ocrAvailability.ts';
import { paintBoxes, renderPdfPage } from './pageRaster.ts';
import { openPageSource } from './pageSource.ts';
import {
  boxesOnRaster,
  nativeDpi,
  pageDpi,
  placeRedactionsOnPage,
  RENDITION_DPI,
  type PageBoxes,
  type RedactionToPlace,
  type StoredPage,
  type UnplacedRedaction,
} from './redactionBoxes.ts';
import { RenditionError } from './renditionError.ts';
import { ImagePdfBuilder } from './renditionPdf.ts';

export { RenditionError };

export interface RenditionLimits {
  /** A document with more pages gets no rendition (a rendition never leaves pages out). */
  maxPages: number;
  /** No page is rendered (nor an image frame decoded) with more pixels than this. */
  maxPixels: number;
  /** Each run of pdftoppm or tesseract. */
  stepTimeoutMs: number;
  /** Each tool's address space, in MiB. */
  toolMemoryMb?: number;
}

export const DEFAULT_RENDITION_LIMITS: RenditionLimits = {
  maxPages: 300,
  maxPixels: 100_000_000,
  stepTimeoutMs: 120_000,
};

export interface RenditionRequest {
  /** The original file (never modified). */
  file: string;
  /** Its sniffed type: application/pdf or an image type. */
  mime: string;
  /** Redacted strings to find and cover. */
  redactions?: RedactionToPlace[];
  /** Boxes already known (found before, or drawn by a person on a scan), covered as they are. */
  boxesByPage?: PageBoxes[];
  /** The page texts the archive stored (with how each was read), to place redactions by offset. */
  pages?: StoredPage[];
  /** The languages the document was OCR'd in ("kaz+rus+eng"); only installed ones are used. */
  ocrLanguages?: string;
  /** Resolution of the page images (default 150; lowered for pages larger than A4). */
  dpi?: number;
  /** Colour page images instead of greyscale (larger files). */
  colour?: boolean;
  /** Where scratch files go (a directory of its own is made inside and removed). */
  workDir: string;
  limits?: Partial<RenditionLimits>;
}

export interface Rendition {
  pdf: Buffer;
  sha256: string;
  pageCount: number;
  /** The boxes painted on each page that has some, in the pixels of the rendition's page images. */
  boxesByPage: PageBoxes[];
  /** Redactions that could not be found on their page: the rendition does not cover them. */
  unplaced: UnplacedRedaction[];
}

/** The margin painted around each box: about half a millimetre, at least two pixels. */
function marginPx(dpi: number): number {
  return Math.max(2, Math.round(dpi / 50));
}

async function ocrLanguagesFor(requested: string): Promise<string> {
  const availability = await ocrAvailability();
  if (!availability.tesseract || !availability.pdftoppm) {
    throw new RenditionError('Renditions need poppler-utils (pdftoppm) and tesseract-ocr on this server');
  }
  const { languages } = chooseOcrLanguages(requested, availability);
  if (!languages)
    throw new RenditionError(`None of the OCR languages (${requested}) is installed on this server`);
  return languages;
}

export async function renderRedacted(request: RenditionRequest): Promise<Rendition> {
  const limits = { ...DEFAULT_RENDITION_LIMITS, ...request.limits };
  const redactions = request.redactions ?? [];
  const scratchDir = await mkdtemp(path.join(request.workDir, 'rendition-'));
  try {
    const languages = await ocrLanguagesFor(request.ocrLanguages ?? 'kaz+rus+eng');
    const tools = {
      scratchDir,
      timeoutMs: limits.stepTimeoutMs,
      maxPixels: limits.maxPixels,
      ...(limits.toolMemoryMb ? { memoryMb: limits.toolMemoryMb } : {}),
    };
    const source = await openPageSource(request.file, request.mime, {
      ocrLanguages: languages,
      scratchDir,
      stepTimeoutMs: limits.stepTimeoutMs,
      maxPages: limits.maxPages,
      maxPixels: limits.maxPixels,
      ...(limits.toolMemoryMb ? { toolMemoryMb: limits.toolMemoryMb } : {}),
    });
    try {
      const unplaced: UnplacedRedaction[] = redactions
        .filter((redaction) => redaction.page < 1 || redaction.page > source.pageCount)
        .map((redaction) => ({ ...redaction, reason: `the document has no page ${redaction.page}` }));
      const boxesByPage: PageBoxes[] = [];
      const builder = await ImagePdfBuilder.create();
      for (let number = 1; number <= source.pageCount; number++) {
        const page = await source.document.getPage(number);
        const dpi = pageDpi(
          page,
          request.dpi ?? RENDITION_DPI,
          limits.maxPixels,
          nativeDpi(source, number, page),
        );
        const raster = await renderPdfPage(source.pdfPath, number, {
          ...tools,
          dpi,
          colour: Boolean(request.colour),
        });
        const boxes = (request.boxesByPage ?? [])
          .filter((given) => given.page === number)
          .flatMap((given) => boxesOnRaster(given, raster));
        const onPage = redactions.filter((redaction) => redaction.page === number);
        if (onPage.length > 0) {
          const stored = request.pages?.find((candidate) => candidate.number === number);
          const placed = await placeRedactionsOnPage(
            {
              source,
              number,
              page,
              raster,
              dpi,
              ...(stored ? { stored } : {}),
              ocr: { ...tools, languages },
            },
            onPage,
          );
          boxes.push(...placed.boxes);
          unplaced.push(...placed.unplaced);
        }
        page.cleanup();
        paintBoxes(raster, boxes, marginPx(dpi));
        if (boxes.length > 0) {
          boxesByPage.push({ page: number, dpi, width: raster.width, height: raster.height, boxes });
        }
        builder.addPage(raster, dpi);
      }
      const pdf = await builder.save();
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      return { pdf, sha256, pageCount: source.pageCount, boxesByPage, unplaced };
    } finally {
      await source.close();
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}
