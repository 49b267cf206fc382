// Finds where on a page's image the redacted strings are: from pdf.js's text positions on a page with a
// text layer, from tesseract's word boxes on an OCR'd page or an image. Boxes come out in the pixels of a
// raster of the page at a stated resolution; a string found in neither way is reported, never skipped.
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { dpiWithinPixelLimit } from '../ocr/rasterisePdfPage.ts';
import { boxesForRedaction, readWords, type OcrWord } from './ocrWordBoxes.ts';
import { renderPdfPage, renderPdfPageForOcr, type PixelBox, type Raster } from './pageRaster.ts';
import { openPageSource, pageSizeInPoints, type PageSource, type PageSourceOptions } from './pageSource.ts';
import {
  boxesForSpan,
  readTextLayer,
  spansInLayer,
  type PdfJsPage,
  type TextLayer,
} from './textLayerBoxes.ts';

/** A redacted string on a page: its offsets in the page text the archive stored, when known. */
export interface RedactionToPlace {
  /** 1-based page number. */
  page: number;
  /** The redacted string, as it reads in the stored page text. */
  text: string;
  /** [start, end) in UTF-16 code units of the stored page text; without them every occurrence is covered. */
  start?: number;
  end?: number;
}

/** Boxes on one page, in the pixels of a raster of it at `dpi` that is `width` × `height` pixels. */
export interface PageBoxes {
  page: number;
  dpi: number;
  width: number;
  height: number;
  boxes: PixelBox[];
}

export interface UnplacedRedaction extends RedactionToPlace {
  reason: string;
}

/** The text the archive stored for a page, and how it was read ('text-layer', 'ocr', …). */
export interface StoredPage {
  number: number;
  text: string;
  method?: string;
}

/** The resolution redaction boxes are found at and renditions rendered at, unless asked otherwise. */
export const RENDITION_DPI = 150;
/**
 * Never many more pixels per page than an A4 page at the rendition's resolution: large plans get fewer
 * dpi; a scan a little larger than A4 keeps its resolution.
 */
const PAGE_POINTS_BUDGET = 1.1 * 595 * 842;

/** The resolution a page renders at: `dpi`, lowered for a page larger than A4 or over the pixel limit. */
export function pageDpi(page: PdfJsPage, dpi: number, maxPixels: number, nativeDpi?: number): number {
  const { width, height } = pageSizeInPoints(page);
  const wanted = Math.min(dpi, nativeDpi ?? dpi);
  const budget = Math.min(maxPixels, PAGE_POINTS_BUDGET * (dpi / 72) ** 2);
  const pixels = width * height * (wanted / 72) ** 2;
  const fitted = pixels > budget ? wanted * Math.sqrt(budget / pixels) : wanted;
  return Math.max(1, Math.floor(fitted * 100) / 100);
}

/** An image page's own resolution: its pixels over its size in points, as tesseract wrote it. */
export function nativeDpi(source: PageSource, pageNumber: number, page: PdfJsPage): number | undefined {
  const size = source.imageWords?.pages.find((candidate) => candidate.page === pageNumber);
  if (!size) return undefined;
  return (size.width * 72) / pageSizeInPoints(page).width;
}

function scaled(box: PixelBox, sx: number, sy: number): PixelBox {
  const x = Math.floor(box.x * sx);
  const y = Math.floor(box.y * sy);
  return {
    x,
    y,
    width: Math.ceil((box.x + box.width) * sx) - x,
    height: Math.ceil((box.y + box.height) * sy) - y,
  };
}

/** Boxes given for one raster, moved onto another raster of the same page. */
export function boxesOnRaster(page: PageBoxes, raster: { width: number; height: number }): PixelBox[] {
  const sx = raster.width / page.width;
  const sy = raster.height / page.height;
  return page.boxes.map((box) => scaled(box, sx, sy));
}

export interface OcrSettings {
  languages: string;
  scratchDir: string;
  timeoutMs: number;
  memoryMb?: number;
  maxPixels: number;
}

export interface PageToPlace {
  source: PageSource;
  number: number;
  page: PdfJsPage;
  /** The page rendered at `dpi`: boxes are found in its pixels (the gaps between words in its ink). */
  raster: Raster;
  dpi: number;
  stored?: StoredPage;
  ocr: OcrSettings;
}

/** The words tesseract reads on a page and the scale from its pixels to the raster's. */
async function wordsOnPage(target: PageToPlace): Promise<{ words: OcrWord[]; sx: number; sy: number }> {
  const { source, number, raster } = target;
  if (source.imageWords) {
    const size = source.imageWords.pages.find((page) => page.page === number);
    const words = source.imageWords.words.filter((word) => word.page === number);
    return {
      words,
      sx: raster.width / (size?.width || raster.width),
      sy: raster.height / (size?.height || raster.height),
    };
  }
  // As the extraction read the page: greyscale at OCR resolution, so tesseract reads the same words.
  const { width, height } = pageSizeInPoints(target.page);
  const ocrDpi = dpiWithinPixelLimit(width, height, target.ocr.maxPixels) ?? target.dpi;
  const image = await renderPdfPageForOcr(source.pdfPath, number, { ...target.ocr, dpi: ocrDpi });
  try {
    const { reading } = await readWords(image, { ...target.ocr, dpi: ocrDpi });
    const size = reading.pages[0];
    return {
      words: reading.words,
      sx: raster.width / (size?.width || raster.width),
      sy: raster.height / (size?.height || raster.height),
    };
  } finally {
    await rm(image, { force: true });
  }
}

