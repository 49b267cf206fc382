// Reads a demand's text and suggests its metadata for an editor to confirm; nothing here is applied silently.
import { findLegalCitations, type LegalCitation } from '../../domain/legalCitation.ts';
import { detectLanguage, type LanguageSuggestion } from './detectLanguage.ts';
import { findDates, type FoundDate } from './findDates.ts';
import { findDeadline, type FoundDeadline } from './findDeadline.ts';
import { findPersonalData, type FoundPersonalData } from './findPersonalData.ts';
import { findReferenceNumbers, type FoundReference } from './findReferenceNumbers.ts';
import { findUrls, type FoundUrl } from './findUrls.ts';
import { guessDemandedAction, type DemandedActionGuess } from './guessDemandedAction.ts';
import { rankAuthorities, type AuthoritySuggestion } from './rankAuthorities.ts';

export interface TextSuggestions {
  language: LanguageSuggestion | null;
  /** Likeliest sender first. */
  authorities: AuthoritySuggestion[];
  referenceNumbers: FoundReference[];
  dates: FoundDate[];
  /** One entry per citation code, first occurrence; an act alone is dropped when an article of it is cited. */
  legalBasis: LegalCitation[];
  /** One entry per canonical URL; `target` marks the pages the demand is about. */
  urls: FoundUrl[];
  deadline: FoundDeadline | null;
  /** Likeliest first. */
  demandedAction: DemandedActionGuess[];
  /** Places to suggest for redaction. */
  personalData: FoundPersonalData[];
}

export function suggestFromText(text: string): TextSuggestions {
  return {
    language: detectLanguage(text),
    authorities: rankAuthorities(text),
    referenceNumbers: findReferenceNumbers(text),
    dates: distinctDates(findDates(text)),
    legalBasis: distinctCitations(findLegalCitations(text)),
    urls: findUrls(text),
    deadline: findDeadline(text),
    demandedAction: guessDemandedAction(text),
    personalData: findPersonalData(text),
  };
}

function distinctDates(dates: FoundDate[]): FoundDate[] {
  const seen = new Set<string>();
  return dates.filter((date) => !seen.has(date.iso) && Boolean(seen.add(date.iso)));
}

function distinctCitations(citations: LegalCitation[]): LegalCitation[] {
  const actsWithArticles = new Set(
    citations.filter((citation) => citation.article).map((citation) => citation.act),
  );
  const seen = new Set<string>();
  return citations.filter((citation) => {
    if (!citation.article && actsWithArticles.has(citation.act)) return false;
    if (seen.has(citation.code)) return false;
    seen.add(citation.code);
    return true;
  });
}
