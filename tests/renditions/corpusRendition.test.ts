// Redacted renditions of a real court decision from the corpus, twice: the scanned PDF with its OCR text
// layer (boxes from pdf.js's positions of the invisible text over the picture), and the same page as a
// 200 dpi PNG scan (boxes from tesseract's words, matched against another OCR run's transcript). Either
// way OCR no longer reads the judge's name, and still reads the words around it.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRedacted } from '../../ingest/renditions/redactedRendition.ts';
import { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import { ocrOfPdf, squeezed, storedPages, textLayerOf } from '../support/renditionChecks.ts';

const CORPUS = path.resolve('../shared/corpus');
const DECISION_PDF = path.join(
  CORPUS,
  'gov-takedowns/Russia/2020/2020-04-16-roskomnadzor/2020-04-16-roskomnadzor.pdf',
);
const DECISION_PAGE_PNG = path.join(CORPUS, 'ocr-cyrillic/karaidel-court-2a-205-2020-1.png');
/** The corpus's own tesseract reading of that PNG: another OCR run than the rendition's. */
const DECISION_PAGE_TRANSCRIPT = path.join(
  CORPUS,
  'ocr-cyrillic/karaidel-court-2a-205-2020-1.tesseract-rus.txt',
);
const corpusPresent = existsSync(DECISION_PDF) && existsSync(DECISION_PAGE_PNG);
if (!corpusPresent) console.warn(`corpusRendition.test: ${CORPUS} is absent, so real scans are not rendered`);

/** In the decision's first paragraph: "…Республики Башкортостан Фахретдинова Е.Н., рассмотрев…". */
const JUDGE = 'Фахретдинова Е.Н.';

let dir: string;
let sandboxes: SandboxPool;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'corpus-rendition-test-'));
  sandboxes = new SandboxPool();
});
afterAll(async () => {
  await sandboxes.stop();
  await rm(dir, { recursive: true, force: true });
});

function expectJudgeGone(ocr: string): void {
  expect(squeezed(ocr)).not.toContain('фахретдинов');
  expect(ocr).toContain('Башкортостан');
  expect(ocr).toContain('рассмотрев');
}

describe.skipIf(!corpusPresent)('the rendition of a real court decision', () => {
  it('covers a name on a scanned PDF with an OCR text layer, from the text positions', async () => {
    const pages = await storedPages(sandboxes, DECISION_PDF, dir, 'rus');
    expect(pages[0]?.method).toBe('text-layer');
    const start = pages[0]!.text.indexOf(JUDGE);
    expect(start).toBeGreaterThan(0);
    const rendition = await renderRedacted({
      file: DECISION_PDF,
      mime: 'application/pdf',
      redactions: [{ page: 1, text: JUDGE, start, end: start + JUDGE.length }],
      pages,
      ocrLanguages: 'rus',
      workDir: dir,
    });
    expect(rendition.unplaced).toEqual([]);
    expect(rendition.pageCount).toBe(4);
    expect(rendition.boxesByPage.map((page) => page.page)).toEqual([1]);
    expect(await textLayerOf(rendition.pdf, dir)).toBe('');
    expectJudgeGone(await ocrOfPdf(rendition.pdf, dir, 'rus', 1));
  });

  it('covers the name on the same page scanned as a PNG, from OCR word boxes', async () => {
    const transcript = await readFile(DECISION_PAGE_TRANSCRIPT, 'utf8');
    const start = transcript.indexOf(JUDGE);
    expect(start).toBeGreaterThan(0);
    const rendition = await renderRedacted({
      file: DECISION_PAGE_PNG,
      mime: 'image/png',
      redactions: [{ page: 1, text: JUDGE, start, end: start + JUDGE.length }],
      pages: [{ number: 1, text: transcript, method: 'ocr' }],
      ocrLanguages: 'rus',
      workDir: dir,
    });
    expect(rendition.unplaced).toEqual([]);
    expect(rendition.pageCount).toBe(1);
    // A 1668 × 2349 scan at 200 dpi, rendered at the rendition's 150 dpi.
    expect(rendition.boxesByPage[0]).toMatchObject({ page: 1, dpi: 150, width: 1251, height: 1762 });
    expectJudgeGone(await ocrOfPdf(rendition.pdf, dir, 'rus'));
  });
});
