// The one shape every format's extractor returns, so the pipeline never cares which format it had.
import type { TextSuggestions } from './suggestions/suggestFromText.ts';

/** How a page's text was obtained. */
export type ExtractionMethod = 'text-layer' | 'ocr' | 'plain-text' | 'email' | 'docx' | 'odt' | 'html';

export interface ExtractedPage {
  /** 1-based page number (an e-mail body or a text file is page 1). */
  number: number;
  text: string;
  method: ExtractionMethod;
  /** 0..1 where the method gives one (tesseract's mean word confidence / 100, text-layer quality), else null. */
  confidence: number | null;
}

/** A file found inside another (an e-mail attachment), written to disk by the extractor. */
export interface ExtractedChild {
  filename: string;
  /** Absolute path of a file in `ExtractionInput.workDir` holding the child's bytes. */
  path: string;
  /** The type the container declared; the pipeline sniffs the bytes again itself. */
  declaredMime?: string;
}

/**
 * - extracted: all pages have text.
 * - partial: some pages or parts failed; `reason` says which.
 * - failed / encrypted / unsupported / empty: no usable text; `reason` says why, in words for a user.
 */
export type ExtractionStatus = 'extracted' | 'partial' | 'failed' | 'encrypted' | 'unsupported' | 'empty';

export interface ExtractionResult {
  status: ExtractionStatus;
  /** The MIME type sniffed from the bytes. */
  mime: string;
  pages: ExtractedPage[];
  /** Format-specific facts: PDF info, e-mail headers (from, to, date, subject), page count… JSON-safe. */
  metadata: Record<string, unknown>;
  children: ExtractedChild[];
  reason?: string;
  /** Things a user may want to know that did not stop extraction (e.g. "page 3 OCR'd: garbage text layer"). */
  warnings: string[];
  /** What the text suggests (sender, dates, URLs…): added by the sandbox after the extractor; absent without text. */
  suggestions?: TextSuggestions;
}

export interface ExtractionLimits {
  /** Wall-clock limit for the extraction of one file, before the OCR allowance below. */
  timeoutMs: number;
  /** Added to the limit for each page the extractor says it will OCR (a long scan gets the time it needs). */
  ocrPageMs: number;
  /** The limit never grows past this, however many pages a file has. */
  maxTimeoutMs: number;
  /** Heap cap for the sandboxed process, in MiB. */
  memoryMb: number;
  /** Pages beyond this are not extracted (status partial). */
  maxPages: number;
  /** Images (or rasterised pages) larger than this many pixels are refused. */
  maxPixels: number;
}

export interface ExtractionInput {
  /** Absolute path of the file to extract (never modified). */
  path: string;
  /** Sniffed MIME type. */
  mime: string;
  /** Original filename, for messages only: never trusted for the type. */
  filename?: string;
  /** tesseract language list, e.g. "kaz+rus+eng". */
  ocrLanguages: string;
  /** A scratch directory the extractor may write into (children, rasterised pages). */
  workDir: string;
  limits: ExtractionLimits;
  /** Told how far the extraction has got (set by the sandbox; absent when nobody listens). */
  progress?: (progress: ExtractionProgress) => void;
}

/** How far a file has got, for its document's status while it is processed. */
export interface ExtractionProgress {
  /** Pages (or image frames) the extractor sends to OCR, and how many of them are done. */
  ocrPages: number;
  ocrDone: number;
}

/**
 * The memory limit of each tool the sandbox runs (pdftoppm, tesseract), as address space: twice the
 * sandbox's heap cap, which leaves tesseract room for a page at the pixel limit (a 16-megapixel page
 * takes it ~240 MB).
 */
export function toolMemoryMb(limits: ExtractionLimits): number {
  return 2 * limits.memoryMb;
}

/** The wall-clock limit of a file that needs `ocrPages` pages of OCR. */
export function extractionLimitMs(limits: ExtractionLimits, ocrPages: number): number {
  const allowed = limits.timeoutMs + ocrPages * limits.ocrPageMs;
  return Math.max(limits.timeoutMs, Math.min(limits.maxTimeoutMs, allowed));
}

export type Extractor = (input: ExtractionInput) => Promise<ExtractionResult>;

export const DEFAULT_LIMITS: ExtractionLimits = {
  timeoutMs: 120_000,
  ocrPageMs: 30_000,
  maxTimeoutMs: 3_600_000,
  memoryMb: 1024,
  maxPages: 500,
  maxPixels: 100_000_000,
};

/** A result with no text: the status and the reason say why, in words for a user. */
export function resultWithoutText(status: ExtractionStatus, mime: string, reason: string): ExtractionResult {
  return { status, mime, pages: [], metadata: {}, children: [], warnings: [], reason };
}
