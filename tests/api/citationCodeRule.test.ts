// One rule for a citation code: the API's schema and parseCitationCode give the same verdict on every code,
// and every code the suggestions read from the corpus passes both.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGAL_ACTS, parseCitationCode } from '../../domain/legalCitation.ts';
import { suggestFromText } from '../../ingest/suggestions/suggestFromText.ts';
import { ADMIN_TOKEN, authorityByAlias, editor } from '../support/apiClient.ts';
import { createTestApp } from '../support/testApp.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/gov-takedowns', import.meta.url));
const corpusPresent = existsSync(CORPUS);
if (!corpusPresent) console.warn(`citationCodeRule: ${CORPUS} is absent, so the corpus codes are skipped.`);

const CODES = [
  // valid
  'RU/149-FZ',
  'RU/149-FZ/15.3',
  'RU/149-FZ/15.1-1',
  'RU/ADMIN-CODE/20.3.3',
  'KZ/COMMUNICATIONS-2004/41-1',
  'RU/187-FZ/2',
  'KG/FALSE-INFORMATION-2021',
  // invalid
  'RU/149-FZ/abc',
  'RU/149-FZ/15.3/1',
  'RU/149-FZ/15.3a',
  'RU/149-FZ/1234',
  'RU/149.FZ',
  'RU/149-FZ-',
  'RU/-149-FZ',
  'RU/149_FZ',
  'RU//15.3',
  'RUS/149-FZ',
  'RU149FZ',
  'ru/149-fz',
  ' RU/149-FZ',
  'RU/149-ФЗ/15.3',
  'RU/149–FZ',
  '',
  `RU/${'A'.repeat(100)}`,
];

function parserAccepts(code: string): boolean {
  try {
    parseCitationCode(code);
    return true;
  } catch {
    return false;
  }
}

function markdownFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return full.endsWith('.md') ? [full] : [];
  });
}

describe('a legal citation code has one rule', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let authority: string;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN });
    authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
  });
  afterAll(() => harness.close());

  const apiVerdicts = async (codes: string[]) => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: editor,
      payload: { authority, legal_basis: codes },
    });
    return response;
  };

  it.each(CODES)('the API and parseCitationCode agree on %j', async (code) => {
    const response = await apiVerdicts([code]);
    const apiAccepts = response.statusCode === 201;
    if (!apiAccepts) {
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().message).toMatch(/legal_basis\/0/);
    }
    expect(apiAccepts, `API ${response.statusCode} ${response.body.slice(0, 200)}`).toBe(parserAccepts(code));
  });

  it('accepts every catalogued act and article, by both', async () => {
    const codes = LEGAL_ACTS.flatMap((act) => [
      act.code,
      ...Object.keys(act.articles ?? {}).map((article) => `${act.code}/${article}`),
    ]);
    for (const code of codes) expect(parserAccepts(code), code).toBe(true);
    for (let i = 0; i < codes.length; i += 50) {
      const response = await apiVerdicts(codes.slice(i, i + 50));
      expect(response.statusCode, response.body).toBe(201);
    }
  });

  it.skipIf(!corpusPresent)('accepts every code the suggestions read from the corpus, by both', async () => {
    const codes = new Set<string>();
    for (const file of markdownFiles(CORPUS)) {
      const suggestions = suggestFromText(readFileSync(file, 'utf8'));
      for (const citation of suggestions.legal_basis) codes.add(citation.code);
      for (const code of suggestions.order_fields.legal_basis ?? []) codes.add(code);
    }
    console.log(`citation codes the suggestions read from the corpus: ${[...codes].sort().join(', ')}`);
    expect(codes.size).toBeGreaterThanOrEqual(5);
    for (const code of codes) expect(parserAccepts(code), code).toBe(true);
    const list = [...codes];
    for (let i = 0; i < list.length; i += 50) {
      const response = await apiVerdicts(list.slice(i, i + 50));
      expect(response.statusCode, response.body).toBe(201);
    }
  });
});
