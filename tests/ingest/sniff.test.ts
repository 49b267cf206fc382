// sniffType decides a file's type from its bytes: binary formats, PDFs with broken headers, and text that
// is HTML, an e-mail or plain text in UTF-8, cp1251 or KOI8-R. The filename never counts.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeType, sniffType } from '../../ingest/sniffType.ts';
import { encodeTiff } from '../support/imageFixtures.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';

const RUSSIAN = 'Роскомнадзор направляет уведомление о внесении в Единый реестр указателя страницы сайта.\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sniff-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the bytes under a misleading name, to show the name is ignored. */
async function sniffBytes(bytes: Uint8Array | string, misleadingName = 'upload.txt'): Promise<string> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}-${misleadingName}`);
  await writeFile(file, bytes);
  return (await sniffType(file)).mime;
}

function pngHeader(): Buffer {
  // Signature plus an IHDR chunk: enough for any sniffer.
  return Buffer.from('89504e470d0a1a0a0000000d49484452000000100000001008000000003a98a0bd', 'hex');
}

async function docx(): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file('_rels/.rels', '<?xml version="1.0"?><Relationships/>');
  zip.file('word/document.xml', '<?xml version="1.0"?><w:document/>');
  return zip.generateAsync({ type: 'uint8array' });
}

async function odt(): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('mimetype', 'application/vnd.oasis.opendocument.text', { compression: 'STORE' });
  zip.file('content.xml', '<?xml version="1.0"?><office:document-content/>');
  return zip.generateAsync({ type: 'uint8array' });
}

describe('binary formats', () => {
  it('knows PDF, images, Office documents and archives by their bytes', async () => {
    expect(await sniffBytes(await bornDigitalPdf(['Order']), 'order.txt')).toBe('application/pdf');
    expect(await sniffBytes(pngHeader(), 'scan.pdf')).toBe('image/png');
    expect(await sniffBytes(Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'))).toBe(
      'image/jpeg',
    );
    const tiff = encodeTiff([{ width: 16, height: 16, pixels: Buffer.alloc(256, 255) }], 150);
    expect(await sniffBytes(tiff)).toBe('image/tiff');
    const bmp = Buffer.alloc(64);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(64, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    expect(await sniffBytes(bmp)).toBe('image/bmp');
    const webp = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'), Buffer.alloc(24)]);
    expect(await sniffBytes(webp)).toBe('image/webp');
    expect(await sniffBytes(await docx(), 'letter.pdf')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(await sniffBytes(await odt())).toBe('application/vnd.oasis.opendocument.text');
    const zip = new JSZip();
    zip.file('notes.txt', 'hello');
    expect(await sniffBytes(await zip.generateAsync({ type: 'uint8array' }))).toBe('application/zip');
  });

  it('takes a PDF whose header is displaced or missing as a PDF, so it fails as one', async () => {
    const displaced = Buffer.concat([Buffer.from([0x14]), Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n')]);
    expect(await sniffBytes(displaced)).toBe('application/pdf');
    const headerless = '8 0 obj<</Type/XRef/Size 0>>stream\nxx\nendstream endobj\nstartxref\n4\n%%EOF\n';
    expect(await sniffBytes(headerless)).toBe('application/pdf');
  });

  it('calls an empty file empty and random bytes octet-stream', async () => {
    expect(await sniffBytes('')).toBe('application/x-empty');
    expect(await sniffBytes(randomBytes(4096))).toBe('application/octet-stream');
  });
});

describe('text formats', () => {
  it('finds HTML after a BOM, whitespace and comments, in any case', async () => {
    expect(
      await sniffBytes('\uFEFF\n  <!-- saved page -->\n<!DOCTYPE html><html><body>Hi</body></html>'),
    ).toBe('text/html');
    expect(await sniffBytes('<HTML><HEAD><TITLE>Notice</TITLE></HEAD></HTML>')).toBe('text/html');
    expect(await sniffBytes('<body>just a body</body>')).toBe('text/html');
    expect(await sniffBytes('Use the <html> tag to start a page.\n')).toBe('text/plain');
  });

  it('finds an e-mail by its header block at the top', async () => {
    const email = [
      'Received: from mx.example.org by mail.example.net',
      'From: Roskomnadzor <zapret-info-out@rkn.gov.ru>',
      'To: editor@example.net',
      'Subject: =?UTF-8?B?0KPQstC10LTQvtC80LvQtdC90LjQtQ==?=',
      '  continued subject line',
      'Date: Tue, 10 Dec 2019 10:00:00 +0300',
      'MIME-Version: 1.0',
      '',
      RUSSIAN,
    ].join('\r\n');
    expect(await sniffBytes(email, 'notice.pdf')).toBe('message/rfc822');
    expect(await sniffBytes(`From sender@example.org Tue Dec 10 10:00:00 2019\n${email}`)).toBe(
      'message/rfc822',
    );
  });

  it('recognises an e-mail whose 8-bit parts are in different charsets (no single decoding fits)', async () => {
    const header = Buffer.from(
      'From: a@example.org\r\nTo: b@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n\r\n',
    );
    const utf8Part = Buffer.from('Уведомление\r\n');
    const cp1251Part = Buffer.from([
      0xd3, 0xe2, 0xe5, 0xe4, 0xee, 0xec, 0xeb, 0xe5, 0xed, 0xe8, 0xe5, 0x0d, 0x0a,
    ]);
    const koi8Part = Buffer.from([
      0xf5, 0xd7, 0xc5, 0xc4, 0xcf, 0xcd, 0xcc, 0xc5, 0xce, 0xc9, 0xc5, 0x0d, 0x0a,
    ]);
    expect(await sniffBytes(Buffer.concat([header, utf8Part, cp1251Part, koi8Part]))).toBe('message/rfc822');
  });

  it('does not take a text with one header-like line, or headers further down, for an e-mail', async () => {
    expect(await sniffBytes('Subject: the court decision\n\nWe received it yesterday.\n')).toBe('text/plain');
    expect(await sniffBytes('Language: fr\nCountry: FR\nIssueType: dmca\n\nbody\n')).toBe('text/plain');
    expect(await sniffBytes(`Dear editor,\nFrom: someone\nTo: you\nSubject: x\n\n${RUSSIAN}`)).toBe(
      'text/plain',
    );
  });

  it('takes UTF-8, UTF-16, cp1251 and KOI8-R Russian as plain text', async () => {
    expect(await sniffBytes(RUSSIAN.repeat(50))).toBe('text/plain');
    expect(
      await sniffBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(RUSSIAN, 'utf16le')])),
    ).toBe('text/plain');
    expect(await sniffBytes(iconv.encode(RUSSIAN.repeat(50), 'win1251'))).toBe('text/plain');
    expect(await sniffBytes(iconv.encode(RUSSIAN.repeat(50), 'koi8-r'))).toBe('text/plain');
    expect(await sniffBytes('A text that mentions the %PDF-1.4 header.\n')).toBe('text/plain');
  });

  it('does not cut a UTF-8 character in half at the end of the 64 KiB sample', async () => {
    const text = `${'a'.repeat(64 * 1024 - 1)}ж${'b'.repeat(100)}`;
    expect(await sniffBytes(text)).toBe('text/plain');
  });

  it('takes text full of control characters for binary', async () => {
    const bytes = Buffer.from('Mostly text '.repeat(20));
    for (let i = 0; i < bytes.length; i += 10) bytes[i] = 0x01;
    expect(await sniffBytes(bytes)).toBe('application/octet-stream');
  });
});

describe('describeType', () => {
  it('names types in words a user understands', () => {
    expect(describeType('application/zip')).toBe('a ZIP archive');
    expect(describeType('application/octet-stream')).toBe('unrecognised binary data');
    expect(describeType('audio/mpeg')).toBe('an audio file (audio/mpeg)');
    expect(describeType('application/x-sqlite3')).toBe('a file of type application/x-sqlite3');
  });
});
