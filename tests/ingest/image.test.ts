// Images through extractFile: PNG, JPEG and BMP scans are OCR'd, a multi-page TIFF gives one page per
// frame, a phone's HEIC photo is decoded and OCR'd, and an image over the pixel limit or a broken one
// fails with a reason instead of being decoded.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractionLimits } from '../../ingest/extraction.ts';
import { extractFile } from '../../ingest/extractFile.ts';
import { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import { multiPageTiff, textPageImage, textPagePngs } from '../support/imageFixtures.ts';

const FIRST = 'The ministry demands that the article about the protest be removed today.';
const SECOND = 'The second page lists the addresses of the pages that must be blocked.';
/**
 * A photo of a one-page demand as an iPhone would save it (HEIC, HEVC-coded): made once with libheif's
 * heif-enc -q 50 from a 100 dpi rendering of a generated page, since no encoder runs in CI.
 */
const HEIC_PHOTO = path.resolve(import.meta.dirname, '../fixtures/demand-photo.heic');

let dir: string;
let sandboxes: SandboxPool;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'image-test-'));
  sandboxes = new SandboxPool();
});
afterAll(async () => {
  await sandboxes.stop();
  await rm(dir, { recursive: true, force: true });
});

async function extract(file: string, limits: Partial<ExtractionLimits> = {}) {
  return extractFile({
    sandboxes,
    path: file,
    ocrLanguages: 'eng',
    workDir: await mkdtemp(path.join(dir, 'work-')),
    limits,
  });
}

describe('image extraction', () => {
  it('decodes a HEIC photo from a phone and OCRs it', async () => {
    const result = await extract(HEIC_PHOTO);
    expect(result).toMatchObject({ status: 'extracted', mime: 'image/heic' });
    expect(result.pages).toHaveLength(1);
    expect(result.pages[0]).toMatchObject({ number: 1, method: 'ocr' });
    expect(result.pages[0]?.text).toContain('The editor must remove the article');
    expect(result.pages[0]?.text).toContain('vlast.kz/novosti/51234');
  });

  it('refuses a HEIC photo over the pixel limit without decoding it', async () => {
    const result = await extract(HEIC_PHOTO, { maxPixels: 100_000 });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^The image is 82\d×1170 pixels, over the limit of 100,000$/);
  });

  it('OCRs a PNG scan into one page with a confidence', async () => {
    const [png] = await textPagePngs([FIRST], dir);
    const result = await extract(png ?? '');
    expect(result).toMatchObject({ status: 'extracted', mime: 'image/png', warnings: [] });
    expect(result.pages).toHaveLength(1);
    expect(result.pages[0]).toMatchObject({ number: 1, method: 'ocr' });
    expect(result.pages[0]?.text).toContain('demands that the article');
    expect(result.pages[0]?.confidence).toBeGreaterThan(0.8);
    expect(result.metadata).toMatchObject({ width: 1240, height: 1755, frames: 1, ocrLanguages: 'eng' });
  }, 30_000);

  it('OCRs JPEG and BMP scans too', async () => {
    for (const format of ['jpeg', 'bmp'] as const) {
      const result = await extract(await textPageImage(FIRST, dir, format));
      expect(result.status, format).toBe('extracted');
      expect(result.mime).toBe(format === 'jpeg' ? 'image/jpeg' : 'image/bmp');
      expect(result.pages[0]?.text).toContain('demands that the article');
    }
  }, 60_000);

  it('gives a multi-page TIFF one page per frame', async () => {
    const result = await extract(await multiPageTiff([FIRST, SECOND], dir));
    expect(result.status).toBe('extracted');
    expect(result.mime).toBe('image/tiff');
    expect(result.pages.map((page) => page.number)).toEqual([1, 2]);
    expect(result.pages[0]?.text).toContain('demands that the article');
    expect(result.pages[1]?.text).toContain('addresses of the pages');
    expect(result.metadata).toMatchObject({ frames: 2 });
  }, 60_000);

  it('refuses an image over the pixel limit before decoding it', async () => {
    const [png] = await textPagePngs([FIRST], dir, 'large');
    const result = await extract(png ?? '', { maxPixels: 1_000_000 });
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'The image is 1240×1755 pixels, over the limit of 1,000,000',
      pages: [],
    });
  });

  it('names the frame of a multi-page TIFF that is over the limit', async () => {
    const result = await extract(await multiPageTiff([FIRST, SECOND], dir), { maxPixels: 1_000_000 });
    expect(result.reason).toBe('Page 1 of the image is 1240×1755 pixels, over the limit of 1,000,000');
  });

  it('fails a truncated image with a readable reason', async () => {
    const [png] = await textPagePngs([FIRST], dir, 'cut');
    const truncated = path.join(dir, 'truncated.png');
    await writeFile(truncated, readFileSync(png ?? '').subarray(0, 2000));
    const result = await extract(truncated);
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^The image could not be read: /);
  }, 30_000);
});
