// Reads suggestions as stored in documents.suggestions, in today's shape: rows written before the
// snake_case schema hold camelCase keys (legalBasis, referenceNumbers, demandedAction, personalData),
// dashed action names (restrict-access) and unranked dates. They are upgraded when read, not rewritten:
// the text they came from is not needed, and a row keeps what it had.
import { findLegalAct } from '../../domain/legalCitation.ts';
import type { DemandedAction } from '../../domain/orderVocabulary.ts';
import type { FoundDeadline } from './findDeadline.ts';
import type { FoundPersonalData } from './findPersonalData.ts';
import type { FoundReference } from './findReferenceNumbers.ts';
import type { FoundUrl } from './findUrls.ts';
import type { LanguageSuggestion } from './detectLanguage.ts';
import type { AuthoritySuggestion } from './rankAuthorities.ts';
import type { RankedDate } from './rankDates.ts';
import { rankReferenceNumbers } from './rankReferenceNumbers.ts';
import { suggestedOrderFields } from './suggestedOrderFields.ts';
import type { TextSuggestions } from './suggestionSchema.ts';

/** The shape suggestFromText returned until the suggestions had a schema. */
interface LegacySuggestions {
  language?: LanguageSuggestion | null;
  authorities?: AuthoritySuggestion[];
  referenceNumbers?: FoundReference[];
  dates?: { iso: string; raw: string; start: number; end: number }[];
  legalBasis?: { code: string; act: string; article?: string; raw: string; index: number }[];
  urls?: FoundUrl[];
  deadline?: FoundDeadline | null;
  demandedAction?: { action: string; mentions: number; evidence: string; index: number }[];
  personalData?: FoundPersonalData[];
}

const LEGACY_ACTIONS: Record<string, DemandedAction> = {
  remove: 'remove',
  'restrict-access': 'restrict_access',
  block: 'block',
  'delete-account': 'delete_account',
  'de-index': 'deindex',
  correct: 'correct',
  'disclose-data': 'disclose_data',
  'register-representative': 'register_representative',
};

/** Stored suggestions in today's shape; null stays null (not read yet, or no text). */
export function upgradeStoredSuggestions(stored: unknown): TextSuggestions | null {
  if (stored === null || stored === undefined || typeof stored !== 'object') return null;
  if ('order_fields' in stored) return stored as TextSuggestions;
  return upgradeLegacy(stored as LegacySuggestions);
}

function upgradeLegacy(legacy: LegacySuggestions): TextSuggestions {
  const authorities = legacy.authorities ?? [];
  const authorityTotal = authorities.reduce((sum, authority) => sum + authority.score, 0);
  const legalBasis = legacy.legalBasis ?? [];
  const dates = legacyDates(legacy.dates ?? [], legalBasis);
  const ownDate = dates[0] && !dates[0].law && dates[0].score > 0 ? dates[0] : undefined;
  const actions = (legacy.demandedAction ?? []).flatMap((guess) => {
    const action = LEGACY_ACTIONS[guess.action];
    return action ? [{ ...guess, action }] : [];
  });
  const mentionTotal = actions.reduce((sum, guess) => sum + guess.mentions, 0);
  const evidence = {
    language: legacy.language ?? null,
    authorities: authorities.map(({ firstIndex, ...authority }) => ({
      ...authority,
      first_index: firstIndex,
      confidence: share(authority.score, authorityTotal),
    })),
    reference_numbers: rankReferenceNumbers(legacy.referenceNumbers ?? [], ownDate),
    dates,
    legal_basis: legalBasis,
    urls: legacy.urls ?? [],
    deadline: legacy.deadline ?? null,
    demanded_actions: actions.map((guess) => ({ ...guess, confidence: share(guess.mentions, mentionTotal) })),
    personal_data: legacy.personalData ?? [],
  };
  return { order_fields: suggestedOrderFields(evidence), ...evidence };
}

/**
 * Without the text, a date is a law's when it lies inside a stored citation or is a cited act's adoption
 * date; the first other date (in text order, as it was listed) is taken as the demand's own, weakly.
 */
function legacyDates(
  dates: NonNullable<LegacySuggestions['dates']>,
  citations: NonNullable<LegacySuggestions['legalBasis']>,
): RankedDate[] {
  const adopted = new Set(citations.map((citation) => findLegalAct(citation.act)?.adopted));
  const inCitation = (date: { start: number; end: number }) =>
    citations.some(
      (citation) => date.start >= citation.index && date.end <= citation.index + citation.raw.length + 20,
    );
  const ranked = dates.map((date) => ({ ...date, law: adopted.has(date.iso) || inCitation(date) }));
  const firstOwn = ranked.find((date) => !date.law);
  return ranked
    .map((date) => ({ ...date, score: date === firstOwn ? 1 : 0, confidence: date === firstOwn ? 1 : 0 }))
    .sort((a, b) => Number(a.law) - Number(b.law) || b.score - a.score || a.start - b.start);
}

const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100) / 100 : 0);
