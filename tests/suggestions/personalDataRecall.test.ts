// Measures the personal-data finder (the source of redaction proposals): generated demands and outlet
// letters with planted personal data (Russian and Kazakh phone formats, e-mails, ИИН with valid check
// digits, passports, a journalist's name beside their role and in a signature block) among look-alikes that
// are not personal data (dates, reference numbers, law articles, register entries, officials' bodies), and
// GitHub's published takedown notices (../shared/corpus). Recall ≥ 0.95 and precision ≥ 0.9, printed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPersonalData } from '../../ingest/suggestions/findPersonalData.ts';
import { kazakhCheckDigit } from '../../ingest/suggestions/kazakhIinChecksum.ts';

interface Planted {
  kind: string;
  value: string;
}

// A small deterministic generator, so a failure can be replayed.
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const FIRST_NAMES = [
  'Анна',
  'Нұрлан',
  'Дмитрий',
  'Айгерим',
  'Ольга',
  'Ерлан',
  'Мария',
  'Асель',
  'Игорь',
  'Жанар',
];
const LAST_NAMES = [
  'Иванова',
  'Әбенов',
  'Соколов',
  'Сарсенбаева',
  'Петрова',
  'Касымов',
  'Ким',
  'Омарова',
  'Орлов',
];
const OUTLETS = ['Vlast.kz', '«Власть»', 'KazTAG', '«Клооп»', 'Kloop.kg'];

