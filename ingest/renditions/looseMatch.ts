// Finds a redacted string in text read another way (a second OCR run, a text layer rebuilt from pdf.js)
// where it may be spaced, punctuated, cased or misread differently: both sides are folded to their
// letters, digits and @ (lower case, look-alike Latin and Cyrillic letters made one, ё made е), and a
// long string may differ by a few characters (OCR reads "0" as "O").

/** Latin letters that look like Cyrillic ones, written as the Cyrillic one (after lower-casing). */
const LOOK_ALIKES: Record<string, string> = {
  a: 'а',
  e: 'е',
  o: 'о',
  p: 'р',
  c: 'с',
  y: 'у',
  x: 'х',
  k: 'к',
  m: 'м',
  t: 'т',
  i: 'і',
  ё: 'е',
};

/** One character folded, or '' for a character that does not count (spacing, punctuation, symbols). */
function foldChar(char: string): string {
  if (char !== '@' && !/[\p{L}\p{N}]/u.test(char)) return '';
  const lower = char.toLowerCase();
  // A few letters lower-case into two (İ → i̇): keep the first, so one character stays one.
  const single = [...lower][0] ?? '';
  return LOOK_ALIKES[single] ?? single;
}

export interface FoldedText {
  /** The folded characters, one per character of the source that counts. */
  folded: string[];
  /** For each folded character, the index in the source string of the character it came from. */
  sourceIndex: number[];
}

/** Folds a string, remembering where each folded character came from. */
export function foldText(text: string): FoldedText {
  const folded: string[] = [];
  const sourceIndex: number[] = [];
  let index = 0;
  for (const char of text) {
    const one = foldChar(char);
    if (one) {
      folded.push(one);
      sourceIndex.push(index);
    }
    index += char.length;
  }
  return { folded, sourceIndex };
}

/** A place in the folded text: [start, end) in folded characters, and how many edits it took. */
export interface LooseMatch {
  start: number;
  end: number;
  edits: number;
}

/** How many letters a string of this (folded) length may differ by and still be the same value. */
export function allowedEdits(length: number): number {
  return length >= 6 ? Math.floor(length / 6) : 0;
}

function exactMatches(haystack: string[], needle: string[]): LooseMatch[] {
  const matches: LooseMatch[] = [];
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    let same = true;
    for (let i = 0; i < needle.length && same; i++) same = haystack[start + i] === needle[i];
    if (same) {
      matches.push({ start, end: start + needle.length, edits: 0 });
      start += needle.length - 1;
    }
  }
  return matches;
}

/**
 * Places where `needle` occurs with at most `maxEdits` insertions, deletions or substitutions (Sellers'
 * algorithm: edit distance with a free start), best first among overlapping candidates.
 */
function approximateMatches(haystack: string[], needle: string[], maxEdits: number): LooseMatch[] {
  const m = needle.length;
  // cost[i] and from[i]: the cheapest alignment of needle[0..i) ending at the current haystack position,
  // and where in the haystack it started.
  let cost = Array.from({ length: m + 1 }, (_, i) => i);
  let from = new Array<number>(m + 1).fill(0);
  const candidates: LooseMatch[] = [];
  for (let j = 1; j <= haystack.length; j++) {
    const nextCost = [0];
    const nextFrom = [j];
    for (let i = 1; i <= m; i++) {
      const substitute = cost[i - 1]! + (needle[i - 1] === haystack[j - 1] ? 0 : 1);
      const skipHaystack = cost[i]! + 1;
      const skipNeedle = nextCost[i - 1]! + 1;
      if (substitute <= skipHaystack && substitute <= skipNeedle) {
        nextCost.push(substitute);
        nextFrom.push(from[i - 1]!);
      } else if (skipHaystack <= skipNeedle) {
        nextCost.push(skipHaystack);
        nextFrom.push(from[i]!);
      } else {
        nextCost.push(skipNeedle);
        nextFrom.push(nextFrom[i - 1]!);
      }
    }
    cost = nextCost;
    from = nextFrom;
    if (cost[m]! <= maxEdits) candidates.push({ start: from[m]!, end: j, edits: cost[m]! });
  }
  // Overlapping candidates are one place: keep the cheapest (then the longest) of each run.
  const chosen: LooseMatch[] = [];
  for (const candidate of candidates) {
    const last = chosen.at(-1);
    if (last && candidate.start < last.end) {
      const better =
        candidate.edits < last.edits ||
        (candidate.edits === last.edits && candidate.end - candidate.start > last.end - last.start);
      if (better) chosen[chosen.length - 1] = candidate;
    } else {
      chosen.push(candidate);
    }
  }
  return chosen;
}

/**
 * Every place the folded needle occurs in the folded haystack: exact occurrences if there are any,
 * otherwise occurrences within the allowed edits. An empty needle occurs nowhere.
 */
export function findLoosely(haystack: string[], needle: string[]): LooseMatch[] {
  if (needle.length === 0) return [];
  const exact = exactMatches(haystack, needle);
  if (exact.length > 0) return exact;
  const maxEdits = allowedEdits(needle.length);
  return maxEdits > 0 ? approximateMatches(haystack, needle, maxEdits) : [];
}
