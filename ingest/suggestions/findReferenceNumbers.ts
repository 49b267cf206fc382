// Finds the numbers a demand is filed under: outgoing letter numbers, register entries, court case numbers.

export const REFERENCE_KINDS = ['outgoing', 'incoming', 'register-entry', 'court-case', 'reference'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export interface FoundReference {
  /** The number as it should be stored and searched: `04-37/1234`, `70203-РИ`, `2а-205/2020`. */
  value: string;
  kind: ReferenceKind;
  /** The number with its label as written: `Исх. № 21-09/4417`. */
  raw: string;
  start: number;
  end: number;
}

const NUMBER_BODY = String.raw`[\p{L}\p{N}]+(?:[-/.][\p{L}\p{N}]+)*`;
// "№ 04-37/1234", "Исх. № 21-09/4417", "No. 27-31-2015/Ид1959-15", "исх.№ 12", "No 6154"; not the "n24" of
// a path ("…/gb/n24hr.md").
const NUMBERED = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?!(?<=[/.])N)(?:(?<label>(?<outgoing>исх(?:одящий)?\.?|out\.?|our\s+ref\.?)|(?<incoming>вх(?:одящий)?\.?))\s*)?(?:№|Nº|No\.|(?:No|N)(?=\s*\d))\s*(?<value>${NUMBER_BODY})`,
  'giu',
);
// Register entries of Roskomnadzor's unified register: "70203-РИ".
const REGISTER_ENTRY = /(?<![\p{L}\p{N}-])(?<value>\d{1,9}-РИ)(?![\p{L}\p{N}])/gu;
// Court cases: category (2, 2а, 3а, М), running number, year: "2а-205/2020", "2-388/18".
const COURT_CASE_SHAPE = String.raw`(?:[1-9]|М)[аa]?-\d{1,6}\/(?:19|20)?\d{2}`;
const COURT_CASE = new RegExp(
  String.raw`(?<![\p{L}\p{N}/-])(?<value>${COURT_CASE_SHAPE})(?![\p{L}\p{N}/-])`,
  'gu',
);

// A number right after "Federal Law [of the …] [dated 27.07.2006]" or "постановления Правительства … от …"
// is a law, a regulation or a decree, not the demand's own number.
const LAW_CONTEXT =
  /(?:закон|law|постановлени|resolution|указ|decree|приказ|кодекс)\p{L}*(?:[\s,]+[\p{L}'’]+){0,8}(?:[\s,]+[\p{L}\d.,/ ]{0,25}\d{4}\s*(?:г\.|года)?)?\s*$/iu;
const LAW_NUMBER = /-(?:ФКЗ|FKZ|ФЗ|FZ|VIII|VII|VI|V|IV|III|II|I)$/iu;

const MIN_REFERENCE_LENGTH = 3;

const SPECIFICITY: Record<ReferenceKind, number> = {
  'register-entry': 3,
  'court-case': 3,
  outgoing: 2,
  incoming: 2,
  reference: 1,
};

/** Reference numbers in `text`, in order; each number once, in its most specific reading. */
export function findReferenceNumbers(text: string): FoundReference[] {
  const found: FoundReference[] = [];
  for (const match of text.matchAll(REGISTER_ENTRY)) {
    found.push(reference(match.groups!.value!, 'register-entry', match.index, match[0]));
  }
  for (const match of text.matchAll(COURT_CASE)) {
    found.push(reference(match.groups!.value!, 'court-case', match.index, match[0]));
  }
  for (const match of text.matchAll(NUMBERED)) {
    const groups = match.groups!;
    const value = groups.value!.replace(/[-/.]+$/u, '');
    // "No. 7 of Article 15.1" is a part of a law; letter numbers have at least three characters.
    if (!/\d/.test(value) || value.length < MIN_REFERENCE_LENGTH || LAW_NUMBER.test(value)) continue;
    if (!groups.label && LAW_CONTEXT.test(text.slice(Math.max(0, match.index - 100), match.index))) continue;
    const kind: ReferenceKind = groups.outgoing ? 'outgoing' : groups.incoming ? 'incoming' : classify(value);
    const raw = match[0].slice(0, match[0].length - (groups.value!.length - value.length));
    found.push(reference(value, kind, match.index, raw));
  }
  return mostSpecificOfEachValue(found);
}

function classify(value: string): ReferenceKind {
  if (/^\d{1,9}-РИ$/u.test(value)) return 'register-entry';
  if (new RegExp(`^${COURT_CASE_SHAPE}$`, 'u').test(value)) return 'court-case';
  return 'reference';
}

function reference(value: string, kind: ReferenceKind, start: number, raw: string): FoundReference {
  return { value, kind, raw, start, end: start + raw.length };
}

function mostSpecificOfEachValue(found: FoundReference[]): FoundReference[] {
  const ranked = [...found].sort((a, b) => SPECIFICITY[b.kind] - SPECIFICITY[a.kind] || a.start - b.start);
  const byValue = new Map<string, FoundReference>();
  for (const item of ranked) if (!byValue.has(item.value)) byValue.set(item.value, item);
  return [...byValue.values()].sort((a, b) => a.start - b.start);
}
