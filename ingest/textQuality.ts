// Judges whether a text layer reads as real text in the expected languages, so garbage gets OCR'd instead.
import { countLetters, letterScriptCount } from './letterScripts.ts';

export type TextVerdict = 'good' | 'too-little' | 'garbage';

export interface TextQuality {
  verdict: TextVerdict;
  /** 0..1: how much the text reads like prose in the expected languages (used as text-layer confidence). */
  score: number;
  letters: number;
  words: number;
  /** Share of letters written in a script of the expected languages (Cyrillic for rus, Latin for eng…). */
  expectedScriptShare: number;
  /** Share of words shaped like words: one script, ordinary capitalisation, no digits or symbols inside. */
  wellFormedShare: number;
  /** Share of words that are common short words (и, в, на, the, of…) of the expected languages. */
  functionWordShare: number;
  /** In words, for warnings: why the text was judged as it was. */
  explanation: string;
}

type Script = 'Cyrillic' | 'Latin';

/** Below this many letters a page is treated as having no text layer (a scan with a stamped page number). */
export const MIN_LETTERS = 20;
const MIN_EXPECTED_SCRIPT_SHARE = 0.7;
const MIN_WORDS_FOR_WORD_TESTS = 15;

const SCRIPT_OF_LANGUAGE: Record<string, Script> = {
  rus: 'Cyrillic',
  kaz: 'Cyrillic',
  kir: 'Cyrillic',
  ukr: 'Cyrillic',
  bel: 'Cyrillic',
  bul: 'Cyrillic',
  srp: 'Cyrillic',
  mkd: 'Cyrillic',
  tat: 'Cyrillic',
  eng: 'Latin',
  deu: 'Latin',
  fra: 'Latin',
  spa: 'Latin',
  ita: 'Latin',
  por: 'Latin',
  nld: 'Latin',
  pol: 'Latin',
};

// The commonest short words of each language: real prose is full of them, misread text almost never is.
const FUNCTION_WORDS: Record<string, string[]> = {
  rus: 'и в во не что на с со как а то все так его но да к у же вы за бы по только ее от из ему когда ли если уже или ни быть был до там для мы чем без под будет кто этот того этого при об после над через эти о об а также либо которые который которой является их о его ее в том числе'.split(
    ' ',
  ),
  ukr: 'і й та в у на з із до що як не але від за по для це щодо або'.split(' '),
  bel: 'і ў у на з да што як не але ад за па для гэта або'.split(' '),
  kaz: 'және мен бен пен бұл да де та те үшін деп сол осы бір болып бойынша туралы ол жоқ емес бар керек немесе'.split(
    ' ',
  ),
  kir: 'жана менен бул да деп ал боюнча тууралуу же эмес үчүн бир ошол бар жок'.split(' '),
  eng: 'the of and to a in is that for it as was with be by on not this are or from at which but have an they you were has would if no will can its also who into other than them may only could these any some such our what shall been'.split(
    ' ',
  ),
  deu: 'der die das und in zu den von mit ist des sich dem nicht ein eine als auch es an auf für'.split(' '),
  fra: 'le la les de des du et en un une est que qui dans pour pas sur au par ce il'.split(' '),
  spa: 'el la los las de del y en un una es que por con para se no al lo su'.split(' '),
};

/** The scripts the OCR languages are written in; empty when none of them is known (then any script is fine). */
export function expectedScripts(ocrLanguages: string): Set<Script> {
  const scripts = new Set<Script>();
  for (const language of ocrLanguages.split('+')) {
    const script = SCRIPT_OF_LANGUAGE[language.trim()];
    if (script) scripts.add(script);
  }
  return scripts;
}

function functionWordsFor(ocrLanguages: string): Set<string> {
  const words = new Set<string>();
  for (const language of ocrLanguages.split('+')) {
    for (const word of FUNCTION_WORDS[language.trim()] ?? []) words.add(word);
  }
  return words;
}

