// OCRs the PDF pages whose text layer is missing or garbage, keeping the text layer where OCR reads no
// better, and says in warnings which pages were OCR'd and why.
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { extractionLimitMs, toolMemoryMb, type ExtractedPage, type ExtractionInput } from '../extraction.ts';
import { judgeText, type TextQuality } from '../textQuality.ts';
import { chooseOcrLanguages, OCR_UNAVAILABLE_REASON, ocrAvailability } from './ocrAvailability.ts';
import { ocrPdfPage, type PageSize } from './ocrPdfPage.ts';

/** One page's rendering or OCR never gets more than this, even under a generous overall limit. */
const OCR_STEP_TIMEOUT_MS = 120_000;

export interface PageNeedingOcr {
  number: number;
  textLayer: string;
  quality: TextQuality;
}

export interface PdfOcrOutcome {
  pages: ExtractedPage[];
  warnings: string[];
  /** Sentences for the result's `reason`: pages left without text and why. */
  problems: string[];
  /** The pages whose text now comes from OCR. */
  ocrPages: number[];
  /** The languages used, or null when OCR could not run. */
  languages: string | null;
}

/** Why a page went to OCR, for the warnings. */
function ocrCause(quality: TextQuality): string {
  return quality.verdict === 'too-little'
    ? quality.explanation
    : `garbage text layer: ${quality.explanation}`;
}

/** OCR replaces the text layer when it reads better, or finds clearly more letters than a near-empty layer. */
function ocrReadsBetter(page: PageNeedingOcr, ocr: TextQuality): boolean {
  const layer = page.quality;
  return layer.letters === 0 || ocr.score > layer.score || ocr.letters > layer.letters * 1.5;
}

/** The page when OCR cannot run: a near-empty layer keeps its few real letters, garbage is dropped. */
function pageWithoutOcr(page: PageNeedingOcr): ExtractedPage {
  const text = page.quality.verdict === 'too-little' ? page.textLayer.trim() : '';
  return { number: page.number, text, method: 'text-layer', confidence: 0 };
}

export async function ocrPdfPages(
  input: ExtractionInput,
  pages: PageNeedingOcr[],
  pageSizes: (numbers: number[]) => Promise<Map<number, PageSize>>,
): Promise<PdfOcrOutcome> {
  const outcome: PdfOcrOutcome = { pages: [], warnings: [], problems: [], ocrPages: [], languages: null };
  const availability = await ocrAvailability();
  const { languages, missing } = chooseOcrLanguages(input.ocrLanguages, availability);
  if (!availability.tesseract || !availability.pdftoppm || !languages) {
    outcome.problems.push(
      languages || !availability.tesseract
        ? OCR_UNAVAILABLE_REASON
        : `None of the OCR languages (${input.ocrLanguages}) is installed on this server`,
    );
    outcome.pages = pages.map(pageWithoutOcr);
    return outcome;
  }
  outcome.languages = languages;
  if (missing.length > 0)
    outcome.warnings.push(`OCR languages not installed, skipped: ${missing.join(', ')}`);

  const sizes = await pageSizes(pages.map((page) => page.number));
  const scratchDir = await mkdtemp(path.join(input.workDir, 'pdf-ocr-'));
  const stepTimeoutMs = Math.min(extractionLimitMs(input.limits, pages.length), OCR_STEP_TIMEOUT_MS);
  input.progress?.({ ocrPages: pages.length, ocrDone: 0 });
  try {
    for (const [done, page] of pages.entries()) {
      if (done > 0) input.progress?.({ ocrPages: pages.length, ocrDone: done });
      const { number, quality } = page;
      try {
        const ocr = await ocrPdfPage(input.path, number, sizes.get(number), {
          languages,
          scratchDir,
          timeoutMs: stepTimeoutMs,
          memoryMb: toolMemoryMb(input.limits),
          maxPixels: input.limits.maxPixels,
        });
        if (ocrReadsBetter(page, judgeText(ocr.text, input.ocrLanguages))) {
          outcome.pages.push({ number, text: ocr.text, method: 'ocr', confidence: ocr.confidence });
          outcome.ocrPages.push(number);
          outcome.warnings.push(`Page ${number} OCR'd: ${ocrCause(quality)}`);
          if (!ocr.text) outcome.warnings.push(`Page ${number}: OCR found no text (a blank page?)`);
        } else {
          outcome.pages.push({
            number,
            text: page.textLayer.trim(),
            method: 'text-layer',
            confidence: quality.score,
          });
          if (quality.verdict === 'garbage') {
            outcome.warnings.push(
              `Page ${number}: ${ocrCause(quality)}, but OCR read no better, so the text layer was kept`,
            );
          }
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        outcome.problems.push(`OCR failed on page ${number}: ${message}.`);
        outcome.pages.push(pageWithoutOcr(page));
      }
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
  return outcome;
}
