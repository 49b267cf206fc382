// A Word document comes out as its paragraphs, headings and list items, one per line; a broken one fails politely.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { extractDocx } from '../../ingest/extractors/docx.ts';
import { buildDocx, useScratch, KAZAKH_TEXT, truncated } from '../support/documentFixtures.ts';

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const scratch = useScratch();

async function extractBytes(bytes: Uint8Array) {
  return extractDocx(await scratch.inputFor('letter.docx', bytes, DOCX_MIME));
}

describe('extractDocx', () => {
  it('reads headings, paragraphs and list items as lines, Cyrillic and Kazakh intact', async () => {
    const docx = await buildDocx([
      { text: 'Предписание № 7-ақпарат', kind: 'heading' },
      { text: KAZAKH_TEXT },
      { text: '' },
      { text: 'удалить статью о закупках;', kind: 'list-item' },
      { text: 'сообщить об исполнении.', kind: 'list-item' },
    ]);

    const result = await extractBytes(docx);

    expect(result).toMatchObject({ status: 'extracted', mime: DOCX_MIME, children: [], warnings: [] });
    expect(result.pages).toEqual([
      {
        number: 1,
        text: `Предписание № 7-ақпарат\n${KAZAKH_TEXT}\nудалить статью о закупках;\nсообщить об исполнении.`,
        method: 'docx',
        confidence: null,
      },
    ]);
    expect(result.metadata).toEqual({
      title: 'Предписание',
      author: 'Министерство информации',
      created: '2021-03-04T09:00:00Z',
    });
  });

  it('splits the text into pages where Word starts them, so a page can be cited', async () => {
    const docx = await buildDocx([
      { text: 'Предписание № 7-ақпарат', kind: 'heading' },
      { text: 'Первая страница: требование удалить статью.' },
      { text: 'Вторая страница: перечень адресов.', newPage: 'break' },
      // Word saves both marks after an explicit break: one new page, not an empty one between.
      { text: 'Третья страница: срок исполнения.', newPage: 'both' },
      { text: 'Продолжение третьей страницы.' },
      { text: 'Четвёртая страница, как её разметил Word.', newPage: 'rendered' },
    ]);
    const result = await extractBytes(docx);
    expect(result.status).toBe('extracted');
    expect(result.pages.map((page) => [page.number, page.text])).toEqual([
      [1, 'Предписание № 7-ақпарат\nПервая страница: требование удалить статью.'],
      [2, 'Вторая страница: перечень адресов.'],
      [3, 'Третья страница: срок исполнения.\nПродолжение третьей страницы.'],
      [4, 'Четвёртая страница, как её разметил Word.'],
    ]);
  });

  it('calls a document without text empty', async () => {
    const result = await extractBytes(await buildDocx([{ text: '' }, { text: '   ' }]));
    expect(result).toMatchObject({ status: 'empty', pages: [], reason: expect.stringMatching(/no text/) });
  });

  it('fails with a readable reason on a truncated download, without throwing', async () => {
    const result = await extractBytes(truncated(await buildDocx([{ text: KAZAKH_TEXT }])));
    expect(result).toMatchObject({
      status: 'failed',
      pages: [],
      reason: expect.stringMatching(/damaged or truncated/),
    });
  });

  it('fails on a ZIP that holds no Word document', async () => {
    const zip = new JSZip();
    zip.file('readme.txt', 'not a document');
    const result = await extractBytes(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(result).toMatchObject({ status: 'failed', reason: expect.stringMatching(/no Word document/) });
  });

  it('tells a password-protected document from an old .doc file (both OLE compound files)', async () => {
    const ole = Buffer.from([
      0xd0,
      0xcf,
      0x11,
      0xe0,
      0xa1,
      0xb1,
      0x1a,
      0xe1,
      ...new Array<number>(504).fill(0),
    ]);
    const encrypted = Buffer.concat([ole, Buffer.from('EncryptedPackage', 'utf16le')]);

    expect(await extractBytes(encrypted)).toMatchObject({
      status: 'encrypted',
      reason: expect.stringMatching(/password/),
    });
    expect(await extractBytes(ole)).toMatchObject({
      status: 'unsupported',
      reason: expect.stringMatching(/\.doc/),
    });
  });
});
