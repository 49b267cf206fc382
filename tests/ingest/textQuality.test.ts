// judgeText tells a real text layer from a missing or garbage one (Cyrillic read as Latin), so only the
// pages that need it are OCR'd. Checked on text we write and on the real corpus when it is present.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedScripts, judgeText } from '../../ingest/textQuality.ts';

const LANGUAGES = 'kaz+rus+eng';
const CORPUS = path.resolve('../shared/corpus');
const corpusPresent = existsSync(CORPUS);
if (!corpusPresent) console.warn(`textQuality.test: ${CORPUS} is absent, so the corpus checks are skipped`);

const RUSSIAN =
  'Суд рассмотрел административное дело по иску прокурора в интересах неопределенного круга лиц о ' +
  'признании информации, размещенной на сайте в сети Интернет, запрещенной к распространению на ' +
  'территории Российской Федерации. Доступ к странице должен быть ограничен, а владелец сайта обязан ' +
  'удалить материалы, которые содержат сведения о способах изготовления поддельных документов.';
const ENGLISH =
  'The court examined the administrative case brought by the prosecutor on behalf of an indefinite ' +
  'number of persons and found that the information published on the website is prohibited from ' +
  'distribution in the Russian Federation, so access to the page has to be restricted.';

// How a scanner with the wrong language reads Cyrillic: look-alike Latin letters, digits and pairs.
const MISREAD: Record<string, string> = {
  а: 'a',
  б: '6',
  в: 'B',
  г: 'r',
  д: '4',
  е: 'e',
  ж: ')K',
  з: '3',
  и: 'u',
  й: 'fi',
  к: 'K',
  л: 'Jl',
  м: 'M',
  н: 'H',
  о: 'o',
  п: 'n',
  р: 'p',
  с: 'c',
  т: 'T',
  у: 'y',
  ф: '<D',
  х: 'x',
  ц: 'q',
  ч: 'r{',
  ш: 'IIl',
  щ: 'III',
  ъ: 'b',
  ы: 'bI',
  ь: 'b',
  э: '3',
  ю: 'I0',
  я: 'fl',
};
function misreadAsLatin(text: string): string {
  return [...text]
    .map((char) => {
      const latin = MISREAD[char.toLowerCase()];
      if (latin === undefined) return char;
      return char === char.toLowerCase() ? latin : latin.toUpperCase();
    })
    .join('');
}

describe('judgeText on text we write', () => {
  it('accepts Russian and English prose for kaz+rus+eng, with a high score', () => {
    for (const text of [RUSSIAN, ENGLISH, `${RUSSIAN}\n${ENGLISH}`]) {
      const quality = judgeText(text, LANGUAGES);
      expect(quality.verdict).toBe('good');
      expect(quality.score).toBeGreaterThan(0.9);
    }
  });

  it('takes Cyrillic misread as Latin for garbage, though every letter is Latin and eng is expected', () => {
    const garbage = misreadAsLatin(RUSSIAN);
    expect(garbage).not.toMatch(/\p{Script=Cyrillic}/u);
    const quality = judgeText(garbage, LANGUAGES);
    expect(quality.verdict).toBe('garbage');
    expect(quality.score).toBeLessThan(0.5);
    expect(quality.explanation).toMatch(/does not read as/);
  });

  it('takes text in a script the languages do not use for garbage', () => {
    expect(judgeText(ENGLISH, 'rus').verdict).toBe('garbage');
    expect(judgeText(ENGLISH, 'rus').explanation).toBe(
      'the text is mostly Latin letters where Cyrillic was expected',
    );
    expect(judgeText(RUSSIAN, 'eng').verdict).toBe('garbage');
  });

  it('calls a page with no or almost no letters a missing text layer', () => {
    expect(judgeText('', LANGUAGES)).toMatchObject({ verdict: 'too-little', explanation: 'no text layer' });
    expect(judgeText('  4 \n -- 2 of 5 --', LANGUAGES).verdict).toBe('too-little');
    expect(judgeText('РЕШЕНИЕ', LANGUAGES).verdict).toBe('too-little');
  });

  it('does not count web addresses against a notice that lists many of them', () => {
    const urls = Array.from({ length: 40 }, (_, i) => `https://example${i}.github.io/page-${i}`).join('\n');
    expect(judgeText(`${RUSSIAN}\n${urls}`, LANGUAGES).verdict).toBe('good');
  });

  it('knows the scripts of the OCR languages, and restricts nothing for unknown ones', () => {
    expect([...expectedScripts('kaz+rus+eng')].sort()).toEqual(['Cyrillic', 'Latin']);
    expect([...expectedScripts('kir')]).toEqual(['Cyrillic']);
    expect(
      judgeText('中华人民共和国公安部网络安全保卫局通知：请删除以下内容，违反中华人民共和国法律。', 'chi_sim')
        .verdict,
    ).toBe('good');
  });
});

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full, extension);
    return name.endsWith(extension) ? [full] : [];
  });
}

describe.skipIf(!corpusPresent)('judgeText on the corpus', () => {
  it('takes every page of the garbage text layer (Cyrillic read as Latin) for garbage', () => {
    const layer = readFileSync(
      path.join(CORPUS, 'ocr-cyrillic/spb-lenin-court-2-388-18.garbage-textlayer.txt'),
      'utf8',
    );
    const pages = layer.split('\f').filter((page) => page.trim());
    expect(pages.length).toBeGreaterThanOrEqual(5);
    for (const page of pages) expect(judgeText(page, LANGUAGES).verdict).toBe('garbage');
  });

  it('accepts the ABBYY text layer and tesseract transcripts of the same kind of page', () => {
    const abbyy = readFileSync(
      path.join(CORPUS, 'ocr-cyrillic/karaidel-court-2a-205-2020.abbyy-textlayer.txt'),
      'utf8',
    );
    const transcripts = [
      abbyy,
      ...filesUnder(path.join(CORPUS, 'ocr-cyrillic'), '.tesseract-rus.txt').map((file) =>
        readFileSync(file, 'utf8'),
      ),
    ];
    for (const text of transcripts) expect(judgeText(text, LANGUAGES).verdict).toBe('good');
  });

  it('accepts every real notice in gov-takedowns (Russian, English, bilingual): no needless OCR', () => {
    const notices = filesUnder(path.join(CORPUS, 'gov-takedowns'), '.md');
    expect(notices.length).toBeGreaterThan(80);
    const rejected = notices.filter(
      (file) => judgeText(readFileSync(file, 'utf8'), LANGUAGES).verdict !== 'good',
    );
    expect(rejected).toEqual([]);
  });
});
