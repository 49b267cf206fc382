// Measures authority and target-URL suggestions against GitHub's published Roskomnadzor notices.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from '../../domain/canonicalUrl.ts';
import { findLegalAct } from '../../domain/legalCitation.ts';
import { suggestFromText } from '../../ingest/suggestions/suggestFromText.ts';
import { TextSuggestions } from '../../ingest/suggestions/suggestionSchema.ts';

// The shared corpus sits beside the project (`../shared/corpus`); a fresh clone has none.
const TAKEDOWNS = fileURLToPath(new URL('../../../shared/corpus/gov-takedowns', import.meta.url));
const RUSSIA = path.join(TAKEDOWNS, 'Russia');
const present = existsSync(RUSSIA);
if (!present) {
  console.warn(`corpusSuggestions: ${RUSSIA} is absent, so the corpus measurements are skipped.`);
}

const ROSKOMNADZOR_FILE_NAME = /roskomnadzor|rozkomnadzor|roscomnadzor|roskomnnadzor/i;

// Ground truth for targets, derived mechanically and independently of the code under test: GitHub
// received these notices, so the pages they target are the GitHub-hosted ones (github.com, gist, *.github.io,
// *.githubusercontent.com) written with a scheme; GitHub's own help pages and the authority's links
// (eais.rkn.gov.ru) are not targets. Known disagreement: one notice (2019-06-20) targets a page on another
// host, which this truth cannot see, so it counts against precision.
const SIMPLE_URL = /https?:\/\/[^\s<>()"'«»\]]+/g;
const GITHUB_CONTENT_HOST =
  /^(?:github\.com|gist\.github\.com|[\w-]+\.github\.io|[\w.-]+\.githubusercontent\.com)$/;

function markdownFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return full.endsWith('.md') ? [full] : [];
  });
}

function groundTruthTargets(text: string): Set<string> {
  const targets = new Set<string>();
  for (const [raw] of text.matchAll(SIMPLE_URL)) {
    const { canonical, host } = canonicalizeUrl(raw.replace(/[.,;:]+$/, ''));
    if (GITHUB_CONTENT_HOST.test(host)) targets.add(canonical);
  }
  return targets;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);

