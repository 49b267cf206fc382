// Word and OpenDocument texts say where their pages start only by marks inside the text; both
// extractors put a mark of their own there and cut the text at it the same way.

/**
 * The text cut at `mark` into pages, each tidied by `tidy`. Marks with only white space between them are
 * one break (Word and LibreOffice write two marks for one page break), and a break before the first
 * text or after the last starts no page of its own. `mark` is the extractor's own constant, with no
 * regular-expression syntax in it.
 */
export function splitAtPageMarks(text: string, mark: string, tidy: (page: string) => string): string[] {
  const pages = text.split(new RegExp(`(?:${mark}\\s*)+`)).map(tidy);
  while (pages.length > 1 && pages[0] === '') pages.shift();
  while (pages.length > 1 && pages.at(-1) === '') pages.pop();
  return pages;
}
