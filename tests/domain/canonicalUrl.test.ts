// Canonical URLs make one record of one page however it was pasted, and refuse what is not a web page.
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, InvalidUrlError, mixesScripts } from '../../domain/canonicalUrl.ts';

describe('canonicalizeUrl', () => {
  it('takes an address without a scheme as https', () => {
    expect(canonicalizeUrl('vlast.kz/novosti/123')).toEqual({
      canonical: 'https://vlast.kz/novosti/123',
      display: 'https://vlast.kz/novosti/123',
      host: 'vlast.kz',
    });
    expect(canonicalizeUrl('//kloop.kg/blog/').canonical).toBe('https://kloop.kg/blog');
  });

  it('lowercases the host, drops tracking, the fragment and the trailing slash', () => {
    expect(canonicalizeUrl('https://ПРЕЗИДЕНТ.РФ/news/?utm_source=x#top')).toEqual({
      canonical: 'https://xn--d1abbgf6aiiy.xn--p1ai/news',
      display: 'https://президент.рф/news',
      host: 'xn--d1abbgf6aiiy.xn--p1ai',
    });
    expect(
      canonicalizeUrl('HTTPS://Vlast.KZ/Novosti/?fbclid=abc&yclid=1&ysclid=2&_openstat=x&gclid=3').canonical,
    ).toBe('https://vlast.kz/Novosti');
  });

  it('keeps the root slash and meaningful parameters, sorted by name', () => {
    expect(canonicalizeUrl('https://vlast.kz').canonical).toBe('https://vlast.kz/');
    expect(
      canonicalizeUrl('https://kaztag.kz/?p=2&id=15&utm_medium=social&mc_cid=9&igshid=x&si=y').canonical,
    ).toBe('https://kaztag.kz/?id=15&p=2');
    expect(canonicalizeUrl('https://example.kz/search?b=2&a=1&a=0').canonical).toBe(
      'https://example.kz/search?a=1&a=0&b=2',
    );
  });

  it('drops default ports and keeps others', () => {
    expect(canonicalizeUrl('http://vlast.kz:80/a').canonical).toBe('https://vlast.kz/a');
    expect(canonicalizeUrl('https://vlast.kz:443/a').canonical).toBe('https://vlast.kz/a');
    expect(canonicalizeUrl('vlast.kz:8080/a').canonical).toBe('https://vlast.kz:8080/a');
  });

  it('treats http and https as one page (without an explicit port) but shows what was typed', () => {
    const plain = canonicalizeUrl('http://vlast.kz/novosti/51234.html');
    expect(plain.canonical).toBe(canonicalizeUrl('https://vlast.kz/novosti/51234.html').canonical);
    expect(plain.display).toBe('http://vlast.kz/novosti/51234.html');
    expect(canonicalizeUrl('http://vlast.kz:8080/a').canonical).toBe('http://vlast.kz:8080/a');
  });

  it('treats www. as the same site but shows it as written', () => {
    const withWww = canonicalizeUrl('https://www.azattyq.org/a/32012345.html');
    expect(withWww.canonical).toBe(canonicalizeUrl('azattyq.org/a/32012345.html').canonical);
    expect(withWww.host).toBe('azattyq.org');
    expect(withWww.display).toBe('https://www.azattyq.org/a/32012345.html');
  });

  it('encodes Cyrillic paths with uppercase escapes in canonical and decodes them for display', () => {
    const typed = canonicalizeUrl('https://vlast.kz/новости/статья-1?q=блокировка');
    const pasted = canonicalizeUrl(
      'https://vlast.kz/%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F-1?q=%D0%B1%D0%BB%D0%BE%D0%BA%D0%B8%D1%80%D0%BE%D0%B2%D0%BA%D0%B0',
    );
    expect(pasted.canonical).toBe(typed.canonical);
    expect(typed.canonical).toBe(
      'https://vlast.kz/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F-1?q=%D0%B1%D0%BB%D0%BE%D0%BA%D0%B8%D1%80%D0%BE%D0%B2%D0%BA%D0%B0',
    );
    expect(typed.display).toBe('https://vlast.kz/новости/статья-1?q=блокировка');
  });

  it('decodes escaped unreserved characters and keeps escaped reserved ones', () => {
    expect(canonicalizeUrl('https://vlast.kz/a%2Db%7e/c%2fd').canonical).toBe('https://vlast.kz/a-b~/c%2Fd');
  });

  it('handles a Kazakh .қаз domain', () => {
    expect(canonicalizeUrl('https://Үкімет.ҚАЗ/жаңалықтар/')).toEqual({
      canonical:
        'https://xn--e1ajgz1h2y.xn--80ao21a/%D0%B6%D0%B0%D2%A3%D0%B0%D0%BB%D1%8B%D2%9B%D1%82%D0%B0%D1%80',
      display: 'https://үкімет.қаз/жаңалықтар',
      host: 'xn--e1ajgz1h2y.xn--80ao21a',
    });
  });

  it('keeps hash-bang fragments, which address the content of single-page sites', () => {
    expect(canonicalizeUrl('https://example.kz/#!/post/12').canonical).toBe('https://example.kz/#!/post/12');
  });

  it.each([
    ['ftp://files.kz/leak.pdf', 'ftp:'],
    ['javascript:alert(1)', 'javascript:'],
    ['mailto:editor@vlast.kz', 'mailto:'],
  ])('refuses %s as not a web page', (raw, scheme) => {
    expect(() => canonicalizeUrl(raw)).toThrow(InvalidUrlError);
    expect(() => canonicalizeUrl(raw)).toThrow(scheme);
  });

  it.each(['', '   ', 'not a url', 'hello', 'http://', 'https://exa mple.kz/'])(
    'refuses garbage %j with a message',
    (raw) => {
      let error: unknown;
      try {
        canonicalizeUrl(raw);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidUrlError);
      expect((error as InvalidUrlError).message.length).toBeGreaterThan(10);
      expect((error as InvalidUrlError).input).toBe(raw);
    },
  );
});

describe('mixesScripts', () => {
  it.each([
    ['оutlet-a.example', 'a Cyrillic о among Latin letters'],
    ['xn--utlet-a-8ig.example', 'the same homograph in punycode'],
    ['раypal.com', 'Cyrillic р and а in a Latin name'],
    ['vlast.кz', 'a Latin and a Cyrillic letter in one label'],
    ['gοogle.com', 'a Greek omicron'],
  ])('says %s mixes scripts (%s)', (host) => {
    expect(mixesScripts(host)).toBe(true);
  });

  it.each([
    ['vlast.kz', 'Latin'],
    ['президент.рф', 'Cyrillic'],
    ['үкімет.қаз', 'Kazakh Cyrillic'],
    ['президент.kz', 'a Cyrillic name under a Latin top-level domain'],
    ['kaztag-24.kz', 'digits and dashes belong to every script'],
    ['東京タワーとうきょう.jp', 'Japanese: Han, Katakana and Hiragana together'],
    ['[2001:db8::1]', 'an IPv6 address'],
  ])('does not flag %s (%s)', (host) => {
    expect(mixesScripts(host)).toBe(false);
  });
});
