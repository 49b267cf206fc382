// An OpenDocument text comes out as its paragraphs, headings, list items and table cells, one per line.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { extractOdt } from '../../ingest/extractors/odt.ts';
import { buildOdt, useScratch, KAZAKH_TEXT, truncated } from '../support/documentFixtures.ts';

const ODT_MIME = 'application/vnd.oasis.opendocument.text';

const scratch = useScratch();

async function extractBytes(bytes: Uint8Array) {
  return extractOdt(await scratch.inputFor('letter.odt', bytes, ODT_MIME));
}

async function odtWith(files: Record<string, string>): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await buildOdt([{ text: KAZAKH_TEXT }]));
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer' });
}

describe('extractOdt', () => {
  it('reads headings, paragraphs, list items and table cells as lines, keeping spelled-out spaces and tabs', async () => {
    const odt = await buildOdt([
      { text: 'Ақпарат туралы хабарлама', kind: 'heading' },
      { text: KAZAKH_TEXT },
      { text: 'удалить статью о закупках', kind: 'list-item' },
    ]);

    const result = await extractBytes(odt);

    expect(result).toMatchObject({ status: 'extracted', mime: ODT_MIME, children: [], warnings: [] });
    // The fixture's last layout put a page break (<text:soft-page-break/>) before the table.
    expect(result.pages).toEqual([
      {
        number: 1,
        text: [
          'Ақпарат туралы хабарлама',
          KAZAKH_TEXT,
          'удалить статью о закупках',
          'Статья   29\tКонституции',
          'вторая строка',
        ].join('\n'),
        method: 'odt',
        confidence: null,
      },
      { number: 2, text: '№ 1\nhttps://example.kz/news/1', method: 'odt', confidence: null },
    ]);
    expect(result.metadata).toEqual({
      title: 'Предписание',
      author: 'Министерство информации',
      created: '2021-03-04T09:00:00',
    });
  });

  it('starts a page where a paragraph style breaks the page or the last layout did, once for both', async () => {
    const odt = await buildOdt([
      { text: 'Предписание № 7', kind: 'heading' },
      { text: 'Вторая страница: перечень адресов.', newPage: 'break' },
      { text: 'Третья страница: срок исполнения.', newPage: 'both' },
      { text: 'Четвёртая страница по разметке.', newPage: 'rendered' },
    ]);
    const result = await extractBytes(odt);
    expect(result.pages.map((page) => page.text)).toEqual([
      'Предписание № 7',
      'Вторая страница: перечень адресов.',
      'Третья страница: срок исполнения.',
      'Четвёртая страница по разметке.\nСтатья   29\tКонституции\nвторая строка',
      '№ 1\nhttps://example.kz/news/1',
    ]);
  });

  it('leaves out comments and text deleted under change tracking', async () => {
    const odt = await odtWith({
      'content.xml': `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:body><office:text>
<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>удалённый текст</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:p>Видимый<office:annotation><dc:creator>Юрист</dc:creator><text:p>комментарий</text:p></office:annotation> текст</text:p>
</office:text></office:body></office:document-content>`,
    });
    expect((await extractBytes(odt)).pages[0]?.text).toBe('Видимый текст');
  });

  it('fails politely on a truncated file, a ZIP without content.xml and malformed XML', async () => {
    const odt = await buildOdt([{ text: KAZAKH_TEXT }]);
    expect(await extractBytes(truncated(odt))).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/damaged or truncated/),
    });

    const zip = await JSZip.loadAsync(odt);
    zip.remove('content.xml');
    expect(await extractBytes(await zip.generateAsync({ type: 'nodebuffer' }))).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/no content\.xml/),
    });

    expect(
      await extractBytes(await odtWith({ 'content.xml': '<office:document-content><text:p>' })),
    ).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/content\.xml is not well-formed XML/),
    });
  });

  it('reports a password-protected document as encrypted', async () => {
    const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
  <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">
    <manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"/>
  </manifest:file-entry>
</manifest:manifest>`;
    const result = await extractBytes(await odtWith({ 'META-INF/manifest.xml': manifest }));
    expect(result).toMatchObject({ status: 'encrypted', reason: expect.stringMatching(/password/) });
  });

  it('calls a document without text empty', async () => {
    const result = await extractBytes(
      await odtWith({
        'content.xml': `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p> </text:p></office:text></office:body></office:document-content>`,
      }),
    );
    expect(result).toMatchObject({ status: 'empty', reason: expect.stringMatching(/no text/) });
  });
});
