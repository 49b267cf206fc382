// The ETag of an order's story: a strong validator derived from everything the story shows (fields,
// targets, responses, events, documents and their statuses), so it changes whenever any of them does.
import { createHash } from 'node:crypto';
import type { OrderStory } from '../schemas/orders.ts';

/** The story as JSON with every object's keys sorted, so equal stories give equal text. */
function canonicalJson(value: unknown): string {
  // Dates have been turned into strings by their toJSON before the replacer sees them.
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** `"<sha256 of the story, base64url>"`: quoted, no W/, as an ETag header carries it. */
export function storyTag(story: OrderStory): string {
  return `"${createHash('sha256').update(canonicalJson(story)).digest('base64url')}"`;
}

/**
 * Whether an If-Match value names the current tag (RFC 9110 §13.1.1): "*" names any current story,
 * otherwise one of its comma-separated tags must equal it by strong comparison (a W/ tag never does).
 */
export function ifMatchNames(ifMatch: string, currentTag: string): boolean {
  if (ifMatch.trim() === '*') return true;
  return ifMatch.split(',').some((tag) => tag.trim() === currentTag);
}
