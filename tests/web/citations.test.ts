// Citation formats: each carries the permalink and every document's sha256; BibTeX stays one entry with
// balanced braces whatever the names hold; CSL-JSON is valid JSON.
import { describe, expect, it } from 'vitest';
import { bibtexCitation, cslCitation, plainCitation, type CitationData } from '../../server/web/citations.ts';

const data: CitationData = {
  publicId: 'TD-2026-00017',
  permalink: 'https://archive.example/orders/TD-2026-00017',
  title: 'Order TD-2026-00017 by Roskomnadzor',
  authority: 'Roskomnadzor {50%} & co_#1 \\ ~^$',
  outlet: 'Vlast.kz',
  referenceNumber: '№ 04-37/1234',
  issuedOn: '2022-03-04',
  documents: [
    { sha256: 'a'.repeat(64), filename: 'demand.pdf' },
    { sha256: 'b'.repeat(64), filename: null },
  ],
  accessedOn: '2026-05-01',
  archiveName: 'Takedown Archive',
};

function braceDepthOk(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

describe('citations', () => {
  it('plain text names the authority, reference, date, permalink and each sha256', () => {
    const text = plainCitation(data);
    for (const part of [
      'Roskomnadzor',
      '№ 04-37/1234',
      '2022-03-04',
      data.permalink,
      'a'.repeat(64),
      'b'.repeat(64),
    ]) {
      expect(text).toContain(part);
    }
  });

  it('BibTeX is one @misc entry keyed by the public id, braces balanced, TeX specials escaped', () => {
    const text = bibtexCitation(data);
    expect(text.match(/^@/gm)).toHaveLength(1);
    expect(text.startsWith('@misc{TD-2026-00017,\n')).toBe(true);
    expect(braceDepthOk(text)).toBe(true);
    expect(text).toContain(`url = {${data.permalink}}`);
    expect(text).toContain('year = {2022}');
    expect(text).toContain(`sha256:${'a'.repeat(64)}`);
    expect(text).toContain('\\{50\\%\\} \\& co\\_\\#1 \\textbackslash{} \\~{}\\^{}\\$');
  });

  it('CSL-JSON is an array of one item with the URL, date parts and hashes', () => {
    const [item, ...rest] = JSON.parse(cslCitation(data)) as Record<string, unknown>[];
    expect(rest).toEqual([]);
    expect(item).toMatchObject({
      id: 'TD-2026-00017',
      URL: data.permalink,
      issued: { 'date-parts': [[2022, 3, 4]] },
      author: [{ literal: data.authority }],
      number: '№ 04-37/1234',
    });
    expect(item!.note).toContain('b'.repeat(64));
  });

  it('leaves out what the order does not have', () => {
    const bare = { ...data, authority: null, issuedOn: null, referenceNumber: null, documents: [] };
    expect(bibtexCitation(bare)).not.toMatch(/author|year|number/);
    expect(JSON.parse(cslCitation(bare))[0]).not.toHaveProperty('issued');
    expect(plainCitation(bare)).toContain(data.permalink);
  });
});
