// PDFs through extractFile (sandbox included): per-page text with page numbers, the page limit, password
// protection, OCR of pages without a usable text layer, and what happens when OCR is not installed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractionResult } from '../../ingest/extraction.ts';
import { extractFile } from '../../ingest/extractFile.ts';
import { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import { sandboxEnvironment } from '../../ingest/sandbox/sandboxProcess.ts';
import { OCR_UNAVAILABLE_REASON } from '../../ingest/ocr/ocrAvailability.ts';
import {
  bornDigitalPdf,
  passwordProtectedPdf,
  pdfWithDamagedStream,
  scannedPdf,
} from '../support/pdfFixtures.ts';

const CORPUS = path.resolve('../shared/corpus');
const corpusPresent = existsSync(CORPUS);
if (!corpusPresent) console.warn(`pdf.test: ${CORPUS} is absent, so the real court decisions are skipped`);

const PAGES = [
  'This is the first page of the order.\nThe agency asks the editor to remove the article.',
  'This is the second page of the order.\nIt cites the law on information and its article 15.',
  'This is the third page of the order.\nThe editor has three days to answer the agency.',
];

let dir: string;
let sandboxes: SandboxPool;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pdf-test-'));
  sandboxes = new SandboxPool();
});
afterAll(async () => {
  await sandboxes.stop();
  await rm(dir, { recursive: true, force: true });
});

async function extractBytes(
  name: string,
  bytes: Uint8Array,
  options: { ocrLanguages?: string; maxPages?: number; sandboxes?: SandboxPool } = {},
): Promise<ExtractionResult> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return extractFile({
    sandboxes: options.sandboxes ?? sandboxes,
    path: file,
    ocrLanguages: options.ocrLanguages ?? 'eng',
    workDir: await mkdtemp(path.join(dir, 'work-')),
    limits: options.maxPages ? { maxPages: options.maxPages } : {},
  });
}

function letterShare(text: string, script: RegExp): number {
  const letters = text.match(/\p{L}/gu) ?? [];
  return letters.filter((letter) => script.test(letter)).length / Math.max(1, letters.length);
}
const CYRILLIC = /\p{Script=Cyrillic}/u;

describe('PDFs the tests build', () => {
  it('gives a born-digital PDF its text page by page, numbered from 1', async () => {
    const result = await extractBytes('order.pdf', await bornDigitalPdf(PAGES));
    expect(result).toMatchObject({ status: 'extracted', mime: 'application/pdf', warnings: [] });
    expect(result.pages.map((page) => page.number)).toEqual([1, 2, 3]);
    result.pages.forEach((page, index) => {
      expect(page.method).toBe('text-layer');
      expect(page.text.replace(/\s+/g, ' ')).toBe((PAGES[index] ?? '').replace(/\s+/g, ' '));
      expect(page.confidence).toBeGreaterThan(0.9);
    });
    expect(result.metadata).toMatchObject({ pageCount: 3, pagesExtracted: 3 });
  });

  it('extracts only the first maxPages pages of a longer PDF, as partial, and says so', async () => {
    const result = await extractBytes('long.pdf', await bornDigitalPdf([...PAGES, ...PAGES]), {
      maxPages: 2,
    });
    expect(result.status).toBe('partial');
    expect(result.pages.map((page) => page.number)).toEqual([1, 2]);
    expect(result.reason).toBe(
      'The PDF has 6 pages; only the first 2 were extracted (the limit is 2 pages).',
    );
    expect(result.metadata).toMatchObject({ pageCount: 6, pagesExtracted: 2 });
  });

  it('reports a password-protected PDF as encrypted', async () => {
    const result = await extractBytes('locked.pdf', await passwordProtectedPdf());
    expect(result.status).toBe('encrypted');
    expect(result.reason).toMatch(/protected by a password/);
    expect(result.pages).toEqual([]);
  });

  it('keeps the intact pages of a PDF with a damaged stream, as partial, and says it is damaged', async () => {
    const result = await extractBytes('damaged.pdf', await pdfWithDamagedStream(PAGES.slice(0, 2)));
    expect(result.status).toBe('partial');
    expect(result.reason).toBe(
      'The PDF is damaged (1 of its 2 compressed streams cannot be decompressed): the text may be incomplete.',
    );
    expect(result.pages[0]?.text).toMatch(/first page of the order/);
    expect(result.pages[1]?.text).toBe('');
  }, 30_000);

  it("OCRs the pages of a scan that has no text layer and says which pages were OCR'd", async () => {
    const result = await extractBytes('scan.pdf', await scannedPdf(PAGES.slice(0, 2), dir));
    expect(result.status).toBe('extracted');
    expect(result.pages.map((page) => [page.number, page.method])).toEqual([
      [1, 'ocr'],
      [2, 'ocr'],
    ]);
    expect(result.pages[0]?.text).toMatch(/first page of the order/);
    expect(result.pages[1]?.text).toMatch(/second page of the order/);
    expect(result.pages[0]?.confidence).toBeGreaterThan(0.7);
    expect(result.warnings).toEqual(["Page 1 OCR'd: no text layer", "Page 2 OCR'd: no text layer"]);
    expect(result.metadata).toMatchObject({ ocrPages: [1, 2], ocrLanguages: 'eng' });
  }, 60_000);
});

