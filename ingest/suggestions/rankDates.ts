// Ranks the dates of a demand so that its own date (the letter's, or the decision's it conveys) comes first,
// and a law's date («Федеральный закон от 27.07.2006 № 149-ФЗ») is never taken for it.
import { findLegalAct } from '../../domain/legalCitation.ts';
import type { FoundDate } from './findDates.ts';

export interface RankedDate extends FoundDate {
  /** Part of a law's or regulation's name: never the demand's own date. */
  law: boolean;
  /** The evidence that this is the demand's own date: its own line, «от»/"dated" before it, a number beside it. */
  score: number;
  /** The score's share of all the dates' scores (0 for a law's date). */
  confidence: number;
}

// "Федерального закона от", "Federal Law of", "resolution of the Government of the Russian Federation on",
// "Federal Law No. 149-FZ from": a law's word, up to ten words and numbers, then the date.
const LAW_BEFORE =
  /(?:закон|law|постановлени|resolution|указ|decree|приказ|кодекс|code)\p{L}*(?:[\s,]+(?:№\s*\d[\d-]*|No\.?\s*\d[\p{L}\d-]*|\d{1,4}\s*-\s*\p{L}{1,3}|[\p{L}«»"“”'’()-]+)){0,10}[\s,]*$/iu;
// "… 27.07.2006 № 149-ФЗ", "July 27, 2006 149-FZ", "28.12.2013г. № 398-ФЗ": a law's number right after.
const LAW_NUMBER_AFTER =
  /^\s*(?:г\.?|года)?\s*,?\s*(?:№|No\.?|N)?\s*\d{1,4}\s*-\s*(?:ФКЗ|FKZ|ФЗ|FZ|[IVX]{1,4})(?![\p{L}\p{N}])/iu;
const DATED_BEFORE = /(?:^|[^\p{L}])(?:от|dated|of|from|on|дата|date)\s*:?\s*[«"]?$/iu;
const NUMBER_MARK = /№|(?<![\p{L}])(?:No\.?|N)\s*\d|(?<![\p{L}])(?:исх|вх)\./iu;
// A date with at most this many other letters on its line stands on its own (a letter head, a signature).
const OWN_LINE_LETTERS = 12;
const LAW_LOOKBEHIND = 120;
const NUMBER_DISTANCE = 40;

const SCORE = { ownLine: 3, dated: 1, numbered: 1 };

/**
 * The dates, each once (at its best-scored place), the likeliest own date first; dates of laws last.
 * `citedActs` are the act codes cited in the text: a date that is one of their adoption dates is a law's.
 */
export function rankDates(text: string, dates: FoundDate[], citedActs: string[] = []): RankedDate[] {
  const adoptedOn = new Set(citedActs.map((act) => findLegalAct(act)?.adopted));
  const best = new Map<string, RankedDate>();
  for (const date of dates) {
    const ranked = scoreDate(text, date, adoptedOn.has(date.iso));
    const previous = best.get(date.iso);
    if (!previous || better(ranked, previous)) best.set(date.iso, ranked);
  }
  const ranked = [...best.values()].sort(
    (a, b) => Number(a.law) - Number(b.law) || b.score - a.score || a.start - b.start,
  );
  const total = ranked.reduce((sum, date) => sum + date.score, 0);
  return ranked.map((date) => ({ ...date, confidence: total ? round(date.score / total) : 0 }));
}

/** The date to suggest as the order's `issued_on`: the best-ranked one with some evidence, not a law's. */
export function likeliestIssuedOn(ranked: RankedDate[]): string | undefined {
  const top = ranked[0];
  return top && !top.law && top.score > 0 ? top.iso : undefined;
}

function scoreDate(text: string, date: FoundDate, adoptionOfCitedAct: boolean): RankedDate {
  const before = text.slice(Math.max(0, date.start - LAW_LOOKBEHIND), date.start);
  const after = text.slice(date.end, date.end + NUMBER_DISTANCE);
  const law = adoptionOfCitedAct || LAW_BEFORE.test(before) || LAW_NUMBER_AFTER.test(after);
  if (law) return { ...date, law, score: 0, confidence: 0 };
  const lineStart = text.lastIndexOf('\n', date.start - 1) + 1;
  const lineEnd = text.indexOf('\n', date.end);
  const line = text.slice(lineStart, date.start) + text.slice(date.end, lineEnd < 0 ? text.length : lineEnd);
  const ownLine = line.replace(/[^\p{L}]/gu, '').length <= OWN_LINE_LETTERS;
  // A number on the same line, within a few words: «№ 04-37/1234 от 14.07.2022», "dated 14.07.2015 No 6154".
  const nearby =
    text.slice(Math.max(lineStart, date.start - NUMBER_DISTANCE), date.start) + after.split('\n', 1)[0];
  const score =
    (ownLine ? SCORE.ownLine : 0) +
    (DATED_BEFORE.test(before) ? SCORE.dated : 0) +
    (NUMBER_MARK.test(nearby) ? SCORE.numbered : 0);
  return { ...date, law, score, confidence: 0 };
}

function better(candidate: RankedDate, current: RankedDate): boolean {
  if (candidate.law !== current.law) return !candidate.law;
  return candidate.score > current.score;
}

const round = (share: number) => Math.round(share * 100) / 100;
