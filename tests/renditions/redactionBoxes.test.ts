// Finding where redacted strings sit on a page: the text layer rebuilt from pdf.js's items reads exactly
// as the text the archive stored (so offsets carry over), boxes land on the words in a raster at the
// stated resolution, OCR's spacing and misreadings are tolerated, and what is not there is reported.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLoosely, foldText } from '../../ingest/renditions/looseMatch.ts';
import { boxesForRedaction, readTsv } from '../../ingest/renditions/ocrWordBoxes.ts';
import { openPageSource } from '../../ingest/renditions/pageSource.ts';
import { findRedactionBoxes, type PageBoxes } from '../../ingest/renditions/redactionBoxes.ts';
import { readTextLayer } from '../../ingest/renditions/textLayerBoxes.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';

const CORPUS = path.resolve('../shared/corpus/gov-takedowns');
const COURT_DECISIONS = [
  'Russia/2020/2020-04-16-roskomnadzor/2020-04-16-roskomnadzor.pdf',
  'Russia/2018/2018-10-24-roskomnadzor/2018-10-24-roskomnadzor-3.pdf',
].map((name) => path.join(CORPUS, name));
const corpusPresent = existsSync(CORPUS);
if (!corpusPresent)
  console.warn(`redactionBoxes.test: ${CORPUS} is absent, so real text layers are not compared`);

const LIMITS = { ocrLanguages: 'eng', stepTimeoutMs: 60_000, maxPages: 50, maxPixels: 100_000_000 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'redaction-boxes-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Each page's text as the PDF extractor reads it (pdf-parse's getText, one page at a time). */
async function pdfParseTexts(bytes: Buffer): Promise<string[]> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const { total } = await parser.getInfo();
    const texts: string[] = [];
    for (let page = 1; page <= total; page++) {
      texts.push((await parser.getText({ partial: [page] })).pages[0]?.text ?? '');
    }
    return texts;
  } finally {
    await parser.destroy();
  }
}

async function layerTexts(file: string): Promise<string[]> {
  const source = await openPageSource(file, 'application/pdf', { ...LIMITS, scratchDir: dir });
  try {
    const texts: string[] = [];
    for (let number = 1; number <= source.pageCount; number++) {
      texts.push((await readTextLayer(await source.document.getPage(number))).text);
    }
    return texts;
  } finally {
    await source.close();
  }
}

describe('the text layer read for boxes', () => {
  it('reads exactly as the text the extractor stores, character for character', async () => {
    const file = path.join(dir, 'layers.pdf');
    await writeFile(file, await bornDigitalPdf(['First line\nSecond line, with a tab\tinside', 'Page two']));
    expect(await layerTexts(file)).toEqual(await pdfParseTexts(await readFile(file)));
  });

  it.skipIf(!corpusPresent)(
    'reads as the extractor does on real court decisions (an OCR text layer, a garbage one)',
    async () => {
      for (const file of COURT_DECISIONS) {
        expect(await layerTexts(file)).toEqual(await pdfParseTexts(await readFile(file)));
      }
    },
  );
});

describe('boxes of a born-digital page', () => {
  const TEXT = 'Phone: +7 701 234 56 78, e-mail: ivanov@example.kz\nThe article stays online.';

  it('are in the pixels of a raster at the stated resolution, on the words and between their neighbours', async () => {
    const file = path.join(dir, 'boxes.pdf');
    await writeFile(file, await bornDigitalPdf([TEXT]));
    const found = await Promise.all(
      [150, 75].map((dpi) =>
        findRedactionBoxes({
          ...LIMITS,
          file,
          mime: 'application/pdf',
          pages: [{ number: 1, text: TEXT, method: 'text-layer' }],
          redactions: [{ page: 1, text: 'ivanov@example.kz', start: 33, end: 50 }],
          dpi,
          scratchDir: dir,
        }),
      ),
    );
    const [at150, at75] = found.map((result) => result.boxesByPage[0]!) as [PageBoxes, PageBoxes];
    expect(at150).toMatchObject({ page: 1, dpi: 150, width: 1240, height: 1755 });
    expect(at75).toMatchObject({ page: 1, dpi: 75, width: 620, height: 878 });
    const [box] = at150.boxes;
    // pdf-lib draws the line at x 56 pt, baseline 780 pt, Helvetica 18 pt: "e-mail: " ends at
    // 56 + 274 = 330 pt, the address runs to 56 + 433 = 489 pt; at 150 dpi, ×150/72.
    expect(box!.x).toBeGreaterThan(330 * (150 / 72) - 4);
    expect(box!.x).toBeLessThan(340 * (150 / 72));
    expect(box!.x + box!.width).toBeGreaterThan(486 * (150 / 72));
    expect(box!.x + box!.width).toBeLessThan(492 * (150 / 72));
    // The baseline is 62 pt from the top; the box reaches from above the capitals to below the descenders.
    expect(box!.y).toBeLessThan((62 - 13) * (150 / 72));
    expect(box!.y + box!.height).toBeGreaterThan((62 + 3.5) * (150 / 72));
    expect(box!.y + box!.height).toBeLessThan((62 + 18) * (150 / 72));
    // The same place at half the resolution.
    expect(Math.abs(at75.boxes[0]!.x * 2 - box!.x)).toBeLessThan(6);
  });

  it('reports strings that are not on the page, and pages that do not exist', async () => {
    const file = path.join(dir, 'missing.pdf');
    await writeFile(file, await bornDigitalPdf([TEXT]));
    const found = await findRedactionBoxes({
      ...LIMITS,
      file,
      mime: 'application/pdf',
      redactions: [
        { page: 1, text: 'Serikbayev' },
        { page: 3, text: 'ivanov@example.kz' },
        { page: 1, text: '+7 701 234 56 78' },
      ],
      scratchDir: dir,
    });
    expect(found.unplaced.map(({ page, text, reason }) => ({ page, text, reason }))).toEqual([
      { page: 3, text: 'ivanov@example.kz', reason: 'the document has no page 3' },
      {
        page: 1,
        text: 'Serikbayev',
        reason: "not found in the page's text layer nor among the words OCR reads on it",
      },
    ]);
    expect(found.boxesByPage[0]?.boxes).toHaveLength(1);
  });
});

