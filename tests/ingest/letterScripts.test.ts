// countLetters and letterScriptCount replace Unicode property regular expressions in the text judge and
// the language guess; they must count exactly what those expressions count, surrogate pairs included.
import { describe, expect, it } from 'vitest';
import { countLetters, letterScriptCount } from '../../ingest/letterScripts.ts';

const occurrences = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

function regexCounts(text: string) {
  return {
    letters: occurrences(text, /\p{L}/gu),
    cyrillicLetters: occurrences(text, /(?=\p{L})\p{Script=Cyrillic}/gu),
    latinLetters: occurrences(text, /(?=\p{L})\p{Script=Latin}/gu),
    cyrillic: occurrences(text, /\p{Script=Cyrillic}/gu),
  };
}

// Russian, Kazakh and Kyrgyz letters, Latin with diacritics, Greek, Han, astral letters and symbols
// (𝐀 is a letter, 😀 is not), Cyrillic non-letters (҂, the combining titlo), lone surrogates.
const ALPHABET = [..."аБёЁңәӘқұүіЇaZéßǅʼαΩ中҂\u0483-'’.,!@:/17 \n«»№©Ⅳ", '😀', '𝐀', '\uD800', '\uDC00'];

function randomTexts(count: number): string[] {
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: count }, () =>
    Array.from(
      { length: 1 + Math.floor(next() * 60) },
      () => ALPHABET[Math.floor(next() * ALPHABET.length)],
    ).join(''),
  );
}

describe('countLetters', () => {
  it('counts a Russian sentence', () => {
    expect(countLetters('Решение суда № 2а-1234/2020, see p. 3')).toEqual({
      letters: 16,
      cyrillicLetters: 12,
      latinLetters: 4,
      cyrillic: 12,
    });
  });

  it('counts what the Unicode property expressions count, on 5,000 random mixtures', () => {
    for (const text of randomTexts(5000))
      expect(countLetters(text), JSON.stringify(text)).toEqual(regexCounts(text));
  });
});

describe('letterScriptCount', () => {
  it('counts the scripts of the letters only', () => {
    expect(letterScriptCount('Роскомнадзор')).toBe(1);
    expect(letterScriptCount("O'Brien-Smith")).toBe(1);
    expect(letterScriptCount('PEIIIEНИЕ')).toBe(2);
    expect(letterScriptCount('Ωmega中')).toBe(2);
    expect(letterScriptCount('2020')).toBe(0);
  });

  it('agrees with the script expressions on words of letters', () => {
    for (const text of randomTexts(5000)) {
      const letters = [...text].filter((character) => /\p{L}/u.test(character)).join('');
      const expected =
        Number(/\p{Script=Cyrillic}/u.test(letters)) +
        Number(/\p{Script=Latin}/u.test(letters)) +
        Number(/(?![\p{Script=Cyrillic}\p{Script=Latin}])\p{L}/u.test(letters));
      expect(letterScriptCount(text), JSON.stringify(text)).toBe(expected);
    }
  });
});
