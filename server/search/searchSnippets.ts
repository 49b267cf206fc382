// Turns the cropped, highlighted folded text Meilisearch returns into a safe HTML snippet of the
// original text: <mark> around the matched words, … where the text was cut, everything else escaped.
import { CROP_MARK, MARK_END, MARK_START, unfoldWords } from '../../domain/textFolding.ts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Search parameters that make Meilisearch mark matches and cuts with our private markers. */
export const SNIPPET_SEARCH_PARAMS = {
  highlightPreTag: MARK_START,
  highlightPostTag: MARK_END,
  cropMarker: CROP_MARK,
} as const;

/**
 * `formatted` is a cut of the folded text with markers; `unfolding` (see unfoldingOf) lists the words
 * folding changed, which are shown as they were written.
 */
export function snippetHtml(formatted: string, unfolding?: string): string {
  let html = '';
  for (const character of unfoldWords(formatted, unfolding).replace(/\s+/g, ' ').trim()) {
    if (character === MARK_START) html += '<mark>';
    else if (character === MARK_END) html += '</mark>';
    else if (character === CROP_MARK) html += '…';
    else html += HTML_ESCAPES[character] ?? character;
  }
  return html;
}

/** Whether Meilisearch marked a match in this formatted text. */
export function hasMatch(formatted: string | undefined): formatted is string {
  return formatted !== undefined && formatted.includes(MARK_START);
}
