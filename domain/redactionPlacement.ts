// Places a redaction again after a document was read again (another OCR language, a better extractor):
// its text, where its old neighbourhood reads most alike, on its old page if it is there, else on any page.

export interface PageText {
  number: number;
  text: string;
}

export interface EarlierPlace {
  page: number;
  start: number;
  /** The hidden text. */
  text: string;
  /** Up to CONTEXT characters of the old page before and after it. */
  before: string;
  after: string;
}

export interface Place {
  page: number;
  start: number;
  end: number;
}

export const CONTEXT = 40;

/** The neighbourhood of a span, as EarlierPlace keeps it. */
export function neighbourhood(text: string, start: number, end: number) {
  return { before: text.slice(Math.max(0, start - CONTEXT), start), after: text.slice(end, end + CONTEXT) };
}

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n += 1;
  return n;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every place `hidden` is written in `text`: exactly, or with other blanks between its words. */
function occurrences(text: string, hidden: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  for (let at = text.indexOf(hidden); at >= 0; at = text.indexOf(hidden, at + 1)) {
    found.push({ start: at, end: at + hidden.length });
  }
  if (found.length) return found;
  const words = hidden.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return found;
  const loose = new RegExp(words.map(escape).join('\\s*'), 'gu');
  for (const match of text.matchAll(loose))
    found.push({ start: match.index, end: match.index + match[0].length });
  return found;
}

/**
 * Where the redaction goes in the new pages, or null when its text is nowhere. `taken` says whether a place
 * is already another redaction's, so two redactions of the same text keep two places.
 */
export function placeAgain(
  earlier: EarlierPlace,
  pages: readonly PageText[],
  taken: (place: Place) => boolean,
): Place | null {
  let best: { place: Place; score: number } | null = null;
  for (const page of pages) {
    for (const { start, end } of occurrences(page.text, earlier.text)) {
      const place = { page: page.number, start, end };
      if (taken(place)) continue;
      const around = neighbourhood(page.text, start, end);
      const score =
        (page.number === earlier.page ? 10_000 : 0) +
        (commonSuffix(earlier.before, around.before) + commonPrefix(earlier.after, around.after)) * 100 -
        Math.min(99, Math.abs(start - earlier.start) / 100);
      if (!best || score > best.score) best = { place, score };
    }
  }
  return best?.place ?? null;
}
