// Guesses a document's language (and any second language of a bilingual notice) as ISO 639-1 codes.
import { franc } from 'franc';
import { countLetters, type LetterCounts } from '../letterScripts.ts';

export const LANGUAGE_CODES = ['ru', 'kk', 'ky', 'en', 'uk', 'be', 'uz', 'tk'] as const;
export type LanguageCode = (typeof LANGUAGE_CODES)[number];

export interface LanguageSuggestion {
  /** The language most of the text is written in. */
  code: LanguageCode;
  /** Other languages holding a sizeable share of the text (Roskomnadzor writes Russian + English). */
  others: LanguageCode[];
}

const FRANC_TO_ISO: Record<string, LanguageCode> = {
  rus: 'ru',
  kaz: 'kk',
  kir: 'ky',
  eng: 'en',
  ukr: 'uk',
  bel: 'be',
  uzn: 'uz',
  tuk: 'tk',
};
const FRANC_CANDIDATES = Object.keys(FRANC_TO_ISO);

// Letters Kazakh has and Kyrgyz does not; Kyrgyz has only ң ө ү beyond Russian. (і is left out: Ukrainian
// and Belarusian use it too.)
const KAZAKH_ONLY_LETTERS = /[әғқұһӘҒҚҰҺ]/gu;
const KYRGYZ_LETTERS = /[ңөүҢӨҮ]/gu;
// A few of these letters can be OCR noise or a quoted name; a language needs them at this rate.
const MIN_LETTER_SHARE = 0.005;
const MIN_LETTER_COUNT = 2;

// Letters the other Cyrillic candidates have and Russian does not (Kazakh, Kyrgyz, Ukrainian, Belarusian,
// Uzbek). A paragraph written almost all in Cyrillic without any of them is Russian: franc says so of every
// such paragraph in the corpus (268 of 268), and its trigrams are the dearest step of the suggestions.
const NOT_RUSSIAN_LETTERS = /[әғқұһңөүіїєґўҳӘҒҚҰҺҢӨҮІЇЄҐЎҲ]/u;
const RUSSIAN_CYRILLIC_SHARE = 0.9;

const MIN_PARAGRAPH_LETTERS = 20;
// franc reads at most 2,048 characters of a paragraph anyway; its trigrams tell these languages apart
// within a few hundred, at half the cost (a page of a PDF is one paragraph here). Same verdicts on the
// 118 texts of the corpus.
const FRANC_SAMPLE_CHARS = 600;
const MIN_SHARE_OF_OTHER_LANGUAGE = 0.2;

/** Detects the language of each paragraph and weighs them by length; null when there is too little text. */
export function detectLanguage(text: string): LanguageSuggestion | null {
  const weights = new Map<LanguageCode, number>();
  for (const paragraph of text.split(/\n\s*\n/)) {
    const counts = countLetters(paragraph);
    if (counts.letters < MIN_PARAGRAPH_LETTERS) continue;
    const code = detectParagraphLanguage(paragraph, counts);
    if (code) weights.set(code, (weights.get(code) ?? 0) + counts.letters);
  }
  const ranked = [...weights.entries()].sort((a, b) => b[1] - a[1]);
  const total = ranked.reduce((sum, [, weight]) => sum + weight, 0);
  if (ranked.length === 0) return null;
  return {
    code: ranked[0]![0],
    others: ranked
      .slice(1)
      .flatMap(([code, weight]) => (weight / total >= MIN_SHARE_OF_OTHER_LANGUAGE ? [code] : [])),
  };
}

function detectParagraphLanguage(paragraph: string, counts: LetterCounts): LanguageCode | null {
  const { cyrillic } = counts;
  if (cyrillic > 0) {
    const kazakh = (paragraph.match(KAZAKH_ONLY_LETTERS) ?? []).length;
    const kyrgyz = (paragraph.match(KYRGYZ_LETTERS) ?? []).length;
    if (hasEnough(kazakh, cyrillic)) return 'kk';
    if (hasEnough(kyrgyz, cyrillic)) return 'ky';
  }
  const russianOnly =
    counts.cyrillicLetters >= counts.letters * RUSSIAN_CYRILLIC_SHARE && !NOT_RUSSIAN_LETTERS.test(paragraph);
  if (russianOnly) return 'ru';
  const guess = franc(paragraph.slice(0, FRANC_SAMPLE_CHARS), { only: FRANC_CANDIDATES, minLength: 10 });
  return FRANC_TO_ISO[guess] ?? null;
}

function hasEnough(count: number, cyrillic: number): boolean {
  return count >= MIN_LETTER_COUNT && count / cyrillic >= MIN_LETTER_SHARE;
}