describe('matching OCR words', () => {
  const TSV = [
    'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
    '1\t1\t0\t0\t0\t0\t0\t0\t1000\t800\t-1\t',
    '5\t1\t1\t1\t1\t1\t10\t10\t80\t20\t95\tPhone:',
    '5\t1\t1\t1\t1\t2\t100\t10\t30\t20\t95\t+7',
    '5\t1\t1\t1\t1\t3\t140\t10\t40\t20\t95\t701',
    '5\t1\t1\t1\t1\t4\t190\t10\t40\t20\t95\t234-56-78',
    '5\t1\t1\t1\t2\t1\t10\t40\t60\t20\t95\tИванова',
    '5\t1\t1\t1\t2\t2\t80\t40\t20\t20\t95\tА.',
    '5\t1\t1\t1\t3\t1\t10\t70\t50\t20\t95\tНурлан',
  ].join('\n');

  it('reads words, lines and page sizes from TSV', () => {
    const reading = readTsv(TSV);
    expect(reading.pages).toEqual([{ page: 1, width: 1000, height: 800 }]);
    expect(reading.words).toHaveLength(7);
    expect(reading.words[1]).toEqual({
      page: 1,
      line: '1.1.1',
      text: '+7',
      box: { x: 100, y: 10, width: 30, height: 20 },
    });
  });

  it('takes the words at the offsets when the stored text has the same words', () => {
    const { words } = readTsv(TSV);
    const stored = 'Phone: +7 701 234-56-78\nИванова А.\nНурлан';
    expect(boxesForRedaction(words, stored, { text: '+7 701 234-56-78', start: 7, end: 23 })).toEqual([
      { x: 100, y: 10, width: 130, height: 20 },
    ]);
    // A name across two lines: one box per line.
    expect(boxesForRedaction(words, stored, { text: 'А.\nНурлан', start: 32, end: 41 })).toEqual([
      { x: 80, y: 40, width: 20, height: 20 },
      { x: 10, y: 70, width: 50, height: 20 },
    ]);
  });

  it('finds the string another OCR run spaced, cased or misread differently', () => {
    const { words } = readTsv(TSV);
    // Stored from another reading: no offsets carry over, the string is looked for.
    expect(
      boxesForRedaction(words, 'Phone: +77012345678', { text: '+7 7012345678', start: 7, end: 19 }),
    ).toEqual([{ x: 100, y: 10, width: 130, height: 20 }]);
    // Case does not matter.
    expect(boxesForRedaction(words, undefined, { text: 'иваноВа' })).toEqual([
      { x: 10, y: 40, width: 60, height: 20 },
    ]);
    // One misread digit in eleven is tolerated; a different number is not.
    expect(boxesForRedaction(words, undefined, { text: '+7 701 284-56-78' })).toHaveLength(1);
    expect(boxesForRedaction(words, undefined, { text: '+7 999 111-22-33' })).toEqual([]);
  });
});

describe('loose matching', () => {
  const find = (haystack: string, needle: string) =>
    findLoosely(foldText(haystack).folded, foldText(needle).folded).map(({ start, end, edits }) => ({
      text: foldText(haystack).folded.slice(start, end).join(''),
      edits,
    }));

  const folded = (text: string) => foldText(text).folded.join('');

  it('finds every exact occurrence, ignoring spacing, punctuation, case, ё and look-alike letters', () => {
    expect(find('Тел. 8 701 111 22 33; ещё раз: 87011112233', '8 (701) 111-22-33')).toEqual([
      { text: '87011112233', edits: 0 },
      { text: '87011112233', edits: 0 },
    ]);
    expect(find('Корреспондент: Ёлкина', 'ЕЛКИНА')).toEqual([{ text: folded('елкина'), edits: 0 }]);
    expect(find('E-MAIL: OPEN@MAIL.KZ', 'open@mail.kz')).toEqual([{ text: folded('open@mailkz'), edits: 0 }]);
    // Latin letters typed for Cyrillic ones that look the same.
    expect(folded('Kopcak')).toBe(folded('Корсак'));
  });

  it('allows a misread letter in six only when no exact occurrence exists, never in short strings', () => {
    expect(find('ИИН 870315300l21 гражданина', '870315300121')).toEqual([{ text: '870315300l21', edits: 1 }]);
    expect(find('ИИН 8703153 00121', '870315300121')).toEqual([{ text: '870315300121', edits: 0 }]);
    expect(find('код 12345', '12346')).toEqual([]);
  });
});
