// URLs in demands are found as written, cleaned of punctuation, canonicalised and marked as targets or not.
import { describe, expect, it } from 'vitest';
import { findUrls } from '../../ingest/suggestions/findUrls.ts';

const summary = (text: string) =>
  findUrls(text).map((url) => `${url.target ? 'target' : url.reason} ${url.canonical}`);

describe('findUrls', () => {
  it('strips sentence punctuation, quotes and markdown brackets', () => {
    expect(
      summary(
        'См. https://vlast.kz/novosti/51234.html. Также «https://kloop.kg/blog/2014/11/24/isis/», и <https://t.me/kaztag/42>; (https://orda.kz/x)!',
      ),
    ).toEqual([
      'target https://vlast.kz/novosti/51234.html',
      'target https://kloop.kg/blog/2014/11/24/isis',
      'target https://t.me/kaztag/42',
      'target https://orda.kz/x',
    ]);
  });

  it('keeps a closing bracket the address itself opened', () => {
    expect(summary('https://en.wikipedia.org/wiki/Kloop_(media).')).toEqual([
      'target https://en.wikipedia.org/wiki/Kloop_(media)',
    ]);
  });

  it('finds bare domains with a path, not file names or e-mail domains', () => {
    expect(
      summary('статья vlast.kz/novosti/123 и файл README.md, почта abuse@github.com/ и suicide.txt'),
    ).toEqual(['target https://vlast.kz/novosti/123']);
  });

  it('finds Cyrillic domains and paths', () => {
    const [url] = findUrls('ресурс http://пример.рф/новости/1 заблокирован');
    expect(url).toMatchObject({
      canonical: 'https://xn--e1afmkfd.xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1',
      display: 'http://пример.рф/новости/1',
      raw: 'http://пример.рф/новости/1',
      start: 7,
      target: true,
    });
  });

  it('does not mark the authority’s own site or a law portal as a target', () => {
    expect(
      summary(
        'https://github.com/example/repo; сведения по адресу http://eais.rkn.gov.ru/ ; текст закона https://adilet.zan.kz/rus/docs/Z040000567_ и http://www.consultant.ru/document/cons_doc_LAW_61798/',
      ),
    ).toEqual([
      'target https://github.com/example/repo',
      'authority-site https://eais.rkn.gov.ru/',
      'reference-site https://adilet.zan.kz/rus/docs/Z040000567_',
      'reference-site https://consultant.ru/document/cons_doc_LAW_61798',
    ]);
  });

  it('reports each page once however it was written, with the first place', () => {
    const urls = findUrls(
      'https://gist.github.com/a/1?utm_source=tg и снова https://gist.github.com/a/1/ и gist.github.com/a/1',
    );
    expect(urls).toHaveLength(1);
    expect(urls[0]).toMatchObject({ canonical: 'https://gist.github.com/a/1', start: 0 });
  });

  it('skips addresses that are not web pages', () => {
    expect(summary('ftp://files.kz/a.pdf и javascript:alert(1)')).toEqual([]);
  });
});
