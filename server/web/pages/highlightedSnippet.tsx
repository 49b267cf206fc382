// A search snippet shown safely: the API's snippet is escaped text with <mark> around matched words; it is
// split back into text and marks here and rendered as text, so nothing in a document ever becomes markup.
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** The snippet as pieces: text, and the words Meilisearch matched. */
export function snippetPieces(snippet: string): { text: string; marked: boolean }[] {
  return snippet
    .split(/(<mark>[^<]*<\/mark>)/)
    .filter((piece) => piece !== '')
    .map((piece) => {
      const marked = /^<mark>[^<]*<\/mark>$/.test(piece);
      return { text: unescape(marked ? piece.slice(6, -7) : piece), marked };
    });
}

export function HighlightedSnippet({ snippet }: { snippet: string | null }) {
  if (!snippet) return null;
  return (
    <p class="snippet">
      {snippetPieces(snippet).map((piece, index) =>
        piece.marked ? <mark key={index}>{piece.text}</mark> : piece.text,
      )}
    </p>
  );
}
