// Citation formats: each carries the permalink and every document's anchor, sha256 and log place; BibTeX
// stays one entry with balanced braces whatever the names hold; CSL-JSON is valid JSON; RIS is one record.
import { describe, expect, it } from 'vitest';
import {
  bibtexCitation,
  cslCitation,
  plainCitation,
  risCitation,
  type CitationData,
} from '../../domain/citations.ts';

const data: CitationData = {
  publicId: 'TD-2026-00017',
  permalink: 'https://archive.example/orders/TD-2026-00017',
  title: 'Order TD-2026-00017 by Roskomnadzor',
  authority: 'Roskomnadzor {50%} & co_#1 \\ ~^$',
  outlet: 'Vlast.kz',
  referenceNumber: '№ 04-37/1234',
  issuedOn: '2022-03-04',
  documents: [
    {
      id: 3,
      sha256: 'a'.repeat(64),
      filename: 'demand.pdf',
      anchor: 'https://archive.example/orders/TD-2026-00017#document-3',
      logIndex: 16,
    },
    {
      id: 4,
      sha256: 'b'.repeat(64),
      filename: null,
      anchor: 'https://archive.example/orders/TD-2026-00017#document-4',
      logIndex: null,
    },
  ],
  accessedOn: '2026-05-01',
  archiveName: 'Takedown Archive',
  checkpointSize: 1284,
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

  it('names each document by its anchor, sha256 and log leaf, in every format', () => {
    const first = `${data.documents[0]!.anchor} sha256:${'a'.repeat(64)}, log leaf 16 of checkpoint 1284`;
    const second = `${data.documents[1]!.anchor} sha256:${'b'.repeat(64)}`;
    expect(plainCitation(data)).toContain(first);
    expect(plainCitation(data)).toContain(second);
    expect(plainCitation(data)).not.toContain(`${second}, log`);
    expect((JSON.parse(cslCitation(data)) as { note: string }[])[0]!.note).toContain(first);
    expect(bibtexCitation(data)).toContain(first.replace('#', '\\#'));
    expect(risCitation(data)).toContain(`N1  - ${first}\r\n`);
    // A leaf no checkpoint has signed yet is named without one.
    expect(plainCitation({ ...data, checkpointSize: 16 })).toContain(
      'sha256:' + 'a'.repeat(64) + ', log leaf 16.',
    );
  });

  it('RIS is one GOVDOC record, a tag a line, ending in ER', () => {
    const text = risCitation({ ...data, title: 'Order\nTD-2026-00017  by Roskomnadzor' });
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('TY  - GOVDOC');
    expect(lines.at(-2)).toBe('ER  - ');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).every((line) => /^[A-Z][A-Z0-9] {2}- /.test(line))).toBe(true);
    expect(lines).toContain('TI  - Order TD-2026-00017 by Roskomnadzor');
    expect(lines).toContain(`UR  - ${data.permalink}`);
    expect(lines).toContain('PY  - 2022');
    expect(lines).toContain('DA  - 2022/03/04');
    expect(lines).toContain('M1  - № 04-37/1234');
    expect(lines).toContain('Y2  - 2026/05/01');
  });

  it('leaves out what the order does not have', () => {
    const bare = { ...data, authority: null, issuedOn: null, referenceNumber: null, documents: [] };
    expect(bibtexCitation(bare)).not.toMatch(/author|year|number/);
    expect(JSON.parse(cslCitation(bare))[0]).not.toHaveProperty('issued');
    expect(plainCitation(bare)).toContain(data.permalink);
    expect(risCitation(bare)).not.toMatch(/^(AU|PY|DA|M1)/m);
  });
});
