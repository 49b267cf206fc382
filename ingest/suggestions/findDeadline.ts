// Finds the time a demand gives for compliance ("в течение 24 часов", "within three working days").

export const DEADLINE_UNITS = ['hours', 'days', 'working-days', 'months'] as const;
export type DeadlineUnit = (typeof DEADLINE_UNITS)[number];

export interface FoundDeadline {
  amount: number;
  unit: DeadlineUnit;
  raw: string;
  start: number;
  end: number;
}

// Number words in the forms that follow «в течение» / "within" / «ішінде».
const NUMBER_WORDS: Record<string, number> = {
  одного: 1,
  одних: 1,
  двух: 2,
  трех: 3,
  трёх: 3,
  четырех: 4,
  четырёх: 4,
  пяти: 5,
  шести: 6,
  семи: 7,
  десяти: 10,
  'двадцати четырех': 24,
  'двадцати четырёх': 24,
  'сорока восьми': 48,
  'семидесяти двух': 72,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  seven: 7,
  ten: 10,
  'twenty-four': 24,
  'twenty four': 24,
  'forty-eight': 48,
  бір: 1,
  екі: 2,
  үш: 3,
  бес: 5,
  он: 10,
  'жиырма төрт': 24,
};

const NUMBER_WORD = Object.keys(NUMBER_WORDS)
  .sort((a, b) => b.length - a.length)
  .map((word) => word.replace(/ /g, '\\s+'))
  .join('|');
// "3", "трех", "3 (трех)", "three (3)"
const AMOUNT = String.raw`(?<amount>\d{1,3}|${NUMBER_WORD})(?:\s*\((?:\d{1,3}|${NUMBER_WORD})\))?`;

interface DeadlinePattern {
  pattern: RegExp;
  unit: (unitWord: string) => DeadlineUnit;
  /** For phrases that fix the amount themselves ("в течение суток"). */
  amount?: number;
}

function russianUnit(word: string): DeadlineUnit {
  const lower = word.toLowerCase();
  if (lower.startsWith('час')) return 'hours';
  if (lower.startsWith('месяц')) return 'months';
  return /рабоч/.test(lower) ? 'working-days' : 'days';
}
function englishUnit(word: string): DeadlineUnit {
  const lower = word.toLowerCase();
  if (lower.startsWith('hour')) return 'hours';
  if (lower.startsWith('month')) return 'months';
  return /working|business/.test(lower) ? 'working-days' : 'days';
}
function kazakhUnit(word: string): DeadlineUnit {
  const lower = word.toLowerCase();
  if (lower.startsWith('сағат')) return 'hours';
  if (lower.startsWith('ай')) return 'months';
  return /жұмыс/.test(lower) ? 'working-days' : 'days';
}

const DEADLINE_PATTERNS: DeadlinePattern[] = [
  {
    pattern: new RegExp(
      String.raw`в\s+течени[еи]\s+${AMOUNT}\s+(?<unit>час\p{L}*|(?:рабоч\p{L}*\s+|календарн\p{L}*\s+)?(?:дн\p{L}*|день|суток)|месяц\p{L}*)`,
      'giu',
    ),
    unit: russianUnit,
  },
  { pattern: /в\s+течени[еи]\s+(?<unit>суток)/giu, unit: () => 'hours', amount: 24 },
  { pattern: /в\s+(?<amount>трех|трёх|пяти|десяти)(?<unit>дневный)\s+срок/giu, unit: () => 'days' },
  {
    pattern: new RegExp(
      String.raw`within\s+${AMOUNT}\s+(?<unit>hours?|(?:working\s+|business\s+|calendar\s+)?days?|months?)`,
      'giu',
    ),
    unit: englishUnit,
  },
  { pattern: /within\s+(?:a|one)\s+(?<unit>day)/giu, unit: () => 'hours', amount: 24 },
  {
    pattern: new RegExp(
      String.raw`${AMOUNT}\s+(?<unit>сағат|(?:жұмыс\s+)?күн|ай)\p{L}*\s+(?:ішінде|ичинде)`,
      'giu',
    ),
    unit: kazakhUnit,
  },
  { pattern: /(?<unit>тәулік)\s+ішінде/giu, unit: () => 'hours', amount: 24 },
];

// The time to appeal a decision («может быть обжаловано … в течение трех месяцев») is not a deadline.
const APPEAL_CONTEXT = /обжал\p{L}*|appeal\p{L}*|шағым\p{L}*|оспор\p{L}*/iu;

/** Every compliance deadline in `text`, in order, leaving out appeal periods. */
export function findDeadlines(text: string): FoundDeadline[] {
  const found: FoundDeadline[] = [];
  for (const { pattern, unit, amount } of DEADLINE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const groups = match.groups ?? {};
      const value = amount ?? parseAmount(groups.amount ?? '');
      if (!value || isAppealPeriod(text, match.index)) continue;
      found.push({
        amount: value,
        unit: unit(groups.unit ?? ''),
        raw: match[0],
        start: match.index,
        end: match.index + match[0].length,
      });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The first compliance deadline, or null. */
export function findDeadline(text: string): FoundDeadline | null {
  return findDeadlines(text)[0] ?? null;
}

function parseAmount(amount: string): number | undefined {
  if (/^\d+$/.test(amount)) return Number(amount);
  const word = amount.toLowerCase().replace(/\s+/g, ' ');
  return NUMBER_WORDS[word];
}

function isAppealPeriod(text: string, index: number): boolean {
  const sentenceStart = Math.max(
    text.lastIndexOf('.', index),
    text.lastIndexOf('\n\n', index),
    index - 200,
    0,
  );
  return APPEAL_CONTEXT.test(text.slice(sentenceStart, index));
}
