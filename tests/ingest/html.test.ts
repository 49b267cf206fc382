// A saved article comes out as its readable text in the right charset, without running or fetching anything.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractHtml, htmlToText } from '../../ingest/extractors/html.ts';
import {
  ARTICLE_PARAGRAPHS,
  articleHtml,
  corpusFolder,
  useScratch,
  encodeText,
  KAZAKH_TEXT,
} from '../support/documentFixtures.ts';

const scratch = useScratch();

async function extractBytes(bytes: Uint8Array, filename = 'article.html') {
  return extractHtml(await scratch.inputFor(filename, bytes, 'text/html'));
}

const TITLE = 'Требование удалить статью — Вести Степи';

describe('extractHtml', () => {
  it('reads a windows-1251 page declared by http-equiv: article text and the page facts, no navigation', async () => {
    const head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">';
    const result = await extractBytes(encodeText(articleHtml({ head }), 'windows-1251'));

    expect(result).toMatchObject({ status: 'extracted', children: [], warnings: [] });
    expect(result.metadata).toEqual({
      title: TITLE,
      canonicalUrl: 'https://news.example.kz/2021/03/trebovanie',
      publishedTime: '2021-03-04T12:30:00+06:00',
      siteName: 'Вести Степи',
      lang: 'ru',
      encoding: 'windows-1251',
    });
    const [page] = result.pages;
    expect(page).toMatchObject({ number: 1, method: 'html', confidence: null });
    expect(page?.text.startsWith(`${TITLE}\n`)).toBe(true);
    for (const paragraph of ARTICLE_PARAGRAPHS) expect(page?.text).toContain(paragraph);
    expect(page?.text).not.toContain('Политика');
    expect(page?.text).not.toContain('SCRIPT RAN');
  });

  it.each([
    ['a <meta charset> for KOI8-R', '<meta charset="koi8-r">', 'koi8-r', 'koi8-r'],
    ['no declaration at all (the charset is guessed)', '', 'windows-1251', 'windows-1251'],
  ])('reads a page with %s', async (_case, head, encoding, expected) => {
    // KOI8-R has no «—», so this page's title avoids it.
    const html = articleHtml({ head }).replace(' — ', ' - ');
    const result = await extractBytes(encodeText(html, encoding));

    expect(result.metadata).toMatchObject({ encoding: expected, title: TITLE.replace(' — ', ' - ') });
    expect(result.pages[0]?.text).toContain(ARTICLE_PARAGRAPHS[1]);
  });

  it('trusts a byte order mark, and the bytes over a declaration they contradict', async () => {
    const paragraphs = [...ARTICLE_PARAGRAPHS, KAZAKH_TEXT];
    const claimsCp1251 = articleHtml({ head: '<meta charset="windows-1251">', paragraphs });
    const withBom = await extractBytes(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(claimsCp1251)]),
    );
    expect(withBom.metadata.encoding).toBe('utf-8');
    expect(withBom.pages[0]?.text).toContain(KAZAKH_TEXT);

    const resavedAsUtf8 = await extractBytes(Buffer.from(claimsCp1251));
    expect(resavedAsUtf8.metadata.encoding).toBe('utf-8');
    expect(resavedAsUtf8.pages[0]?.text).toContain(KAZAKH_TEXT);
    expect(resavedAsUtf8.warnings).toEqual([
      expect.stringMatching(/declares windows-1251 but its bytes are UTF-8/),
    ]);

    const claimsUtf8 = articleHtml({ head: '<meta charset="utf-8">' });
    const savedAsCp1251 = await extractBytes(encodeText(claimsUtf8, 'windows-1251'));
    expect(savedAsCp1251.metadata.encoding).toBe('windows-1251');
    expect(savedAsCp1251.pages[0]?.text).toContain(ARTICLE_PARAGRAPHS[0]);
    expect(savedAsCp1251.warnings).toEqual([expect.stringMatching(/declares UTF-8 but its bytes are not/)]);
  });

  it('runs no script and requests nothing the page refers to', async () => {
    const requests: string[] = [];
    const server: Server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.end('document.title = "FETCHED AND RAN"');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const html = articleHtml({ head: '<meta charset="utf-8">', resourceUrl: `http://127.0.0.1:${port}` });
      const result = await extractBytes(Buffer.from(html));
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(requests).toEqual([]);
      expect(result.metadata.title).toBe(TITLE);
      expect(result.pages[0]?.text).not.toMatch(/SCRIPT RAN|FETCHED AND RAN/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps the text of a page that is no article, and calls a page without text empty', async () => {
    const notice = await extractBytes(
      Buffer.from('<html><body><div>Короткое уведомление.</div></body></html>'),
    );
    expect(notice.pages[0]?.text).toBe('Короткое уведомление.');

    const blank = await extractBytes(
      Buffer.from('<html><head><script>var x = 1;</script></head><body> </body></html>'),
    );
    expect(blank).toMatchObject({ status: 'empty', pages: [], reason: 'The web page contains no text.' });
  });

  it('reads a text file saved under an .html name line by line', async () => {
    const result = await extractBytes(Buffer.from('field_a: Қазақстан\nfield_b: ақпарат\n'));
    expect(result.pages[0]?.text).toBe('field_a: Қазақстан\nfield_b: ақпарат');
    expect(result.warnings).toEqual([expect.stringMatching(/no HTML markup/)]);
  });
});

describe('htmlToText', () => {
  it('puts blocks, list items, table rows and <br> on their own lines and keeps <pre> lines', () => {
    const html =
      '<h2>Заголовок</h2><p>один <b>жирный</b>\n  абзац</p><ul><li>пункт 1</li><li>пункт 2</li></ul>' +
      '<table><tr><td>№</td><td>адрес</td></tr></table>строка<br>ещё<pre>a: 1\nb: 2</pre><style>p{}</style>';
    expect(htmlToText(html)).toBe(
      'Заголовок\nодин жирный абзац\nпункт 1\nпункт 2\n№ адрес\nстрока\nещё\na: 1\nb: 2',
    );
  });
});

const lumen = corpusFolder('lumen/example_files');
describe.skipIf(!lumen.present)('extractHtml on the Lumen notice snapshots (shared corpus)', () => {
  it('decodes the MIME-encoded Japanese subject of mixed-charset-source.html', async () => {
    const result = await extractBytes(await readFile(path.join(lumen.dir, 'mixed-charset-source.html')));

    expect(result.status).toBe('extracted');
    expect(result.metadata.title).toMatch(/\p{sc=Hiragana}/u);
    expect(result.metadata.title).not.toContain('=?UTF-8?');
    expect(result.pages[0]?.text).toMatch(/\p{sc=Han}{4,}/u);
    expect(result.pages[0]?.text).not.toContain('\ufffd');
  });

  it('reads every snapshot without throwing and adds no replacement character of its own', async () => {
    const files = (await readdir(lumen.dir)).filter((name) => name.endsWith('.html'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const bytes = await readFile(path.join(lumen.dir, file));
      const result = await extractBytes(bytes, file);
      expect(result.status, file).toBe('extracted');
      // One fixture carries a U+FFFD in its own bytes; that one is the source's, not ours.
      const sourceHasReplacement = bytes.includes(Buffer.from('\ufffd'));
      if (!sourceHasReplacement) expect(result.pages[0]?.text, file).not.toContain('\ufffd');
    }
  });
});
