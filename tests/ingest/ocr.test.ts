// OCR quality on real scans: every page in ocr-cyrillic comes back as Cyrillic text, and the character
// error rate against the ABBYY transcript of the Karaidel decision is measured, printed and bounded.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractionResult } from '../../ingest/extraction.ts';
import { extractFile } from '../../ingest/extractFile.ts';
import { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import { chooseOcrLanguages, ocrAvailability } from '../../ingest/ocr/ocrAvailability.ts';
import { dpiWithinPixelLimit } from '../../ingest/ocr/rasterisePdfPage.ts';

const SCANS = path.resolve('../shared/corpus/ocr-cyrillic');
const corpusPresent = existsSync(SCANS);
if (!corpusPresent) console.warn(`ocr.test: ${SCANS} is absent, so OCR quality is not measured`);

/**
 * Measured with tesseract 5.3.0, kaz+rus+eng: CER 1.1–2.8% per page, 1.66% over the 4 pages (the corpus's
 * rus-only baseline: 2.68%). The ABBYY transcript has its own errors, so part of that is not ours.
 */
const MAX_PAGE_CER = 0.05;
const MAX_OVERALL_CER = 0.025;
/** Two extractions at a time: the machine has two cores and tesseract runs single-threaded. */
const CONCURRENCY = 2;

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Edit distance in characters (code points), two rows at a time. */
function levenshtein(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  let previous = Uint32Array.from({ length: right.length + 1 }, (_, i) => i);
  let current = new Uint32Array(right.length + 1);
  for (let i = 1; i <= left.length; i++) {
    current[0] = i;
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[right.length] ?? 0;
}

function cyrillicShare(text: string): number {
  const letters = text.match(/\p{L}/gu) ?? [];
  return letters.filter((letter) => /\p{Script=Cyrillic}/u.test(letter)).length / Math.max(1, letters.length);
}

describe('ocrAvailability', () => {
  it('reports tesseract, pdftoppm and the installed languages', async () => {
    const availability = await ocrAvailability();
    expect(availability).toMatchObject({ tesseract: true, pdftoppm: true });
    expect(availability.languages).toEqual(expect.arrayContaining(['eng', 'kaz', 'kir', 'rus']));
    expect(availability.tesseractVersion).toMatch(/^\d+\.\d+/);
    expect(await ocrAvailability()).toBe(availability);
  });
});

describe('OCR settings', () => {
  it('renders a page at 200 dpi, or lower to stay under the pixel limit, or not at all', () => {
    const a4 = [595, 842] as const;
    expect(dpiWithinPixelLimit(...a4, 100_000_000)).toBe(200);
    expect(dpiWithinPixelLimit(...a4, 1_000_000)).toBe(101);
    expect(dpiWithinPixelLimit(...a4, 100_000)).toBeNull();
  });

  it('keeps the installed languages and names the missing ones', () => {
    const installed = {
      tesseract: true,
      pdftoppm: true,
      tesseractVersion: '5',
      pdftoppmVersion: '22',
      languages: ['eng', 'rus'],
    };
    expect(chooseOcrLanguages('kaz+rus+eng', installed)).toEqual({ languages: 'rus+eng', missing: ['kaz'] });
    expect(chooseOcrLanguages('kaz', installed)).toEqual({ languages: null, missing: ['kaz'] });
  });
});

describe.skipIf(!corpusPresent)('OCR of the scanned court decisions in ocr-cyrillic', () => {
  const results = new Map<string, ExtractionResult>();
  const scans = corpusPresent
    ? readdirSync(SCANS)
        .filter((name) => name.endsWith('.png'))
        .sort()
    : [];
  let dir: string;
  const sandboxes = new SandboxPool();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ocr-test-'));
    const started = Date.now();
    const queue = [...scans];
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const workDir = await mkdtemp(path.join(dir, 'work-'));
        results.set(
          name,
          await extractFile({
            sandboxes,
            path: path.join(SCANS, name),
            ocrLanguages: 'kaz+rus+eng',
            workDir,
          }),
        );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `OCR of ${scans.length} pages (kaz+rus+eng, ${CONCURRENCY} at a time): ${seconds.toFixed(1)} s, ` +
        `${((seconds * CONCURRENCY) / scans.length).toFixed(1)} s per page per core, sandbox start included`,
    );
  }, 600_000);

  afterAll(async () => {
    await sandboxes.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads every page as Cyrillic text', () => {
    expect(scans.length).toBe(9);
    for (const name of scans) {
      const result = results.get(name);
      expect(result?.status, name).toBe('extracted');
      expect(result?.pages).toHaveLength(1);
      const text = result?.pages[0]?.text ?? '';
      // The shortest page (the last of the SPb decision) has about 900 characters.
      expect(text.length, name).toBeGreaterThan(500);
      expect(cyrillicShare(text), name).toBeGreaterThan(0.9);
      expect(result?.pages[0]?.confidence, name).toBeGreaterThan(0.8);
    }
  });

  it('keeps the character error rate against the ABBYY transcript low', () => {
    const reference = readFileSync(path.join(SCANS, 'karaidel-court-2a-205-2020.abbyy-textlayer.txt'), 'utf8')
      .split('\f')
      .map(normalise);
    let errors = 0;
    let characters = 0;
    let baselineErrors = 0;
    for (let page = 1; page <= 4; page++) {
      const expected = reference[page - 1] ?? '';
      const ours = normalise(results.get(`karaidel-court-2a-205-2020-${page}.png`)?.pages[0]?.text ?? '');
      const baseline = normalise(
        readFileSync(path.join(SCANS, `karaidel-court-2a-205-2020-${page}.tesseract-rus.txt`), 'utf8'),
      );
      const distance = levenshtein(ours, expected);
      const baselineDistance = levenshtein(baseline, expected);
      const length = [...expected].length;
      errors += distance;
      baselineErrors += baselineDistance;
      characters += length;
      console.log(
        `karaidel page ${page}: CER ${((distance / length) * 100).toFixed(2)}% ` +
          `(${distance} edits / ${length} chars; corpus baseline, rus only: ${((baselineDistance / length) * 100).toFixed(2)}%)`,
      );
      expect(distance / length, `page ${page}`).toBeLessThan(MAX_PAGE_CER);
    }
    console.log(
      `karaidel overall CER ${((errors / characters) * 100).toFixed(2)}% ` +
        `(corpus baseline ${((baselineErrors / characters) * 100).toFixed(2)}%)`,
    );
    expect(errors / characters).toBeLessThan(MAX_OVERALL_CER);
  });
});
