// The sandbox reads suggestions from an extraction's text (hostile text meets our regular expressions
// there, under the time limit, not in the server). The warm-up goes through the same function.
import type { ExtractionResult } from '../extraction.ts';
import { suggestFromText } from '../suggestions/suggestFromText.ts';

/** The text's suggestions; a fault in a finder costs the suggestions (with a warning), never the text. */
export function withSuggestions(result: ExtractionResult): ExtractionResult {
  const text = result.pages.map((page) => page.text).join('\n\n');
  if (!text.trim()) return result;
  try {
    return { ...result, suggestions: suggestFromText(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...result,
      warnings: [...result.warnings, `No suggestions could be read from the text: ${message}`],
    };
  }
}
