// Ranks the numbers found in a demand so that its own number comes first: the outgoing letter number, or
// the number written beside the demand's own date («№ 04-37/1234 от 14.07.2022»).
import type { FoundReference, ReferenceKind } from './findReferenceNumbers.ts';

export interface RankedReference extends FoundReference {
  /** The score's share of all the numbers' scores. */
  confidence: number;
}

// An incoming number is the recipient's registration of the letter, not the demand's own.
const KIND_SCORE: Record<ReferenceKind, number> = {
  outgoing: 3,
  'register-entry': 1,
  'court-case': 1,
  reference: 1,
  incoming: 0,
};
const BESIDE_OWN_DATE = 2;
const BESIDE_DISTANCE = 40;

/** The numbers, likeliest own number first (text order among equals). `ownDate`: the demand's date's place. */
export function rankReferenceNumbers(
  references: FoundReference[],
  ownDate?: { start: number; end: number },
): RankedReference[] {
  const scored = references.map((reference) => ({
    reference,
    score: KIND_SCORE[reference.kind] + (ownDate && beside(reference, ownDate) ? BESIDE_OWN_DATE : 0),
  }));
  const total = scored.reduce((sum, { score }) => sum + score, 0);
  return scored
    .sort((a, b) => b.score - a.score || a.reference.start - b.reference.start)
    .map(({ reference, score }) => ({
      ...reference,
      confidence: total ? Math.round((score / total) * 100) / 100 : 0,
    }));
}

function beside(reference: FoundReference, date: { start: number; end: number }): boolean {
  return reference.end <= date.start
    ? date.start - reference.end <= BESIDE_DISTANCE
    : reference.start - date.end <= BESIDE_DISTANCE && reference.start >= date.end;
}