/**
 * The boxes covering the redactions on one page, in its raster's pixels. A page whose text was read by
 * OCR (and every image) is looked at through tesseract's words first, any other through its text layer
 * first; what one way cannot place, the other tries.
 */
export async function placeRedactionsOnPage(
  target: PageToPlace,
  redactions: RedactionToPlace[],
): Promise<{ boxes: PixelBox[]; unplaced: UnplacedRedaction[] }> {
  const boxes: PixelBox[] = [];
  let layer: TextLayer | undefined;
  let ocrWords: Awaited<ReturnType<typeof wordsOnPage>> | undefined;
  const viewport = target.page.getViewport({ scale: target.dpi / 72 });
  const byTextLayer = async (redaction: RedactionToPlace): Promise<PixelBox[]> => {
    layer ??= await readTextLayer(target.page);
    return spansInLayer(layer, target.stored?.text, redaction).flatMap((span) =>
      boxesForSpan(layer!, span, viewport, target.raster),
    );
  };
  const byOcr = async (redaction: RedactionToPlace): Promise<PixelBox[]> => {
    ocrWords ??= await wordsOnPage(target);
    const { words, sx, sy } = ocrWords;
    return boxesForRedaction(words, target.stored?.text, redaction).map((box) => scaled(box, sx, sy));
  };
  const ocrFirst = Boolean(target.source.imageWords) || target.stored?.method === 'ocr';
  // An image's "text layer" is tesseract's own invisible text: only its words count.
  const ways = target.source.imageWords ? [byOcr] : ocrFirst ? [byOcr, byTextLayer] : [byTextLayer, byOcr];
  const unplaced: UnplacedRedaction[] = [];
  for (const redaction of redactions) {
    let found: PixelBox[] = [];
    for (const way of ways) {
      found = await way(redaction);
      if (found.length > 0) break;
    }
    if (found.length > 0) boxes.push(...found);
    else {
      unplaced.push({
        ...redaction,
        reason: target.source.imageWords
          ? 'not found among the words OCR reads on the image'
          : "not found in the page's text layer nor among the words OCR reads on it",
      });
    }
  }
  return { boxes, unplaced };
}

export interface FindBoxesRequest extends Omit<PageSourceOptions, 'scratchDir'> {
  file: string;
  mime: string;
  /** The page texts the archive stored, for placing redactions by offset. */
  pages?: StoredPage[];
  redactions: RedactionToPlace[];
  /** Resolution of the rasters the boxes are stated in (lowered for pages larger than A4). */
  dpi?: number;
  scratchDir: string;
}

export interface FoundBoxes {
  boxesByPage: PageBoxes[];
  unplaced: UnplacedRedaction[];
}

/** Pages that do not exist get their redactions reported, not dropped. */
function beyondLastPage(redactions: RedactionToPlace[], pageCount: number): UnplacedRedaction[] {
  return redactions
    .filter((redaction) => redaction.page < 1 || redaction.page > pageCount)
    .map((redaction) => ({ ...redaction, reason: `the document has no page ${redaction.page}` }));
}

/** Finds the boxes of the redactions on every page that has some, without making a rendition. */
export async function findRedactionBoxes(request: FindBoxesRequest): Promise<FoundBoxes> {
  const scratchDir = await mkdtemp(path.join(request.scratchDir, 'redaction-boxes-'));
  try {
    const source = await openPageSource(request.file, request.mime, { ...request, scratchDir });
    try {
      return await findOnPages(source, request, scratchDir);
    } finally {
      await source.close();
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

async function findOnPages(
  source: PageSource,
  request: FindBoxesRequest,
  scratchDir: string,
): Promise<FoundBoxes> {
  const found: FoundBoxes = {
    boxesByPage: [],
    unplaced: beyondLastPage(request.redactions, source.pageCount),
  };
  const numbers = [...new Set(request.redactions.map((redaction) => redaction.page))].sort((a, b) => a - b);
  const tools = {
    scratchDir,
    timeoutMs: request.stepTimeoutMs,
    maxPixels: request.maxPixels,
    ...(request.toolMemoryMb ? { memoryMb: request.toolMemoryMb } : {}),
  };
  for (const number of numbers.filter((page) => page >= 1 && page <= source.pageCount)) {
    const page = await source.document.getPage(number);
    const dpi = pageDpi(
      page,
      request.dpi ?? RENDITION_DPI,
      request.maxPixels,
      nativeDpi(source, number, page),
    );
    const raster = await renderPdfPage(source.pdfPath, number, { ...tools, dpi, colour: false });
    const stored = request.pages?.find((candidate) => candidate.number === number);
    const placed = await placeRedactionsOnPage(
      {
        source,
        number,
        page,
        raster,
        dpi,
        ...(stored ? { stored } : {}),
        ocr: { ...tools, languages: request.ocrLanguages },
      },
      request.redactions.filter((redaction) => redaction.page === number),
    );
    page.cleanup();
    found.boxesByPage.push({
      page: number,
      dpi,
      width: raster.width,
      height: raster.height,
      boxes: placed.boxes,
    });
    found.unplaced.push(...placed.unplaced);
  }
  return found;
}
