// Folds the letters people type interchangeably (ё/е, Kazakh and Kyrgyz letters and their Russian
// look-alikes) so the index and the query meet, and lists the words folding changed so a snippet cut
// from the folded text can show them as they were written.
import { FOLDED_LETTERS, LETTER_FOLDS } from './letterFolding.ts';

// Meilisearch treats ё and е as different letters and gives short words no typo budget («елка» misses
// «ёлка»); a typo on a first letter counts double («Казахстан» misses «Қазақстан») — DESIGN.md.
const FOLDS = LETTER_FOLDS;

/** Private-use characters the snippet code uses as markers; never part of indexed text. */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';
export const CROP_MARK = '\uE002';

const FOLDABLE = new RegExp(`[${FOLDED_LETTERS}\uE000-\uE002]`, 'gu');

/** The folded copy of `text`: one character for one character. */
export function foldText(text: string): string {
  return text.replace(FOLDABLE, (character) => FOLDS[character] ?? ' ');
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The words of `texts` that folding changes, as "folded original folded original …" (undefined when
 * none): enough to show a snippet of folded text as it was written, far smaller than the text itself.
 * A folded word two different originals share («кол»: «қол», «кол») is left folded.
 */
export function unfoldingOf(texts: (string | null | undefined)[]): string | undefined {
  const originals = new Map<string, string | null>();
  for (const text of texts) {
    if (!text) continue;
    for (const [word] of text.matchAll(WORD)) {
      const folded = foldText(word);
      if (folded === word) {
        if (originals.has(folded)) originals.set(folded, null);
        continue;
      }
      const known = originals.get(folded);
      originals.set(folded, known === undefined || known === word ? word : null);
    }
  }
  const pairs = [...originals].filter((pair): pair is [string, string] => pair[1] !== null);
  return pairs.length ? pairs.flat().join(' ') : undefined;
}

/** Puts back the original spelling of the words `unfolding` lists (see unfoldingOf). */
export function unfoldWords(text: string, unfolding: string | undefined): string {
  if (!unfolding) return text;
  const words = unfolding.split(' ');
  const originals = new Map<string, string>();
  for (let i = 0; i + 1 < words.length; i += 2) originals.set(words[i]!, words[i + 1]!);
  return text.replace(WORD, (word) => originals.get(word) ?? word);
}

/** Folds each text of a list, dropping empty ones. */
export function foldAll(texts: (string | null | undefined)[]): string[] {
  return texts.filter((text): text is string => !!text && text.trim() !== '').map(foldText);
}
