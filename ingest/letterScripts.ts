// Counts a text's letters by script in one pass. Judging a page and guessing its language both need these
// counts, and a Unicode property regular expression per figure cost ~0.5 ms per page each; a table of
// each character's class, filled from the same properties the first time a character is seen, gives
// the same counts for a fraction of that.

/** Bits of a character's class. */
const LETTER = 1; // \p{L}
const CYRILLIC = 2; // \p{Script=Cyrillic}, letter or not (combining titlo, ҂)
const LATIN = 4; // \p{Script=Latin}
const KNOWN = 8;

const IS_LETTER = /^\p{L}$/u;
const IS_CYRILLIC = /^\p{Script=Cyrillic}$/u;
const IS_LATIN = /^\p{Script=Latin}$/u;

function classify(character: string): number {
  return (
    KNOWN |
    (IS_LETTER.test(character) ? LETTER : 0) |
    (IS_CYRILLIC.test(character) ? CYRILLIC : 0) |
    (IS_LATIN.test(character) ? LATIN : 0)
  );
}

// The Basic Multilingual Plane, filled as characters turn up; others (and lone surrogates) are classified each time.
const bmpClasses = new Uint8Array(0x10000);
/** Set on a class returned for a character outside the BMP: it took two UTF-16 units. */
const WIDE = 16;

/** The class bits of the code point at `index` (WIDE when it takes two units). */
function classAt(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  if (unit < 0xd800 || unit > 0xdfff) {
    const bits = bmpClasses[unit]!;
    return bits === 0 ? (bmpClasses[unit] = classify(text[index]!)) : bits;
  }
  const codePoint = text.codePointAt(index)!;
  return classify(String.fromCodePoint(codePoint)) | (codePoint > 0xffff ? WIDE : 0);
}

const unitsOf = (bits: number) => (bits & WIDE ? 2 : 1);

export interface LetterCounts {
  /** Letters of any script (\p{L}). */
  letters: number;
  cyrillicLetters: number;
  latinLetters: number;
  /** Characters of the Cyrillic script, letters or not. */
  cyrillic: number;
}

/** Counts code points, as a /u regular expression does (a character outside the BMP is one). */
export function countLetters(text: string): LetterCounts {
  const counts: LetterCounts = { letters: 0, cyrillicLetters: 0, latinLetters: 0, cyrillic: 0 };
  for (let index = 0; index < text.length;) {
    const bits = classAt(text, index);
    index += unitsOf(bits);
    if (bits & CYRILLIC) counts.cyrillic++;
    if (!(bits & LETTER)) continue;
    counts.letters++;
    if (bits & CYRILLIC) counts.cyrillicLetters++;
    else if (bits & LATIN) counts.latinLetters++;
  }
  return counts;
}

/** How many of Cyrillic, Latin and other scripts a word's letters are written in (non-letters do not count). */
export function letterScriptCount(word: string): number {
  let seen = 0;
  for (let index = 0; index < word.length;) {
    const bits = classAt(word, index);
    index += unitsOf(bits);
    if (bits & LETTER) seen |= bits & CYRILLIC ? 1 : bits & LATIN ? 2 : 4;
  }
  return (seen & 1) + ((seen >> 1) & 1) + ((seen >> 2) & 1);
}
