// Redacted renditions from the outside: a demand with planted personal data (a born-digital PDF, a scan,
// a multi-page TIFF) becomes a PDF of page images in which OCR no longer reads the redacted values but
// still reads the words around them, with no text layer, a sha256 of its own that is the same every
// time, and a report of every redaction it could not place.
import { createHash } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import { findPersonalData } from '../../ingest/suggestions/findPersonalData.ts';
import { renderRedacted, RenditionError } from '../../ingest/renditions/redactedRendition.ts';
import type { RedactionToPlace, StoredPage } from '../../ingest/renditions/redactionBoxes.ts';
import { multiPageTiff } from '../support/imageFixtures.ts';
import { bornDigitalPdf, scannedPdf } from '../support/pdfFixtures.ts';
import { fontsOf, ocrOfPdf, squeezed, storedPages, textLayerOf } from '../support/renditionChecks.ts';

const NAME = 'Aigerim Nurlanovna';
/** A demand as an outlet receives it, with its correspondent's personal data in it. */
const DEMAND = [
  'To the editor of the newspaper, Almaty',
  'The ministry demands removal of the article.',
  `Contact the correspondent ${NAME} today.`,
  'Phone: +7 (727) 123-45-67, mobile 8 (701) 765-43-21',
  'E-mail: aigerim.n@vlast.kz for the answer.',
  'IIN 870315300121 of the citizen named above.',
  'Deadline: three working days.',
].join('\n');
/**
 * What must be gone from the rendition, as OCR would read it with spacing and punctuation removed
 * ("aigerim" is in the name and the e-mail; OCR reads "vlast" as "viast" now and then).
 */
const PLANTED = ['7271234567', '87017654321', '870315300121', 'aigerim', 'nurlanovna', 'vlastkz', 'viastkz'];
/**
 * Words next to the redactions that must still be read. Not a word between two boxes ("mobile"):
 * tesseract reads a short word squeezed between black blocks poorly, however clear it is.
 */
const AROUND = ['correspondent', 'today', 'Phone', 'answer', 'citizen', 'ministry', 'Deadline'];

