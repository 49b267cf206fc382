// The pure parts of search: folding letters, restoring them in snippets, quoting filter values,
// authority names as synonyms, splitting pages too long for Meilisearch, the visibility filter.
import { describe, expect, it } from 'vitest';
import { searchCopyFilter, visibleOrdersSearchFilter } from '../../server/auth/orderAccess.ts';
import { splitForPositions, urlPrefixes } from '../../server/indexing/searchDocuments.ts';
import { quoteFilterValue, searchFilterConditions } from '../../server/search/searchFilters.ts';
import { synonymsFromAuthorities } from '../../server/indexing/searchIndexes.ts';
import { snippetHtml } from '../../server/search/searchSnippets.ts';
import { CROP_MARK, foldText, MARK_END, MARK_START, unfoldingOf } from '../../domain/textFolding.ts';
import { urlInQuery } from '../../server/search/orderSearch.ts';

describe('folding', () => {
  it('folds ё and Kazakh/Kyrgyz letters to their Russian look-alikes, keeping length and case', () => {
    const original = 'Ёлка, ёж; Қазақстан Республикасы, Әділет, ғылым, ңң, Өскемен, Ұлттық, Үкімет, Һ, Іле';
    const folded = foldText(original);
    expect(folded).toBe(
      'Елка, еж; Казакстан Республикасы, Адилет, гылым, нн, Оскемен, Улттык, Укимет, Х, Иле',
    );
    expect(folded.length).toBe(original.length);
  });

  it('shows folded words in a snippet as they were written, escaping everything but the marks', () => {
    const original = 'Талап: <b>Қазақстан</b> & ақпарат';
    const unfolding = unfoldingOf([original]);
    expect(unfolding).toBe('Казакстан Қазақстан акпарат ақпарат');
    const formatted = `${CROP_MARK}<b>${MARK_START}Казакстан${MARK_END}</b> & акпарат`;
    expect(snippetHtml(formatted, unfolding)).toBe(
      '…&lt;b&gt;<mark>Қазақстан</mark>&lt;/b&gt; &amp; ақпарат',
    );
    // Nothing folded: the text is shown as it is.
    expect(snippetHtml(`a ${MARK_START}b${MARK_END}\n\n c`)).toBe('a <mark>b</mark> c');
    // «кол» is a Russian word and folded Kazakh «қол»: which one a snippet shows is unknown, so it stays.
    expect(unfoldingOf(['қол және кол'])).toBe('жане және');
  });
});

describe('filters', () => {
  it('quotes values so that quotes and backslashes stay data', () => {
    expect(quoteFilterValue('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteFilterValue('x" OR visibility = "private')).toBe('"x\\" OR visibility = \\"private"');
  });

  it('builds one condition per filter, any-of within a filter', () => {
    expect(
      searchFilterConditions({
        authority: ['12', 'ru-roskomnadzor'],
        legal_basis: ['RU/149-FZ/15.3', 'KZ/MASS-MEDIA-1999'],
        has_response: false,
        issued_from: '2022-01-01',
      }),
    ).toEqual([
      '(authority_id IN [12] OR authority_slug IN ["ru-roskomnadzor"])',
      '(legal_basis IN ["RU/149-FZ/15.3"] OR legal_acts IN ["KZ/MASS-MEDIA-1999"])',
      'has_response = false',
      'issued_at >= 1640995200',
    ]);
  });

  it('states the visibility rule per caller', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const publicRule =
      '(visibility = "public" OR (visibility = "embargoed" AND embargo_until <= 1767225600 AND review_pending != true))';
    expect(visibleOrdersSearchFilter({ kind: 'anonymous' }, now)).toBe(publicRule);
    const signed = { name: 'x', userId: null, tokenId: 1, sessionId: null, readOnly: false };
    const member = (outletIds: number[]) =>
      ({ kind: 'account', ...signed, outletIds, adminOf: [], researcher: false }) as const;
    expect(visibleOrdersSearchFilter(member([7]), now)).toBe(`(${publicRule} OR owner_outlet_id IN [7])`);
    expect(visibleOrdersSearchFilter(member([7, 9]), now)).toBe(
      `(${publicRule} OR owner_outlet_id IN [7, 9])`,
    );
    expect(visibleOrdersSearchFilter(member([]), now)).toBe(publicRule);
    expect(visibleOrdersSearchFilter({ kind: 'editor', ...signed }, now)).toBeUndefined();
  });

  it('picks the copy of redacted text each caller may search', () => {
    const signed = { name: 'x', userId: null, tokenId: 1, sessionId: null, readOnly: false };
    const account = (outletIds: number[], researcher = false) =>
      ({ kind: 'account', ...signed, outletIds, adminOf: [], researcher }) as const;
    expect(searchCopyFilter({ kind: 'anonymous' })).toBe('text_scope != "unredacted"');
    expect(searchCopyFilter({ kind: 'editor', ...signed })).toBe('text_scope != "redacted"');
    expect(searchCopyFilter(account([]))).toBe('text_scope != "unredacted"');
    expect(searchCopyFilter(account([7]))).toBe(
      '((text_scope != "unredacted" AND NOT owner_outlet_id IN [7]) OR (text_scope != "redacted" AND owner_outlet_id IN [7]))',
    );
    expect(searchCopyFilter(account([], true))).toBe(
      '((text_scope != "unredacted" AND NOT researchers_may_read_unredacted = true) OR ' +
        '(text_scope != "redacted" AND researchers_may_read_unredacted = true))',
    );
  });
});

describe('search documents', () => {
  it('makes every name of a body a synonym of every other, folded, at most 7 words', () => {
    const synonyms = synonymsFromAuthorities([
      {
        name: 'Federal Service for Supervision of Communications, Information Technology and Mass Media',
        local_name: 'Роскомнадзор',
        aliases: ['РКН', 'Ақпарат министрлігі'],
      },
    ]);
    expect(synonyms['ркн']).toEqual([
      'federal service for supervision of communications information',
      'акпарат министрлиги',
      'роскомнадзор',
    ]);
  });

  it('splits a page past Meilisearch’s position limit into parts, losing no text', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `w${i}`).join(' ');
    const parts = splitForPositions(text);
    expect(parts.length).toBe(4);
    expect(parts.join('')).toBe(text);
    expect(splitForPositions('short text')).toEqual(['short text']);
  });

  it('lists the parent paths of a targeted address', () => {
    expect(urlPrefixes('https://github.com/user/repo/issues/8')).toEqual([
      'github.com',
      'github.com/user',
      'github.com/user/repo',
      'github.com/user/repo/issues',
      'github.com/user/repo/issues/8',
    ]);
  });

  it('tells a pasted address from words', () => {
    expect(urlInQuery('vlast.kz/novosti/1')?.canonical).toBe('https://vlast.kz/novosti/1');
    expect(urlInQuery('https://example.org')?.canonical).toBe('https://example.org/');
    for (const words of [
      'ст. 15.3',
      'RU/149-FZ/15.3',
      'e.g',
      'Роскомнадзор',
      '04-37/1234',
      'TD-2026-00001',
    ]) {
      expect(urlInQuery(words), words).toBeUndefined();
    }
  });
});