function generator(seed: number) {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const digits = (count: number) => Array.from({ length: count }, () => Math.floor(next() * 10)).join('');
  const phone = () =>
    pick([
      () => `+7 (7172) ${digits(2)}-${digits(2)}-${digits(2)}`,
      () => `8 (495) ${digits(3)}-${digits(2)}-${digits(2)}`,
      () => `+7 701 ${digits(3)} ${digits(2)} ${digits(2)}`,
      () => `+7-916-${digits(3)}-${digits(2)}-${digits(2)}`,
      () => `8 777 ${digits(3)} ${digits(4)}`,
      () => `+996 555 ${digits(3)} ${digits(3)}`,
      () => `+7 (727) ${digits(3)}-${digits(2)}-${digits(2)}`,
      () => `(7172) ${digits(2)}-${digits(2)}-${digits(2)}`,
    ])();
  const iin = (): string => {
    for (;;) {
      const year = String(50 + Math.floor(next() * 50));
      const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
      const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
      const first = `${year}${month}${day}${1 + Math.floor(next() * 6)}${digits(4)}`;
      const check = kazakhCheckDigit(first);
      if (check !== null) return `${first}${check}`;
    }
  };
  const email = () =>
    `${pick(['a.ivanova', 'nurlan.abenov', 'editor', 'd_sokolov', 'press'])}${digits(2)}@${pick(['vlast.kz', 'kloop.kg', 'mail.ru', 'gmail.com'])}`;
  const name = () => `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
  const passport = () => pick([() => `${digits(2)} ${digits(2)} № ${digits(6)}`, () => `N${digits(8)}`])();
  return { pick, digits, phone, iin, email, name, passport };
}

/** One generated letter and what was planted in it. */
function letter(seed: number): { text: string; planted: Planted[] } {
  const g = generator(seed);
  const planted: Planted[] = [];
  const plant = (kind: string, value: string) => {
    planted.push({ kind, value });
    return value;
  };
  const date = `${String(1 + (seed % 28)).padStart(2, '0')}.0${1 + (seed % 9)}.2022`;
  const reference = `№ ${g.digits(2)}-${g.digits(2)}/${g.digits(4)}`;
  const journalist = g.name();
  const editor = g.name();
  const lines = [
    `Исх. ${reference} от ${date}`,
    `Главному редактору ${g.pick(OUTLETS)}`,
    `Федеральная служба по надзору в сфере связи, информационных технологий и массовых коммуникаций ` +
      `требует в соответствии со ст. 15.3 Федерального закона от 27.07.2006 № 149-ФЗ удалить материал, ` +
      `внесенный в реестр под номером ${g.digits(5)}-РИ, в течение 24 часов.`,
    `В публикации журналист ${plant('person-name', journalist)} приводит сведения о гражданине с ИИН ` +
      `${plant('kz-iin', g.iin())}, паспорт ${plant('passport', g.passport())}.`,
    `Для связи с автором: ${plant('phone', g.phone())}, e-mail ${plant('email', g.email())}.`,
    `Справки по телефону приемной ${plant('phone', g.phone())} (с 9:00 до 18:00, ст. 207.3 УК РФ).`,
    '',
    'С уважением,',
    'главный редактор',
    plant('person-name', editor),
    plant('phone', g.phone()),
  ];
  return { text: lines.join('\n'), planted };
}

interface Score {
  truePositives: number;
  expected: number;
  found: number;
}

function score(text: string, planted: Planted[]): Score & { missed: Planted[]; extra: string[] } {
  const found = findPersonalData(text);
  const left = [...planted];
  const extra: string[] = [];
  let truePositives = 0;
  for (const item of found) {
    const index = left.findIndex((plant) => plant.value === item.value);
    if (index >= 0) {
      truePositives += 1;
      left.splice(index, 1);
    } else extra.push(`${item.kind}:${item.value}`);
  }
  return { truePositives, expected: planted.length, found: found.length, missed: left, extra };
}

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/gov-takedowns', import.meta.url));
const corpusPresent = existsSync(CORPUS);
if (!corpusPresent) console.warn(`personalDataRecall: ${CORPUS} is absent, so the corpus part is skipped.`);

function markdownFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return full.endsWith('.md') ? [full] : [];
  });
}

// Ground truth in the corpus, by a rule independent of the finder: GitHub replaced names and personal
// contacts with [private], so what personal data remains are e-mail addresses written out.
const CORPUS_EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

describe('personal data proposals: recall and precision', () => {
  it('finds ≥ 95% of the planted personal data with ≥ 90% precision, on generated letters and the corpus', () => {
    const total: Score = { truePositives: 0, expected: 0, found: 0 };
    const misses: string[] = [];
    const extras: string[] = [];
    for (let seed = 1; seed <= 200; seed += 1) {
      const { text, planted } = letter(seed);
      const result = score(text, planted);
      total.truePositives += result.truePositives;
      total.expected += result.expected;
      total.found += result.found;
      misses.push(...result.missed.map((plant) => `${plant.kind}:${plant.value}`));
      extras.push(...result.extra);
    }
    const generated = { ...total };
    if (corpusPresent) {
      for (const file of markdownFiles(CORPUS)) {
        const text = readFileSync(file, 'utf8');
        const planted = [...text.matchAll(CORPUS_EMAIL)].map((match) => ({ kind: 'email', value: match[0] }));
        const result = score(text, planted);
        total.truePositives += result.truePositives;
        total.expected += result.expected;
        total.found += result.found;
        misses.push(...result.missed.map((plant) => `${path.basename(file)} ${plant.kind}:${plant.value}`));
        extras.push(...result.extra.map((extra) => `${path.basename(file)} ${extra}`));
      }
    }
    const recall = total.truePositives / total.expected;
    const precision = total.truePositives / total.found;
    console.log(
      `personal data: recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)} ` +
        `(${total.truePositives} of ${total.expected} planted found, ${total.found} proposed; generated letters ` +
        `${generated.truePositives}/${generated.expected}, corpus ${total.expected - generated.expected} e-mails)`,
    );
    if (misses.length) console.log(`missed (first 10): ${misses.slice(0, 10).join(' | ')}`);
    if (extras.length) console.log(`not planted (first 10): ${extras.slice(0, 10).join(' | ')}`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.9);
  });
});