let dir: string;
let sandboxes: SandboxPool;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rendition-test-'));
  sandboxes = new SandboxPool();
});
afterAll(async () => {
  await sandboxes.stop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * The redactions a reviewer would accept: what the personal-data finder proposes, and what the reviewer
 * selects in the text besides: the name, and the e-mail where OCR read it with a space the finder
 * cannot see past ("aigerim.n@ viast.kz").
 */
function redactionsOf(pages: StoredPage[]): RedactionToPlace[] {
  return pages.flatMap(({ number, text }) => {
    const found = findPersonalData(text).map(({ value, start, end }) => ({
      page: number,
      text: value,
      start,
      end,
    }));
    const selected = [new RegExp(NAME), /aigerim\.n@ \S+/]
      .map((pattern) => pattern.exec(text))
      .filter((match) => match !== null)
      .map((match) => ({
        page: number,
        text: match[0],
        start: match.index,
        end: match.index + match[0].length,
      }));
    // The finder now finds the name itself (issue #16's names beside a role word): each span once.
    const spans = new Set(found.map((redaction) => `${redaction.start}:${redaction.end}`));
    return [...found, ...selected.filter((redaction) => !spans.has(`${redaction.start}:${redaction.end}`))];
  });
}

async function fileOf(name: string, bytes: Uint8Array | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

function expectRedacted(ocr: string): void {
  const readable = squeezed(ocr);
  for (const value of PLANTED) expect(readable, `"${value}" is still readable`).not.toContain(value);
  for (const word of AROUND) expect(ocr, `"${word}" is gone too`).toContain(word);
}

describe('the redacted rendition of a PDF with a text layer', () => {
  let rendition: Awaited<ReturnType<typeof renderRedacted>>;
  let original: string;
  let request: Parameters<typeof renderRedacted>[0];

  beforeAll(async () => {
    original = await fileOf('born-digital.pdf', await bornDigitalPdf([DEMAND]));
    const pages = await storedPages(sandboxes, original, dir);
    expect(pages[0]?.method).toBe('text-layer');
    const redactions = redactionsOf(pages);
    expect(redactions.map((redaction) => redaction.text).sort()).toEqual(
      ['+7 (727) 123-45-67', '8 (701) 765-43-21', 'aigerim.n@vlast.kz', '870315300121', NAME].sort(),
    );
    request = {
      file: original,
      mime: 'application/pdf',
      redactions,
      pages,
      ocrLanguages: 'eng',
      workDir: dir,
    };
    rendition = await renderRedacted(request);
  });

  it('places every redaction, from the text layer', () => {
    expect(rendition.unplaced).toEqual([]);
    expect(rendition.pageCount).toBe(1);
    const [page] = rendition.boxesByPage;
    expect(page).toMatchObject({ page: 1, dpi: 150, width: 1240, height: 1755 });
    // The two phones share a line but not a box: "mobile" stays between them.
    expect(page?.boxes).toHaveLength(5);
  });

  it('shows the words around the redactions but not the redacted values, when OCR reads it again', async () => {
    expectRedacted(await ocrOfPdf(rendition.pdf, dir));
  });

  it('has no text layer and no fonts: its pages are images', async () => {
    expect(await textLayerOf(rendition.pdf, dir)).toBe('');
    expect(await fontsOf(rendition.pdf, dir)).toEqual([]);
    expect(rendition.pdf.includes('aigerim')).toBe(false);
    expect(rendition.pdf.includes('870315300121')).toBe(false);
  });

  it('has a sha256 of its own, the same for the same input', async () => {
    const originalHash = createHash('sha256')
      .update(await readFile(original))
      .digest('hex');
    expect(rendition.sha256).toBe(createHash('sha256').update(rendition.pdf).digest('hex'));
    expect(rendition.sha256).not.toBe(originalHash);
    const again = await renderRedacted(request);
    expect(again.sha256).toBe(rendition.sha256);
    // Without redactions the pages are the same images, unpainted: another hash.
    const unredacted = await renderRedacted({ ...request, redactions: [] });
    expect(unredacted.sha256).not.toBe(rendition.sha256);
    expect(squeezed(await ocrOfPdf(unredacted.pdf, dir))).toContain('870315300121');
  });
});

describe('the redacted rendition of a scanned PDF', () => {
  let rendition: Awaited<ReturnType<typeof renderRedacted>>;

  beforeAll(async () => {
    const file = await fileOf('scan.pdf', await scannedPdf([DEMAND], await mkdtemp(path.join(dir, 'scan-'))));
    const pages = await storedPages(sandboxes, file, dir);
    expect(pages[0]?.method).toBe('ocr');
    const redactions = redactionsOf(pages);
    expect(redactions.map((redaction) => redaction.text)).toEqual(
      expect.arrayContaining(['870315300121', '+7 (727) 123-45-67', '8 (701) 765-43-21', NAME]),
    );
    rendition = await renderRedacted({
      file,
      mime: 'application/pdf',
      redactions,
      pages,
      ocrLanguages: 'eng',
      workDir: dir,
    });
  });

  it("places every redaction, from tesseract's word boxes", () => {
    expect(rendition.unplaced).toEqual([]);
    expect(rendition.boxesByPage[0]?.boxes.length).toBeGreaterThanOrEqual(4);
  });

  it('shows the words around the redactions but not the redacted values, when OCR reads it again', async () => {
    expectRedacted(await ocrOfPdf(rendition.pdf, dir));
    expect(await textLayerOf(rendition.pdf, dir)).toBe('');
  });
});

describe('redactions that cannot be placed', () => {
  it('are reported with the reason, and the others are still burned in', async () => {
    const file = await fileOf('unplaceable.pdf', await bornDigitalPdf([DEMAND]));
    const phone = DEMAND.indexOf('+7 (727)');
    const rendition = await renderRedacted({
      file,
      mime: 'application/pdf',
      redactions: [
        { page: 1, text: '+7 (727) 123-45-67', start: phone, end: phone + 18 },
        { page: 1, text: 'Zhanar Bekova', start: 10, end: 23 },
        { page: 2, text: 'Nurlanovna' },
      ],
      ocrLanguages: 'eng',
      workDir: dir,
    });
    expect(rendition.unplaced).toEqual([
      { page: 2, text: 'Nurlanovna', reason: 'the document has no page 2' },
      {
        page: 1,
        text: 'Zhanar Bekova',
        start: 10,
        end: 23,
        reason: "not found in the page's text layer nor among the words OCR reads on it",
      },
    ]);
    expect(rendition.boxesByPage[0]?.boxes).toHaveLength(1);
    expect(squeezed(await ocrOfPdf(rendition.pdf, dir))).not.toContain('7271234567');
  });
});

describe('images and limits', () => {
  it('makes a multi-page TIFF scan into a PDF with one page image per frame', async () => {
    const tiff = await multiPageTiff(
      ['The first page asks for nothing personal.', DEMAND],
      await mkdtemp(path.join(dir, 'tiff-')),
    );
    const pages = (await storedPages(sandboxes, tiff, dir)).map((page) => ({ ...page }));
    const rendition = await renderRedacted({
      file: tiff,
      mime: 'image/tiff',
      redactions: redactionsOf(pages),
      pages,
      ocrLanguages: 'eng',
      workDir: dir,
    });
    expect(rendition.unplaced).toEqual([]);
    expect(rendition.pageCount).toBe(2);
    expect(rendition.boxesByPage.map((page) => page.page)).toEqual([2]);
    const ocr = await ocrOfPdf(rendition.pdf, dir);
    expect(ocr.split('\f')[0]).toContain('nothing personal');
    expectRedacted(ocr);
    expect(await textLayerOf(rendition.pdf, dir)).toBe('');
  });

  it("makes a phone's HEIC photo into a one-page PDF, the redaction found by OCR", async () => {
    // The photo of tests/ingest/image.test.ts: a demand naming vlast.kz/novosti/51234.
    const photo = path.resolve(import.meta.dirname, '../fixtures/demand-photo.heic');
    const rendition = await renderRedacted({
      file: photo,
      mime: 'image/heic',
      redactions: [{ page: 1, text: 'vlast.kz/novosti/51234' }],
      ocrLanguages: 'eng',
      workDir: dir,
    });
    expect(rendition.unplaced).toEqual([]);
    expect(rendition.pageCount).toBe(1);
    const ocr = await ocrOfPdf(rendition.pdf, dir);
    expect(ocr).toContain('The editor must remove the article');
    expect(squeezed(ocr)).not.toContain('51234');
  });

  it('paints boxes given in the pixels of another resolution where they belong', async () => {
    const file = await fileOf('boxes.pdf', await bornDigitalPdf([DEMAND]));
    // The IIN, drawn by a person on a 75 dpi view of the page: its line's baseline is 192 pt from the
    // top, the digits run from 84 pt to 204 pt (Helvetica, 18 pt).
    const rendition = await renderRedacted({
      file,
      mime: 'application/pdf',
      boxesByPage: [
        { page: 1, dpi: 75, width: 620, height: 878, boxes: [{ x: 85, y: 184, width: 127, height: 22 }] },
      ],
      ocrLanguages: 'eng',
      workDir: dir,
    });
    expect(rendition.boxesByPage[0]).toMatchObject({ page: 1, dpi: 150, width: 1240, height: 1755 });
    const ocr = await ocrOfPdf(rendition.pdf, dir);
    expect(squeezed(ocr)).not.toContain('870315300121');
    expect(ocr).toContain('the citizen');
  });

  it('refuses a document over the page limit, and a file it cannot render, in words', async () => {
    const twoPages = await fileOf('two-pages.pdf', await bornDigitalPdf(['One.', 'Two.']));
    await expect(
      renderRedacted({ file: twoPages, mime: 'application/pdf', workDir: dir, limits: { maxPages: 1 } }),
    ).rejects.toThrow(new RenditionError('The document has 2 pages, over the limit of 1 for a rendition'));
    const notPdf = await fileOf('not.pdf', Buffer.from('%PDF-1.4\nnothing here'));
    await expect(renderRedacted({ file: notPdf, mime: 'application/pdf', workDir: dir })).rejects.toThrow(
      /^The PDF could not be read/,
    );
    await expect(renderRedacted({ file: notPdf, mime: 'text/plain', workDir: dir })).rejects.toThrow(
      'A file of type text/plain cannot be rendered as pages',
    );
  });
});
