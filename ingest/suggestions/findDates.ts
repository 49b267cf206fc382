// Finds calendar dates written the Russian, Kazakh, Kyrgyz and English ways and normalises them to ISO.

export interface FoundDate {
  /** `YYYY-MM-DD`. */
  iso: string;
  raw: string;
  start: number;
  end: number;
}

const RUSSIAN_MONTHS = [
  'январ',
  'феврал',
  'март',
  'апрел',
  'ма[йя]',
  'июн',
  'июл',
  'август',
  'сентябр',
  'октябр',
  'ноябр',
  'декабр',
];
const KAZAKH_MONTHS = [
  'қаңтар',
  'ақпан',
  'наурыз',
  'сәуір',
  'мамыр',
  'маусым',
  'шілде',
  'тамыз',
  'қыркүйек',
  'қазан',
  'қараша',
  'желтоқсан',
];
const ENGLISH_MONTHS = [
  'jan(?:uary)?',
  'feb(?:ruary)?',
  'mar(?:ch)?',
  'apr(?:il)?',
  'may',
  'june?',
  'july?',
  'aug(?:ust)?',
  'sep(?:t(?:ember)?)?',
  'oct(?:ober)?',
  'nov(?:ember)?',
  'dec(?:ember)?',
];

const monthAlternation = (stems: string[]) => stems.map((stem, i) => `(?<m${i + 1}>${stem})`).join('|');
const NOT_BEFORE = String.raw`(?<![\p{L}\p{N}.\/-])`;
const NOT_AFTER = String.raw`(?![\p{N}]|[.\/-]\d)`;
const DAY = String.raw`[«"]?(?<day>\d{1,2})[»"]?`;
const YEAR = String.raw`(?<year>\d{4})`;

interface DatePattern {
  pattern: RegExp;
  /** Month number from the match: a named month group, or a numeric group. */
  month: (groups: Record<string, string | undefined>) => number | undefined;
}

function namedMonth(groups: Record<string, string | undefined>): number | undefined {
  for (let month = 1; month <= 12; month += 1) if (groups[`m${month}`] !== undefined) return month;
  return undefined;
}
const numericMonth = (groups: Record<string, string | undefined>) => Number(groups.month);

const DATE_PATTERNS: DatePattern[] = [
  // 14 июля 2022 г., «14» июля 2022 года
  {
    pattern: new RegExp(
      String.raw`${NOT_BEFORE}${DAY}\s+(?:${monthAlternation(RUSSIAN_MONTHS)})\p{L}*\s+${YEAR}(?:\s*(?:года|г\.|г(?![\p{L}])))?`,
      'giu',
    ),
    month: namedMonth,
  },
  // 2022 жылғы 14 шілде(дегі), 2022 ж. 14 шілде
  {
    pattern: new RegExp(
      String.raw`${NOT_BEFORE}${YEAR}\s*(?:жылғы|жылы|ж\.)\s*${DAY}\s*-?\s*(?:${monthAlternation(KAZAKH_MONTHS)})\p{L}*`,
      'giu',
    ),
    month: namedMonth,
  },
  // Kyrgyz: 2022-жылдын 14-июлу (Russian month names with Kyrgyz endings)
  {
    pattern: new RegExp(
      String.raw`${NOT_BEFORE}${YEAR}\s*-?\s*жыл\p{L}*\s+${DAY}\s*-?\s*(?:${monthAlternation(RUSSIAN_MONTHS)})\p{L}*`,
      'giu',
    ),
    month: namedMonth,
  },
  // July 14, 2022 / Jul. 14th 2022 / Sep.3rd,2019 (as Chinese agencies sign their letters)
  {
    pattern: new RegExp(
      String.raw`${NOT_BEFORE}(?:${monthAlternation(ENGLISH_MONTHS)})(?:\.\s*|\s+)(?<day>\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+)${YEAR}(?![\p{N}])`,
      'giu',
    ),
    month: namedMonth,
  },
  // 14 July 2022 / 14th of July, 2022 / 22st,Jan,2021
  {
    pattern: new RegExp(
      String.raw`${NOT_BEFORE}(?<day>\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+)(?:of\s+)?(?:${monthAlternation(ENGLISH_MONTHS)})\.?(?:,\s*|\s+)${YEAR}(?![\p{N}])`,
      'giu',
    ),
    month: namedMonth,
  },
  // 2019年9月3日 (Chinese and Japanese)
  {
    pattern: new RegExp(
      String.raw`${NOT_BEFORE}${YEAR}\s*年\s*(?<month>\d{1,2})\s*月\s*(?<day>\d{1,2})\s*日`,
      'gu',
    ),
    month: numericMonth,
  },
  // 14.07.2022
  {
    pattern: new RegExp(
      String.raw`${NOT_BEFORE}(?<day>\d{1,2})\.(?<month>\d{1,2})\.${YEAR}\s*(?:г\.)?${NOT_AFTER}`,
      'gu',
    ),
    month: numericMonth,
  },
  // 2022-07-14
  {
    pattern: new RegExp(String.raw`${NOT_BEFORE}${YEAR}-(?<month>\d{2})-(?<day>\d{2})${NOT_AFTER}`, 'gu'),
    month: numericMonth,
  },
];

// 7/27/2006 (American) or 27/7/2006: only read when one side cannot be a month.
const SLASHED_DATE = new RegExp(
  String.raw`${NOT_BEFORE}(?<first>\d{1,2})\/(?<second>\d{1,2})\/${YEAR}${NOT_AFTER}`,
  'gu',
);

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

/** Every well-formed, possible date in `text`, in order; «31 июня» and 29.02.2023 are left out. */
export function findDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  for (const { pattern, month } of DATE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const groups = match.groups ?? {};
      addIfValid(found, match, Number(groups.year), month(groups), Number(groups.day));
    }
  }
  for (const match of text.matchAll(SLASHED_DATE)) {
    const first = Number(match.groups?.first);
    const second = Number(match.groups?.second);
    if (first > 12 && second <= 12) addIfValid(found, match, Number(match.groups?.year), second, first);
    else if (second > 12 && first <= 12) addIfValid(found, match, Number(match.groups?.year), first, second);
  }
  return withoutOverlaps(found);
}

function addIfValid(
  found: FoundDate[],
  match: RegExpMatchArray,
  year: number,
  month: number | undefined,
  day: number,
): void {
  const iso = isoDate(year, month, day);
  if (!iso) return;
  const raw = match[0].trim();
  found.push({ iso, raw, start: match.index!, end: match.index! + raw.length });
}

/** `YYYY-MM-DD` for a date that exists, else null. */
export function isoDate(year: number, month: number | undefined, day: number): string | null {
  if (!month || year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

function withoutOverlaps(found: FoundDate[]): FoundDate[] {
  const sorted = [...found].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: FoundDate[] = [];
  for (const date of sorted) {
    const previous = kept.at(-1);
    if (!previous || date.start >= previous.end) kept.push(date);
  }
  return kept;
}
