// The OCR tools run under a memory limit (their address space), so a page crafted to make pdftoppm or
// tesseract allocate gigabytes fails with a reason instead of taking the machine's memory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rasterisePdfPage } from '../../ingest/ocr/rasterisePdfPage.ts';
import { recogniseImage } from '../../ingest/ocr/recogniseImage.ts';
import { textPagePngs } from '../support/imageFixtures.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tool-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the memory limit of the OCR tools', () => {
  it('stops tesseract that cannot get the memory it needs, and says so', async () => {
    const [png] = await textPagePngs(['The ministry demands that the article be removed.'], dir);
    const options = { languages: 'eng', scratchDir: dir, timeoutMs: 60_000 };
    // Within a generous limit the page reads as usual.
    const [page] = await recogniseImage(png!, { ...options, memoryMb: 2048 });
    expect(page?.text).toContain('article be removed');
    await expect(recogniseImage(png!, { ...options, memoryMb: 60 })).rejects.toThrow(
      'OCR ran out of memory (the limit is 60 MB)',
    );
  });

  it('stops pdftoppm rendering a page too large for its limit, even though it exits 0', async () => {
    const pdf = path.join(dir, 'page.pdf');
    await writeFile(pdf, await bornDigitalPdf(['A page rendered at 600 dpi needs 35 MB of pixels']));
    const options = { dpi: 600, scratchDir: dir, timeoutMs: 60_000, maxPixels: 100_000_000 };
    await expect(rasterisePdfPage(pdf, 1, { ...options, memoryMb: 20 })).rejects.toThrow(
      'rendering the page for OCR ran out of memory (the limit is 20 MB)',
    );
    const png = await rasterisePdfPage(pdf, 1, { ...options, memoryMb: 2048 });
    expect(png).toMatch(/page-1\.png$/);
  });
});
