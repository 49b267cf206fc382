// Places redactions on an OCR'd page: tesseract's TSV lists every word it read with its box, in the
// order its text output writes them. When the stored page text has the same words (the same image read
// the same way) an offset names a word; otherwise the redacted string is looked for among the words,
// tolerant of OCR's spacing, case and the odd misread letter, and every place it occurs is covered.
import { readFile, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { lastErrorLine, runCommand } from '../ocr/runCommand.ts';
import { findLoosely, foldText } from './looseMatch.ts';
import type { PixelBox } from './pageRaster.ts';
import { RenditionError } from './renditionError.ts';

export interface OcrWord {
  /** 1-based page (frame) of the image. */
  page: number;
  /** Which line of the page the word is on (tesseract's block, paragraph and line numbers). */
  line: string;
  text: string;
  box: PixelBox;
}

/** The size of each page tesseract read, in the image's pixels. */
export interface OcrPageSize {
  page: number;
  width: number;
  height: number;
}

export interface OcrReading {
  words: OcrWord[];
  pages: OcrPageSize[];
}

/** Words (level 5 rows) and page sizes (level 1 rows) of tesseract's TSV output. */
export function readTsv(tsv: string): OcrReading {
  const reading: OcrReading = { words: [], pages: [] };
  for (const row of tsv.split('\n').slice(1)) {
    const columns = row.split('\t');
    if (columns.length < 12) continue;
    const [level, page, block, paragraph, line, , left, top, width, height] = columns.map(Number);
    const box = { x: left!, y: top!, width: width!, height: height! };
    if (level === 1) reading.pages.push({ page: page!, width: box.width, height: box.height });
    const text = columns.slice(11).join('\t').trim();
    if (level === 5 && text) {
      reading.words.push({ page: page!, line: `${block}.${paragraph}.${line}`, text, box });
    }
  }
  return reading;
}

export interface TesseractRunOptions {
  languages: string;
  scratchDir: string;
  timeoutMs: number;
  /** The image's resolution when known (a rendered PDF page); tesseract reads or guesses it otherwise. */
  dpi?: number;
  memoryMb?: number;
}

/**
 * Reads an image (or a list file of images) with tesseract into TSV; with `pdf`, tesseract also writes
 * the image(s) into a PDF, one page each at the image's own resolution, which is how an image file is
 * turned into pages poppler can render.
 */
export async function readWords(
  image: string,
  options: TesseractRunOptions,
  pdf = false,
): Promise<{ reading: OcrReading; pdfPath?: string }> {
  const base = path.join(options.scratchDir, `rendition-ocr-${randomUUID()}`);
  const args = [image, base, '-l', options.languages];
  if (options.dpi) args.push('--dpi', String(options.dpi));
  args.push('tsv');
  if (pdf) args.push('pdf');
  try {
    const result = await runCommand('tesseract', args, {
      timeoutMs: options.timeoutMs,
      ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
    });
    if (result.timedOut) {
      throw new RenditionError(`OCR took longer than ${Math.round(options.timeoutMs / 1000)} s`);
    }
    if (result.outOfMemory)
      throw new RenditionError(`OCR ran out of memory (the limit is ${options.memoryMb} MB)`);
    if (result.exitCode !== 0)
      throw new RenditionError(`OCR could not read the image: ${lastErrorLine(result)}`);
    const reading = readTsv(await readFile(`${base}.tsv`, 'utf8'));
    return pdf ? { reading, pdfPath: `${base}.pdf` } : { reading };
  } catch (error) {
    await rm(`${base}.pdf`, { force: true });
    throw error;
  } finally {
    await rm(`${base}.tsv`, { force: true });
  }
}

/** The words of one page, covering the words [from, to), merged into one box per line. */
function lineBoxes(words: OcrWord[]): PixelBox[] {
  const byLine = new Map<string, PixelBox>();
  for (const { line, box } of words) {
    const known = byLine.get(line);
    if (!known) {
      byLine.set(line, { ...box });
      continue;
    }
    const right = Math.max(known.x + known.width, box.x + box.width);
    const bottom = Math.max(known.y + known.height, box.y + box.height);
    known.x = Math.min(known.x, box.x);
    known.y = Math.min(known.y, box.y);
    known.width = right - known.x;
    known.height = bottom - known.y;
  }
  return [...byLine.values()];
}

/** Whether the stored text is, word for word, what tesseract read this time. */
function sameWords(storedText: string, words: OcrWord[]): boolean {
  const stored = storedText.match(/\S+/g) ?? [];
  return stored.length === words.length && stored.every((word, i) => word === words[i]!.text);
}

/**
 * The boxes (in the pixels of the image tesseract read) that cover a redacted string on one page's
 * words; empty when it is not there.
 */
export function boxesForRedaction(
  words: OcrWord[],
  storedText: string | undefined,
  redaction: { text: string; start?: number; end?: number },
): PixelBox[] {
  const { start, end } = redaction;
  if (
    storedText !== undefined &&
    start !== undefined &&
    end !== undefined &&
    storedText.slice(start, end) === redaction.text &&
    sameWords(storedText, words)
  ) {
    const covered: OcrWord[] = [];
    let index = 0;
    for (const match of storedText.matchAll(/\S+/g)) {
      if (match.index < end && match.index + match[0].length > start) covered.push(words[index]!);
      index++;
    }
    return lineBoxes(covered);
  }
  // The words as one folded stream, each folded character knowing its word.
  const haystack: string[] = [];
  const wordOf: number[] = [];
  for (const [index, word] of words.entries()) {
    for (const char of foldText(word.text).folded) {
      haystack.push(char);
      wordOf.push(index);
    }
  }
  const boxes: PixelBox[] = [];
  for (const match of findLoosely(haystack, foldText(redaction.text).folded)) {
    const first = wordOf[match.start]!;
    const last = wordOf[match.end - 1]!;
    boxes.push(...lineBoxes(words.slice(first, last + 1)));
  }
  return boxes;
}
