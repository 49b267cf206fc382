// Finds personal data to suggest for redaction: e-mails, phones, national identification and passport
// numbers, and the names of private persons where the text says who they are (a journalist, a
// correspondent, an editor) or where they sign. Recall comes first: a person decides on each proposal.
import { findPersonNames } from './findPersonNames.ts';
import { kazakhIdentifierKind } from './kazakhIinChecksum.ts';
import { isValidRussianInn } from './russianInnChecksum.ts';
import { isValidSnils } from './russianSnilsChecksum.ts';

export const PERSONAL_DATA_KINDS = [
  'email',
  'phone',
  'kz-iin',
  'kz-bin',
  'ru-inn',
  'ru-snils',
  'passport',
  'person-name',
] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

export interface FoundPersonalData {
  kind: PersonalDataKind;
  /** The text as written (what a redaction would cover). */
  value: string;
  start: number;
  end: number;
}

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,24}(?![\p{L}\p{N}])/gu;
// "+7 (7172) 74-33-22", "8 (495) 123-45-67", "+996 555 123 456", "+7-916-123-45-67"; separators are
// spaces, hyphens and brackets, never dots (dates) or slashes (reference numbers).
const PHONE =
  /(?<![\p{L}\p{N}+])(?:\+\d{1,3}|8)[\s\u00a0-]*(?:\(\s*\d{2,5}\s*\)|\d{2,5})(?:[\s\u00a0-]*\d{1,4}){2,4}(?![\p{N}])/gu;
// A local number with its area code but no country code: "(7172) 74-33-22".
const LOCAL_PHONE = /(?<![\p{L}\p{N}])\(\d{3,5}\)\s*\d{1,3}(?:[\s-]\d{2}){2}(?![\p{N}])/gu;
const SNILS = /(?<![\p{N}-])\d{3}-\d{3}-\d{3}[\s\u00a0-]\d{2}(?![\p{N}])/gu;
const DIGIT_RUN = /(?<![\p{N}\-/.])(?:\d{12}|\d{10})(?![\p{N}]|[-/.]\d)/gu;
// For a 12-digit number valid both ways, the label decides: ИИН/БИН is Kazakh, ИНН Russian.
const KAZAKH_LABEL = /(?:ИИН|БИН|ЖСН|БСН|IIN|BIN)[\s:№-]*$/u;
const RUSSIAN_LABEL = /(?:ИНН|INN|TIN)[\s:№-]*$/u;

// Passports and identity cards, only where the text says so: «паспорт серия 45 06 № 123456», «паспорт
// 4506 123456», «удостоверение личности № 041234567», «passport N12345678», «ID AN1234567».
const PASSPORT_LABEL =
  '(?:[Пп]аспорт\\p{L}*|[Уу]достоверени\\p{L}* личности|[Уу]д\\.\\s?л\\.|[Жж]еке куәлік\\p{L}*|[Pp]assport|ID card|ID-карт\\p{L}*)';
const PASSPORT = new RegExp(
  `${PASSPORT_LABEL}[^\\n\\d]{0,30}?(?<number>\\d{2}\\s?\\d{2}\\s*(?:№|N|No\\.?|номер)?\\s*\\d{6}|[A-ZА-Я]{0,2}\\d{7,9})(?![\\p{N}])`,
  'dgu',
);

const PHONE_DIGITS = { min: 10, max: 13 };

/** Personal data in `text`, in order and without overlaps, each with its exact place for redaction. */
export function findPersonalData(text: string): FoundPersonalData[] {
  const found: FoundPersonalData[] = [];
  const add = (kind: PersonalDataKind, match: RegExpMatchArray) =>
    found.push({ kind, value: match[0], start: match.index!, end: match.index! + match[0].length });

  for (const match of text.matchAll(EMAIL)) add('email', match);
  for (const match of text.matchAll(SNILS)) {
    if (isValidSnils(match[0].replace(/\D/g, ''))) add('ru-snils', match);
  }
  for (const match of text.matchAll(DIGIT_RUN)) {
    const kind = identifierKind(match[0], text.slice(Math.max(0, match.index - 12), match.index));
    if (kind) add(kind, match);
  }
  for (const match of text.matchAll(PASSPORT)) {
    const [start, end] = match.indices!.groups!.number!;
    found.push({ kind: 'passport', value: match.groups!.number!, start, end });
  }
  for (const pattern of [PHONE, LOCAL_PHONE]) {
    for (const match of text.matchAll(pattern)) {
      const digits = match[0].replace(/\D/g, '').length;
      // Without "+" or separators, "8…" is just a long number (a commit hash, an account).
      const looksDialled = match[0].startsWith('+') || /[\s()\u00a0-]/.test(match[0]);
      if (
        pattern === LOCAL_PHONE ||
        (looksDialled && digits >= PHONE_DIGITS.min && digits <= PHONE_DIGITS.max)
      ) {
        add('phone', match);
      }
    }
  }
  for (const name of findPersonNames(text)) found.push({ kind: 'person-name', ...name });
  return withoutOverlaps(found);
}

// A labelled number is only what its label says: «ИНН 500312345615» is a wrong ИНН, even though the same
// digits happen to make a valid ИИН.
function identifierKind(digits: string, before: string): PersonalDataKind | null {
  const kazakh = digits.length === 12 ? kazakhIdentifierKind(digits) : null;
  const kazakhKind = kazakh === 'bin' ? 'kz-bin' : kazakh === 'iin' ? 'kz-iin' : null;
  const russianKind = isValidRussianInn(digits) ? 'ru-inn' : null;
  if (RUSSIAN_LABEL.test(before)) return russianKind;
  if (KAZAKH_LABEL.test(before)) return kazakhKind;
  return kazakhKind ?? russianKind;
}

/** Earlier finds win (e-mails and identifiers before phones, which are the loosest pattern). */
function withoutOverlaps(found: FoundPersonalData[]): FoundPersonalData[] {
  const kept: FoundPersonalData[] = [];
  for (const item of found) {
    if (!kept.some((other) => item.start < other.end && other.start < item.end)) kept.push(item);
  }
  return kept.sort((a, b) => a.start - b.start);
}