// Addresses are neither words nor garbage: notices are full of them.
const ADDRESS = /:\/\/|@|^www\.|^[\p{L}\d-]+(\.[\p{L}\d-]+)+(\/\S*)?$/u;
/** Every address has one of these (ADDRESS is only tried on tokens that do). */
const ADDRESS_MARK = /[:@.]/;
const HAS_LETTER = /\p{L}/u;
const EDGE_PUNCTUATION = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;
/** A first or last UTF-16 unit that may start or end EDGE_PUNCTUATION (surrogates: a symbol may be astral). */
const EDGE_UNIT = /[\p{P}\p{S}\uD800-\uDFFF]/u;
const WORD_SHAPE = /^(\p{Lu}?\p{Ll}+|\p{Lu}+)([-'’](\p{Lu}?\p{Ll}+|\p{Lu}+))*$/u;

// Most words have no punctuation at either end, and the global replace would still try its second
// alternative at every position of each one.
function withoutEdgePunctuation(token: string): string {
  const edged = EDGE_UNIT.test(token[0]!) || EDGE_UNIT.test(token[token.length - 1]!);
  return edged ? token.replace(EDGE_PUNCTUATION, '') : token;
}

/** One script, ordinary capitalisation, no digits or symbols inside. */
function isWellFormed(word: string): boolean {
  return WORD_SHAPE.test(word) && letterScriptCount(word) === 1;
}

interface Counts {
  letters: number;
  expectedLetters: number;
  scriptLetters: Record<Script | 'other', number>;
  words: number;
  wellFormed: number;
  functionWords: number;
}

function count(text: string, scripts: Set<Script>, functionWords: Set<string>): Counts {
  const counts: Counts = {
    letters: 0,
    expectedLetters: 0,
    scriptLetters: { Cyrillic: 0, Latin: 0, other: 0 },
    words: 0,
    wellFormed: 0,
    functionWords: 0,
  };
  const letters = countLetters(text);
  counts.letters = letters.letters;
  counts.scriptLetters.Cyrillic = letters.cyrillicLetters;
  counts.scriptLetters.Latin = letters.latinLetters;
  counts.scriptLetters.other = counts.letters - counts.scriptLetters.Cyrillic - counts.scriptLetters.Latin;
  counts.expectedLetters =
    scripts.size === 0
      ? counts.letters
      : (scripts.has('Cyrillic') ? counts.scriptLetters.Cyrillic : 0) +
        (scripts.has('Latin') ? counts.scriptLetters.Latin : 0);
  for (const token of text.split(/\s+/)) {
    if (!HAS_LETTER.test(token) || (ADDRESS_MARK.test(token) && ADDRESS.test(token))) continue;
    const word = withoutEdgePunctuation(token);
    counts.words++;
    if (isWellFormed(word)) counts.wellFormed++;
    if (functionWords.has(word.toLowerCase())) counts.functionWords++;
  }
  return counts;
}

function dominantScript(counts: Counts): string {
  const entries = Object.entries(counts.scriptLetters).sort((a, b) => b[1] - a[1]);
  const [script] = entries[0] ?? ['other'];
  return script === 'other' ? 'non-Latin, non-Cyrillic' : script;
}

/** Judges a page's text against the languages it is expected to be in (a tesseract list like "kaz+rus+eng"). */
export function judgeText(text: string, ocrLanguages: string): TextQuality {
  const scripts = expectedScripts(ocrLanguages);
  const functionWords = functionWordsFor(ocrLanguages);
  const counts = count(text, scripts, functionWords);
  const expectedScriptShare = counts.letters === 0 ? 0 : counts.expectedLetters / counts.letters;
  const wellFormedShare = counts.words === 0 ? 0 : counts.wellFormed / counts.words;
  const functionWordShare = counts.words === 0 ? 0 : counts.functionWords / counts.words;
  const measured = {
    letters: counts.letters,
    words: counts.words,
    expectedScriptShare,
    wellFormedShare,
    functionWordShare,
  };

  if (counts.letters < MIN_LETTERS) {
    return {
      ...measured,
      verdict: 'too-little',
      score: 0,
      explanation: counts.letters === 0 ? 'no text layer' : `almost no text (${counts.letters} letters)`,
    };
  }
  if (expectedScriptShare < MIN_EXPECTED_SCRIPT_SHARE) {
    const expected = [...scripts].join(' or ');
    return {
      ...measured,
      verdict: 'garbage',
      score: expectedScriptShare * wellFormedShare,
      explanation: `the text is mostly ${dominantScript(counts)} letters where ${expected} was expected`,
    };
  }
  // Misread text (Cyrillic read as Latin: "PEIIIEHIIE" for "РЕШЕНИЕ") has the right script but no
  // function words and many words with digits or odd capitals inside.
  const wordsLookMisread = functionWordShare < 0.05 && wellFormedShare < 0.85;
  if (functionWords.size > 0 && counts.words >= MIN_WORDS_FOR_WORD_TESTS && wordsLookMisread) {
    return {
      ...measured,
      verdict: 'garbage',
      score: expectedScriptShare * wellFormedShare * 0.5,
      explanation: `the text does not read as ${ocrLanguages} (${Math.round(functionWordShare * 100)}% common words, ${Math.round(wellFormedShare * 100)}% well-formed words)`,
    };
  }
  return {
    ...measured,
    verdict: 'good',
    score: Math.min(1, expectedScriptShare * (0.5 + wellFormedShare / 2)),
    explanation: 'the text reads as expected',
  };
}
