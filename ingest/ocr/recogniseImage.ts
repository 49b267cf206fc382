// Reads an image's text with tesseract: one result per page (a multi-page TIFF gives several).
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { lastErrorLine, runCommand } from './runCommand.ts';

export interface RecognisedPage {
  text: string;
  /** tesseract's mean word confidence / 100, or null when it found no words. */
  confidence: number | null;
}

export interface RecogniseOptions {
  /** tesseract language list, only installed ones ("kaz+rus+eng"). */
  languages: string;
  /** Where tesseract may write its output files (removed afterwards). */
  scratchDir: string;
  timeoutMs: number;
  /** The resolution, when known (a rasterised PDF page); tesseract guesses otherwise. */
  dpi?: number;
  /** tesseract's memory limit (address space), in MiB. */
  memoryMb?: number;
}

/** OCR failed for a reason a user can read ("OCR took longer than 120 s"). */
export class OcrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OcrError';
  }
}

/** Mean word confidence per page from tesseract's TSV (level 5 rows are words; -1 marks non-words). */
function confidencesByPage(tsv: string): Map<number, number> {
  const sums = new Map<number, { total: number; words: number }>();
  for (const row of tsv.split('\n').slice(1)) {
    const columns = row.split('\t');
    if (columns[0] !== '5' || !columns[11]?.trim()) continue;
    const page = Number(columns[1]);
    const confidence = Number(columns[10]);
    if (!(confidence >= 0)) continue;
    const sum = sums.get(page) ?? { total: 0, words: 0 };
    sum.total += confidence;
    sum.words++;
    sums.set(page, sum);
  }
  return new Map([...sums].map(([page, sum]) => [page, sum.total / sum.words / 100]));
}

function pagesOf(text: string, tsv: string): RecognisedPage[] {
  // tesseract ends every page with a form feed.
  const texts = text.split('\f');
  if (texts.length > 1 && texts.at(-1)?.trim() === '') texts.pop();
  const confidences = confidencesByPage(tsv);
  return texts.map((pageText, index) => ({
    text: pageText.trim(),
    confidence: confidences.get(index + 1) ?? null,
  }));
}

function secondsOf(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export async function recogniseImage(
  imagePath: string,
  options: RecogniseOptions,
): Promise<RecognisedPage[]> {
  const outputBase = path.join(options.scratchDir, `tesseract-${randomUUID()}`);
  const args = [imagePath, outputBase, '-l', options.languages];
  if (options.dpi) args.push('--dpi', String(options.dpi));
  // One run writes both: the plain text and the per-word confidences.
  args.push('txt', 'tsv');
  try {
    const result = await runCommand('tesseract', args, {
      timeoutMs: options.timeoutMs,
      ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
    });
    if (result.timedOut) throw new OcrError(`OCR took longer than ${secondsOf(options.timeoutMs)}`);
    if (result.outOfMemory) throw new OcrError(`OCR ran out of memory (the limit is ${options.memoryMb} MB)`);
    if (result.exitCode !== 0)
      throw new OcrError(`tesseract could not read the image: ${lastErrorLine(result)}`);
    const [text, tsv] = await Promise.all([
      readFile(`${outputBase}.txt`, 'utf8'),
      readFile(`${outputBase}.tsv`, 'utf8'),
    ]);
    return pagesOf(text, tsv);
  } finally {
    await Promise.all([rm(`${outputBase}.txt`, { force: true }), rm(`${outputBase}.tsv`, { force: true })]);
  }
}