describe.skipIf(!present)('suggestions on the Roskomnadzor notices of gov-takedowns', () => {
  const notices = present
    ? markdownFiles(RUSSIA).map((file) => ({ file, text: readFileSync(file, 'utf8') }))
    : [];
  const suggestions = new Map(notices.map(({ file, text }) => [file, suggestFromText(text)]));

  it('suggests Roskomnadzor as the sender of its notices', () => {
    const expected = notices.filter(({ file }) => ROSKOMNADZOR_FILE_NAME.test(path.basename(file)));
    let truePositives = 0;
    let falsePositives = 0;
    const misses: string[] = [];
    for (const { file } of expected) {
      const top = suggestions.get(file)?.authorities[0];
      if (top?.slug === 'ru-roskomnadzor') truePositives += 1;
      else {
        if (top) falsePositives += 1;
        misses.push(`${path.basename(file)} → ${top?.slug ?? 'none'}`);
      }
    }
    const precision = ratio(truePositives, truePositives + falsePositives);
    const recall = ratio(truePositives, expected.length);
    console.log(
      `authority (top suggestion) on ${expected.length} notices: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}; misses: ${misses.join('; ') || 'none'}`,
    );
    expect(expected.length).toBeGreaterThanOrEqual(70);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('marks the GitHub pages as targets and the authority’s links as not', () => {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    const mistakes: string[] = [];
    for (const { file, text } of notices) {
      const truth = groundTruthTargets(text);
      const suggested = new Set(
        suggestions
          .get(file)!
          .urls.filter((url) => url.target)
          .map((url) => url.canonical),
      );
      for (const url of suggested) {
        if (truth.has(url)) truePositives += 1;
        else {
          falsePositives += 1;
          mistakes.push(`extra ${url} in ${path.basename(file)}`);
        }
      }
      for (const url of truth) {
        if (!suggested.has(url)) {
          falseNegatives += 1;
          mistakes.push(`missed ${url} in ${path.basename(file)}`);
        }
      }
    }
    const precision = ratio(truePositives, truePositives + falsePositives);
    const recall = ratio(truePositives, truePositives + falseNegatives);
    console.log(
      `target URLs on ${notices.length} notices (${truePositives + falseNegatives} true targets): precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}; ${mistakes.join('; ') || 'no mistakes'}`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.97);
    expect(recall).toBeGreaterThanOrEqual(0.99);
  });

  it('never marks the authority’s own register site as a target', () => {
    for (const suggestion of suggestions.values()) {
      for (const url of suggestion.urls) if (url.host.endsWith('rkn.gov.ru')) expect(url.target).toBe(false);
    }
  });
});

// The notices that state their own date, read by a person: the letter's date where it is signed or headed
// with one (the Chinese agencies), else the date of the decision a Roskomnadzor notice passes on («решения …
// суда от 24.01.2018 по делу № 2-388/18»). 2021-01-29-BNIA holds two letters; its own is the newer one.
// The other notices state no date of their own, only laws' and regulations' dates, or none.
const OWN_DATES: Record<string, string> = {
  'Russia/2015/2015-07-22-fast-die.md': '2015-07-14',
  'Russia/2016/2016-02-16-roskomnadzor.md': '2015-06-22',
  'Russia/2018/2018-10-24-roskomnadzor/2018-10-24-roskomnadzor-2.md': '2018-01-24',
  'Russia/2020/2020-08-07-roscomnadzor.md': '2020-07-29',
  'China/2016/2016-06-08-programthink-zhao.md': '2016-06-08',
  'China/2019/2019-09-05-MPS.md': '2019-09-03',
  'China/2019/2019-09-19-MPS.md': '2019-09-18',
  'China/2019/2019-11-06-MPS.md': '2019-11-06',
  'China/2019/2019-12-02-MPS.md': '2019-11-27',
  'China/2019/2019-12-12-MPS.md': '2019-12-12',
  'China/2021/2021-01-22-BNIA.md': '2021-01-22',
  'China/2021/2021-01-29-BNIA.md': '2021-01-28',
};

describe.skipIf(!present)('suggested order fields on all the notices of gov-takedowns', () => {
  const notices = present
    ? markdownFiles(TAKEDOWNS)
        .filter((file) => !/^(README|SOURCE)/.test(path.basename(file)))
        .map((file) => ({
          name: path.relative(TAKEDOWNS, file),
          suggestions: suggestFromText(readFileSync(file, 'utf8')),
        }))
    : [];

  it('suggests as issued_on the date a notice states as its own', () => {
    const misses: string[] = [];
    let right = 0;
    for (const [name, own] of Object.entries(OWN_DATES)) {
      const notice = notices.find((candidate) => candidate.name === name);
      expect(notice, name).toBeDefined();
      const suggested = notice!.suggestions.order_fields.issued_on;
      if (suggested === own) right += 1;
      else misses.push(`${name}: ${suggested ?? 'none'} instead of ${own}`);
    }
    const total = Object.keys(OWN_DATES).length;
    console.log(
      `issued_on right on ${right} of ${total} notices that state their own date; ${misses.join('; ') || 'no misses'}`,
    );
    expect(right / total).toBeGreaterThanOrEqual(0.9);
  });

  it('never suggests a cited law’s date as issued_on (the first date of many notices is 149-FZ’s)', () => {
    const lawDated = notices.filter(({ suggestions }) => suggestions.dates.some((date) => date.law));
    expect(lawDated.length).toBeGreaterThanOrEqual(6);
    for (const { name, suggestions } of notices) {
      const issuedOn = suggestions.order_fields.issued_on;
      if (!issuedOn) continue;
      const lawDates = suggestions.legal_basis.map((citation) => findLegalAct(citation.act)?.adopted);
      expect(lawDates, name).not.toContain(issuedOn);
      expect(issuedOn, name).not.toBe('2006-07-27');
    }
  });

  it('answers every notice in the shape its schema describes', () => {
    const ajv = new Ajv({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(TextSuggestions);
    for (const { name, suggestions } of notices) {
      expect(validate(suggestions) ? [] : validate.errors, name).toEqual([]);
    }
  });
});
