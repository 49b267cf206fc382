// An e-mail comes out as its decoded headers and body, its attachments written out safely as children.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractEmail } from '../../ingest/extractors/email.ts';
import {
  ATTACHMENT_PDF,
  ATTACHMENT_TEXT,
  useScratch,
  CYRILLIC_ATTACHMENT_NAME,
  emailWithAttachments,
  htmlOnlyEmail,
  KAZAKH_TEXT,
  koi8rEmail,
  RUSSIAN_BODY,
  RUSSIAN_SUBJECT,
  utf8Email,
  windows1251Email,
} from '../support/documentFixtures.ts';

const scratch = useScratch();

async function extractBytes(bytes: Uint8Array) {
  return extractEmail(await scratch.inputFor('message.eml', bytes, 'message/rfc822'));
}

const HEADER_BLOCK = [
  'From: "Роскомнадзор" <zapret@example.ru>',
  'To: "Editor" <editor@example.org>, news@example.org',
  'Cc: lawyer@example.org',
  'Date: 2019-05-14T07:22:05.000Z',
  `Subject: ${RUSSIAN_SUBJECT}`,
].join('\n');

describe('extractEmail', () => {
  it('decodes an RFC 2047 subject and sender name and a UTF-8 body, with a header block on page 1', async () => {
    const result = await extractBytes(utf8Email());

    expect(result).toMatchObject({ status: 'extracted', children: [], warnings: [] });
    expect(result.metadata).toEqual({
      from: '"Роскомнадзор" <zapret@example.ru>',
      to: '"Editor" <editor@example.org>, news@example.org',
      cc: 'lawyer@example.org',
      date: '2019-05-14T07:22:05.000Z',
      subject: RUSSIAN_SUBJECT,
      messageId: '<utf8-1@example.ru>',
    });
    expect(result.pages).toEqual([
      {
        number: 1,
        text: `${HEADER_BLOCK}\n\n${RUSSIAN_BODY}\n${KAZAKH_TEXT}`,
        method: 'email',
        confidence: null,
      },
    ]);
  });

  it.each([
    ['a KOI8-R 8-bit body and KOI8-R subject', koi8rEmail],
    ['a windows-1251 quoted-printable body and windows-1251 subject', windows1251Email],
  ])('reads %s exactly', async (_case, build) => {
    const result = await extractBytes(build());
    expect(result.metadata.subject).toBe(RUSSIAN_SUBJECT);
    expect(result.pages[0]?.text).toBe(`${HEADER_BLOCK}\n\n${RUSSIAN_BODY}`);
  });

  it('makes an HTML-only body readable: no tags, one line per block, headings in their own case', async () => {
    const text = (await extractBytes(htmlOnlyEmail())).pages[0]?.text;
    const headers = HEADER_BLOCK.replace(RUSSIAN_SUBJECT, 'HTML only');
    expect(text).toBe(`${headers}\n\n${RUSSIAN_SUBJECT}\nПервый абзац.\n${KAZAKH_TEXT}`);
  });

  it('writes every real attachment under a safe unique name and leaves out the embedded logo', async () => {
    const { email, docx } = await emailWithAttachments();
    const input = await scratch.inputFor('with-attachments.eml', email, 'message/rfc822');

    const result = await extractEmail(input);

    expect(result.status).toBe('extracted');
    expect(result.pages[0]?.text).toBe(`${HEADER_BLOCK}\n\n${RUSSIAN_BODY}`);
    const pdfName = CYRILLIC_ATTACHMENT_NAME;
    expect(result.children.map(({ filename, declaredMime }) => ({ filename, declaredMime }))).toEqual([
      { filename: pdfName, declaredMime: 'application/pdf' },
      { filename: 'Предписание №1 (2).pdf', declaredMime: 'application/pdf' },
      {
        filename: 'letter.docx',
        declaredMime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
      { filename: 'forwarded.eml', declaredMime: 'message/rfc822' },
      { filename: 'passwd', declaredMime: 'text/plain' },
      { filename: 'attachment-6.pdf', declaredMime: 'application/pdf' },
    ]);
    for (const child of result.children) {
      expect(path.dirname(child.path)).toBe(input.workDir);
      expect(path.basename(child.path)).toBe(child.filename);
    }
    const [pdf, pdfCopy, word, , passwd] = result.children;
    expect(await readFile(pdf!.path)).toEqual(ATTACHMENT_PDF);
    expect(await readFile(pdfCopy!.path)).toEqual(ATTACHMENT_PDF);
    expect(await readFile(word!.path)).toEqual(docx);
    expect(await readFile(passwd!.path)).toEqual(ATTACHMENT_TEXT);
  });

  it('keeps an attached message whole, so the pipeline can read it as an e-mail in turn', async () => {
    const { email } = await emailWithAttachments();
    const result = await extractBytes(email);
    const forwarded = result.children.find((child) => child.declaredMime === 'message/rfc822');

    const nested = await extractEmail(
      await scratch.inputFor('nested.eml', await readFile(forwarded!.path), 'message/rfc822'),
    );

    expect(nested.metadata).toMatchObject({ subject: RUSSIAN_SUBJECT, messageId: '<koi8-1@example.ru>' });
    expect(nested.pages[0]?.text).toContain(RUSSIAN_BODY);
  });

  it('does not overwrite a file already in the work folder', async () => {
    const { email } = await emailWithAttachments();
    const input = await scratch.inputFor('again.eml', email, 'message/rfc822');
    const first = await extractEmail(input);
    const second = await extractEmail(input);

    expect(second.children.map((child) => child.filename)).toContain('letter (2).docx');
    expect(new Set([...first.children, ...second.children].map((child) => child.path)).size).toBe(12);
  });

  it('calls an empty file, and a message without text or attachments, empty', async () => {
    expect(await extractBytes(Buffer.alloc(0))).toMatchObject({
      status: 'empty',
      reason: 'The e-mail file is empty.',
    });

    const headersOnly = await extractBytes(
      Buffer.from('Subject: nothing here\r\nFrom: a@example.org\r\n\r\n'),
    );
    expect(headersOnly).toMatchObject({
      status: 'empty',
      reason: expect.stringMatching(/no text and no attachments/),
      metadata: { subject: 'nothing here', from: 'a@example.org' },
      pages: [],
    });
  });

  it('warns about a Date header it cannot read instead of dating the message today', async () => {
    const result = await extractBytes(
      Buffer.from('Date: sometime last spring\r\nSubject: x\r\n\r\nbody\r\n'),
    );
    expect(result.metadata.date).toBeUndefined();
    expect(result.warnings).toEqual([expect.stringMatching(/Date header could not be read/)]);
  });
});
