// Extracts a PDF's text page by page: the text layer where it reads as the expected languages, OCR where
// it is missing or garbage (a scan "read" as the wrong script), and says what was damaged or left out.
import { readFile } from 'node:fs/promises';
import { PDFParse, VerbosityLevel, type InfoResult } from 'pdf-parse';
import type { ExtractedPage, ExtractionInput, ExtractionResult, Extractor } from '../extraction.ts';
import type { PageSize } from '../ocr/ocrPdfPage.ts';
import { ocrPdfPages, type PageNeedingOcr } from '../ocr/ocrPdfPages.ts';
import { judgeText } from '../textQuality.ts';
import { checkPdfStreams, describeDamage, type StreamCheck } from './pdfDamage.ts';

const MIME = 'application/pdf';

interface PdfFacts {
  pages: ExtractedPage[];
  warnings: string[];
  /** Sentences for `reason`: what is missing from the result. */
  problems: string[];
  metadata: Record<string, unknown>;
}

/** pdf.js reports repairs through console.warn; this process is the sandbox, so borrowing it is safe. */
function captureConsoleWarnings(into: string[]): () => void {
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    into.push(args.map(String).join(' '));
  };
  return () => {
    console.warn = original;
  };
}

function withoutText(status: ExtractionResult['status'], reason: string): ExtractionResult {
  return { status, mime: MIME, pages: [], metadata: {}, children: [], warnings: [], reason };
}

function unreadablePdf(error: unknown): ExtractionResult {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') {
    return withoutText(
      'encrypted',
      'The PDF is protected by a password, so its text cannot be read. Upload a copy without the password.',
    );
  }
  if (/Maximum call stack size exceeded/.test(message)) {
    return withoutText(
      'failed',
      'The PDF could not be read: its structure is nested too deeply for the parser',
    );
  }
  if (name === 'InvalidPDFException') {
    return withoutText('failed', `The PDF could not be read: its structure is broken (${message})`);
  }
  return withoutText('failed', `The PDF could not be read: ${message}`);
}

function documentMetadata(info: InfoResult, pagesExtracted: number): Record<string, unknown> {
  const fields = (info.info ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof fields[key] === 'string' && fields[key] ? fields[key] : undefined);
  const dates = info.getDateNode();
  return {
    pageCount: info.total,
    pagesExtracted,
    pdfVersion: text('PDFFormatVersion'),
    title: text('Title'),
    author: text('Author'),
    subject: text('Subject'),
    creator: text('Creator'),
    producer: text('Producer'),
    created: dates.CreationDate?.toISOString(),
    modified: dates.ModDate?.toISOString(),
    // Opened without a password but carrying an owner password (printing or copying restrictions).
    restricted: Boolean(fields.EncryptFilterName),
  };
}

/** Page by page, so one unreadable page costs that page (it goes to OCR), not the document. */
async function pageText(parser: PDFParse, number: number, facts: PdfFacts): Promise<string> {
  try {
    const result = await parser.getText({ partial: [number] });
    return result.pages[0]?.text ?? '';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    facts.warnings.push(`Page ${number}: the text layer could not be read (${message})`);
    return '';
  }
}

/** Sizes in points, to keep rendering within the pixel limit; unknown sizes render at the default resolution. */
async function pageSizes(parser: PDFParse, numbers: number[]): Promise<Map<number, PageSize>> {
  try {
    const info = await parser.getInfo({ parsePageInfo: true, partial: numbers });
    return new Map(info.pages.map((page) => [page.pageNumber, { width: page.width, height: page.height }]));
  } catch {
    return new Map();
  }
}

function finalResult(facts: PdfFacts): ExtractionResult {
  const pages = facts.pages.sort((a, b) => a.number - b.number);
  const status = !pages.some((page) => page.text)
    ? 'failed'
    : facts.problems.length > 0
      ? 'partial'
      : 'extracted';
  const reason =
    facts.problems.join(' ') ||
    (status === 'failed' ? 'The PDF contains no text, not even after OCR' : undefined);
  return {
    status,
    mime: MIME,
    pages,
    metadata: facts.metadata,
    children: [],
    warnings: facts.warnings,
    reason,
  };
}

async function extractOpenedPdf(
  parser: PDFParse,
  input: ExtractionInput,
  pdfJsWarnings: string[],
  streams: StreamCheck,
): Promise<ExtractionResult> {
  const info = await parser.getInfo();
  if (info.total === 0) return withoutText('failed', 'The PDF has no pages');
  const pageCount = Math.min(info.total, input.limits.maxPages);
  const facts: PdfFacts = {
    pages: [],
    warnings: [],
    problems: [],
    metadata: documentMetadata(info, pageCount),
  };
  if (pageCount < info.total) {
    facts.problems.push(
      `The PDF has ${info.total} pages; only the first ${pageCount} were extracted (the limit is ${input.limits.maxPages} pages).`,
    );
  }

  const candidates: PageNeedingOcr[] = [];
  for (let number = 1; number <= pageCount; number++) {
    const text = await pageText(parser, number, facts);
    const quality = judgeText(text, input.ocrLanguages);
    if (quality.verdict === 'good') {
      facts.pages.push({ number, text: text.trim(), method: 'text-layer', confidence: quality.score });
    } else {
      candidates.push({ number, textLayer: text, quality });
    }
  }
  if (candidates.length > 0) {
    const ocr = await ocrPdfPages(input, candidates, (numbers) => pageSizes(parser, numbers));
    facts.pages.push(...ocr.pages);
    facts.warnings.push(...ocr.warnings);
    facts.problems.push(...ocr.problems);
    Object.assign(facts.metadata, { ocrPages: ocr.ocrPages, ocrLanguages: ocr.languages });
  }

  // Streams of an encrypted file are ciphertext to us; only pdf.js's own repairs count there.
  const damage = describeDamage(pdfJsWarnings, facts.metadata.restricted ? undefined : streams);
  if (damage) facts.problems.unshift(damage);
  return finalResult(facts);
}

export const extractPdf: Extractor = async (input) => extractPdfBytes(await readFile(input.path), input);

/** The file's bytes already read; `input.path` is still what OCR rasterises. */
export async function extractPdfBytes(bytes: Buffer, input: ExtractionInput): Promise<ExtractionResult> {
  // Before pdf.js, which may take the buffer over.
  const streams = checkPdfStreams(bytes);
  const pdfJsWarnings: string[] = [];
  const restoreConsole = captureConsoleWarnings(pdfJsWarnings);
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: VerbosityLevel.WARNINGS });
  try {
    return await extractOpenedPdf(parser, input, pdfJsWarnings, streams);
  } catch (error) {
    return unreadablePdf(error);
  } finally {
    restoreConsole();
    await parser.destroy();
  }
}
