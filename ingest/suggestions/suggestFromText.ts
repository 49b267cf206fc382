// Reads a demand's text and suggests its metadata for an editor to confirm; nothing here is applied silently.
import { findLegalCitations, parseCitationCode, type LegalCitation } from '../../domain/legalCitation.ts';
import { detectLanguage } from './detectLanguage.ts';
import { findDates } from './findDates.ts';
import { findDeadline } from './findDeadline.ts';
import { findPersonalData } from './findPersonalData.ts';
import { findReferenceNumbers } from './findReferenceNumbers.ts';
import { findUrls } from './findUrls.ts';
import { guessDemandedAction, type DemandedActionGuess } from './guessDemandedAction.ts';
import { rankAuthorities, type AuthoritySuggestion } from './rankAuthorities.ts';
import { rankDates, type RankedDate } from './rankDates.ts';
import { rankReferenceNumbers } from './rankReferenceNumbers.ts';
import { suggestedOrderFields } from './suggestedOrderFields.ts';
import type { TextSuggestions } from './suggestionSchema.ts';

export type { TextSuggestions } from './suggestionSchema.ts';

export function suggestFromText(text: string): TextSuggestions {
  const citations = distinctCitations(findLegalCitations(text));
  const dates = rankDates(
    text,
    findDates(text),
    citations.map((citation) => citation.act),
  );
  const evidence = {
    language: detectLanguage(text),
    authorities: rankAuthorities(text).map(authorityEvidence),
    reference_numbers: rankReferenceNumbers(findReferenceNumbers(text), ownDate(dates)),
    dates,
    legal_basis: citations,
    urls: findUrls(text),
    deadline: findDeadline(text),
    demanded_actions: withShares(guessDemandedAction(text)),
    personal_data: findPersonalData(text),
  };
  return { order_fields: suggestedOrderFields(evidence), ...evidence };
}

function ownDate(dates: RankedDate[]): RankedDate | undefined {
  const top = dates[0];
  return top && !top.law && top.score > 0 ? top : undefined;
}

function authorityEvidence(
  { firstIndex, ...authority }: AuthoritySuggestion,
  _index: number,
  all: AuthoritySuggestion[],
) {
  const total = all.reduce((sum, candidate) => sum + candidate.score, 0);
  return { ...authority, first_index: firstIndex, confidence: share(authority.score, total) };
}

function withShares(guesses: DemandedActionGuess[]) {
  const total = guesses.reduce((sum, guess) => sum + guess.mentions, 0);
  return guesses.map((guess) => ({ ...guess, confidence: share(guess.mentions, total) }));
}

const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100) / 100 : 0);

/** One per code (first occurrence), only codes the archive accepts; a bare act goes when an article of it is cited. */
function distinctCitations(citations: LegalCitation[]): LegalCitation[] {
  const valid = citations.filter((citation) => isCitationCode(citation.code));
  const actsWithArticles = new Set(
    valid.filter((citation) => citation.article).map((citation) => citation.act),
  );
  const seen = new Set<string>();
  return valid.filter((citation) => {
    if (!citation.article && actsWithArticles.has(citation.act)) return false;
    if (seen.has(citation.code)) return false;
    seen.add(citation.code);
    return true;
  });
}

function isCitationCode(code: string): boolean {
  try {
    parseCitationCode(code);
    return true;
  } catch {
    return false;
  }
}