describe('without OCR tools on the server', () => {
  let withoutOcr: SandboxPool;
  let mixed: Uint8Array;
  let scanOnly: Uint8Array;
  beforeAll(async () => {
    mixed = await scannedPdf(PAGES.slice(0, 2), dir, [1]);
    scanOnly = await scannedPdf(PAGES.slice(0, 1), dir);
    // The sandbox child finds its tools on its PATH: an empty directory hides tesseract and pdftoppm.
    const emptyPath = await mkdtemp(path.join(dir, 'empty-path-'));
    withoutOcr = new SandboxPool({ environment: { ...sandboxEnvironment(), PATH: emptyPath } });
  });
  afterAll(() => withoutOcr.stop());

  it('keeps the text-layer pages and marks the document partial, naming what to install', async () => {
    const result = await extractBytes('mixed.pdf', mixed, { sandboxes: withoutOcr });
    expect(result.status).toBe('partial');
    expect(result.reason).toBe(OCR_UNAVAILABLE_REASON);
    expect(result.pages[0]?.text).toMatch(/first page of the order/);
    expect(result.pages[1]).toMatchObject({ number: 2, text: '' });
  });

  it('fails a pure scan with the same reason: there is no text at all', async () => {
    const result = await extractBytes('scan-only.pdf', scanOnly, { sandboxes: withoutOcr });
    expect(result).toMatchObject({ status: 'failed', reason: OCR_UNAVAILABLE_REASON });
  });
});

function pdfsUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return pdfsUnder(full);
    return name.endsWith('.pdf') ? [full] : [];
  });
}

describe.skipIf(!corpusPresent)('the real court decisions in gov-takedowns', () => {
  const results = new Map<string, ExtractionResult>();
  const pdfs = corpusPresent ? pdfsUnder(path.join(CORPUS, 'gov-takedowns')) : [];

  beforeAll(async () => {
    for (const pdf of pdfs) {
      const started = Date.now();
      results.set(
        pdf,
        await extractFile({
          sandboxes,
          path: pdf,
          ocrLanguages: 'kaz+rus+eng',
          workDir: await mkdtemp(path.join(dir, 'work-')),
        }),
      );
      console.log(
        `${path.basename(pdf)}: ${results.get(pdf)?.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  }, 300_000);

  it('finds both PDFs, and every one ends extracted with mostly Cyrillic text on every page', () => {
    expect(pdfs.length).toBeGreaterThanOrEqual(2);
    for (const pdf of pdfs) {
      const result = results.get(pdf);
      expect(result?.status, path.basename(pdf)).toBe('extracted');
      expect(result?.pages.length).toBeGreaterThanOrEqual(4);
      for (const page of result?.pages ?? []) {
        expect(page.text.length, `${path.basename(pdf)} page ${page.number}`).toBeGreaterThan(500);
        expect(letterShare(page.text, CYRILLIC)).toBeGreaterThan(0.9);
      }
    }
  });

  it('keeps the good ABBYY text layer as it is: no OCR', () => {
    const good = [...results].find(([pdf]) => pdf.includes('2020-04-16'))?.[1];
    expect(good?.pages.every((page) => page.method === 'text-layer')).toBe(true);
    expect(good?.pages.map((page) => page.text).join('\n')).toContain('РЕШЕНИЕ');
  });

  it('detects the garbage text layer (Cyrillic read as Latin) and OCRs it: «РЕШЕНИЕ» comes back', () => {
    const garbage = [...results].find(([pdf]) => pdf.includes('2018-10-24'))?.[1];
    expect(garbage?.pages.map((page) => page.method)).toEqual(['ocr', 'ocr', 'ocr', 'ocr', 'ocr']);
    expect(garbage?.warnings.every((warning) => /OCR'd: garbage text layer/.test(warning))).toBe(true);
    const text = garbage?.pages.map((page) => page.text).join('\n') ?? '';
    expect(text).toContain('РЕШЕНИЕ');
    expect(text).toContain('Российской Федерации');
    expect(letterShare(text, CYRILLIC)).toBeGreaterThan(0.95);
    expect(garbage?.pages.every((page) => (page.confidence ?? 0) > 0.8)).toBe(true);
  });
});
