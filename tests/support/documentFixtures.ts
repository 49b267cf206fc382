// Builds the documents the extractor tests read (e-mails, Word and ODT files, HTML, plain text) from text
// written here, so the tests mean something without the shared corpus.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_LIMITS, type ExtractionInput } from '../../ingest/extraction.ts';

export const RUSSIAN_SUBJECT = 'Требование об удалении недостоверной информации';
// Only characters KOI8-R can encode too (it has no « »), so every charset variant decodes to this exactly.
export const RUSSIAN_BODY =
  'Уважаемая редакция!\nПрошу удалить статью "Ёлки-палки" в течение суток.\nС уважением, ведомство.';
export const KAZAKH_TEXT = 'Қазақстан Республикасының ақпарат және қоғамдық даму министрлігі';
export const CYRILLIC_ATTACHMENT_NAME = 'Предписание №1.pdf';

/**
 * A folder of the shared corpus of real documents (../shared/corpus beside the project), and whether it is
 * there. A fresh clone has no ../shared: the caller skips its corpus tests, and this says so loudly.
 */
export function corpusFolder(relative: string): { dir: string; present: boolean } {
  const dir = fileURLToPath(new URL(`../../../shared/corpus/${relative}`, import.meta.url));
  const present = existsSync(dir);
  if (!present) console.warn(`Corpus folder ${dir} is absent: its tests are SKIPPED (CI always has it).`);
  return { dir, present };
}

/** A scratch folder holding one input file and the extractor's work directory; `remove()` cleans up. */
export interface Scratch {
  folder: string;
  /** Writes `bytes` into the folder and returns the extraction input for them, with a work dir of its own. */
  inputFor(filename: string, bytes: Uint8Array, mime: string): Promise<ExtractionInput>;
  remove(): Promise<void>;
}

async function createScratch(): Promise<Scratch> {
  const folder = await mkdtemp(path.join(tmpdir(), 'extraction-test-'));
  let inputs = 0;
  return {
    folder,
    async inputFor(filename, bytes, mime) {
      inputs += 1;
      const filePath = path.join(folder, `${inputs}-${filename}`);
      const workDir = await mkdtemp(path.join(folder, 'work-'));
      await writeFile(filePath, bytes);
      return { path: filePath, mime, filename, ocrLanguages: 'kaz+rus+eng', workDir, limits: DEFAULT_LIMITS };
    },
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}

/** A scratch folder for the calling test file: created before its tests run, removed after them. */
export function useScratch(): Scratch {
  let scratch: Scratch | undefined;
  beforeAll(async () => {
    scratch = await createScratch();
  });
  afterAll(() => scratch?.remove());
  const current = () => {
    if (!scratch) throw new Error('the scratch folder exists only while the tests run');
    return scratch;
  };
  return {
    get folder() {
      return current().folder;
    },
    inputFor: (filename, bytes, mime) => current().inputFor(filename, bytes, mime),
    remove: () => current().remove(),
  };
}

// ---- E-mail -------------------------------------------------------------------------------------------

/** An RFC 2047 encoded word, the way mail clients put non-ASCII text into headers. */
export function encodedWord(text: string, charset: string, kind: 'B' | 'Q'): string {
  const bytes = iconv.encode(text, charset);
  const payload =
    kind === 'B'
      ? bytes.toString('base64')
      : [...bytes]
          .map((byte) =>
            /[A-Za-z0-9]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `=${hex(byte)}`,
          )
          .join('');
  return `=?${charset}?${kind}?${payload}?=`;
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

interface MimePart {
  headers: string[];
  body: Buffer;
}

function mimeBytes(part: MimePart): Buffer {
  return Buffer.concat([Buffer.from(`${part.headers.join('\r\n')}\r\n\r\n`, 'latin1'), part.body]);
}

function multipart(subtype: string, boundary: string, parts: MimePart[], headers: string[] = []): MimePart {
  const chunks = parts.flatMap((part) => [
    Buffer.from(`--${boundary}\r\n`),
    mimeBytes(part),
    Buffer.from('\r\n'),
  ]);
  return {
    headers: [...headers, `Content-Type: multipart/${subtype}; boundary="${boundary}"`],
    body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]),
  };
}

function base64Lines(bytes: Uint8Array): Buffer {
  return Buffer.from(Buffer.from(bytes).toString('base64').replace(/.{76}/g, '$&\r\n'), 'latin1');
}

function quotedPrintable(bytes: Uint8Array): Buffer {
  const lines = [''];
  for (const byte of bytes) {
    if (byte === 0x0a) {
      lines.push('');
      continue;
    }
    const token = byte >= 0x21 && byte <= 0x7e && byte !== 0x3d ? String.fromCharCode(byte) : `=${hex(byte)}`;
    // A soft line break ("=" at the end) keeps lines under 76 characters.
    if (lines.at(-1)!.length + token.length > 73) {
      lines[lines.length - 1] += '=';
      lines.push('');
    }
    lines[lines.length - 1] += token;
  }
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

const COMMON_HEADERS = [
  `From: ${encodedWord('Роскомнадзор', 'UTF-8', 'B')} <zapret@example.ru>`,
  'To: Editor <editor@example.org>, news@example.org',
  'Cc: lawyer@example.org',
  'Date: Tue, 14 May 2019 10:22:05 +0300',
  'MIME-Version: 1.0',
];

/** UTF-8 body, subject as a base64 encoded word. */
export function utf8Email(): Buffer {
  return mimeBytes({
    headers: [
      ...COMMON_HEADERS,
      `Subject: ${encodedWord(RUSSIAN_SUBJECT, 'UTF-8', 'B')}`,
      'Message-ID: <utf8-1@example.ru>',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
    ],
    body: base64Lines(Buffer.from(`${RUSSIAN_BODY}\n${KAZAKH_TEXT}\n`)),
  });
}

/** A KOI8-R body sent as raw 8-bit bytes, subject as a KOI8-R quoted-printable encoded word. */
export function koi8rEmail(): Buffer {
  return mimeBytes({
    headers: [
      ...COMMON_HEADERS,
      `Subject: ${encodedWord(RUSSIAN_SUBJECT, 'KOI8-R', 'Q')}`,
      'Message-ID: <koi8-1@example.ru>',
      'Content-Type: text/plain; charset=KOI8-R',
      'Content-Transfer-Encoding: 8bit',
    ],
    body: iconv.encode(`${RUSSIAN_BODY}\n`, 'koi8-r'),
  });
}

/** A windows-1251 body in quoted-printable, subject as a windows-1251 base64 encoded word. */
export function windows1251Email(): Buffer {
  return mimeBytes({
    headers: [
      ...COMMON_HEADERS,
      `Subject: ${encodedWord(RUSSIAN_SUBJECT, 'windows-1251', 'B')}`,
      'Message-ID: <cp1251-1@example.ru>',
      'Content-Type: text/plain; charset="windows-1251"',
      'Content-Transfer-Encoding: quoted-printable',
    ],
    body: quotedPrintable(iconv.encode(`${RUSSIAN_BODY}\n`, 'windows-1251')),
  });
}

/** Only an HTML body: the extractor has to turn it into readable text. */
export function htmlOnlyEmail(): Buffer {
  const html = `<html><body><h1>${RUSSIAN_SUBJECT}</h1><p>Первый абзац.</p><p>${KAZAKH_TEXT}</p></body></html>`;
  return mimeBytes({
    headers: [
      ...COMMON_HEADERS,
      'Subject: HTML only',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
    ],
    body: base64Lines(Buffer.from(html)),
  });
}

/** The bytes of the attachments in {@link emailWithAttachments}, to compare with what was written. */
export const ATTACHMENT_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
export const ATTACHMENT_TEXT = Buffer.from('not a password file\n');
const LOGO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A letter with a logo embedded in its HTML (decoration, not an attachment), a PDF under a Cyrillic
 * name (twice, to force a unique name), a Word file, a forwarded message and two hostile file names.
 */
export async function emailWithAttachments(): Promise<{ email: Buffer; docx: Buffer }> {
  const docx = await buildDocx([{ text: KAZAKH_TEXT }]);
  const body = multipart('alternative', 'alt-boundary', [
    { headers: ['Content-Type: text/plain; charset=utf-8'], body: Buffer.from(`${RUSSIAN_BODY}\n`) },
    {
      headers: ['Content-Type: text/html; charset=utf-8'],
      body: Buffer.from(`<p>${RUSSIAN_BODY}</p><img src="cid:logo@example.ru">`),
    },
  ]);
  const related = multipart('related', 'rel-boundary', [
    body,
    {
      headers: [
        'Content-Type: image/png',
        'Content-Disposition: inline; filename="logo.png"',
        'Content-ID: <logo@example.ru>',
        'Content-Transfer-Encoding: base64',
      ],
      body: base64Lines(LOGO_PNG),
    },
  ]);
  const pdfPart = (): MimePart => ({
    headers: [
      'Content-Type: application/pdf',
      `Content-Disposition: attachment; filename*=UTF-8''${encodeURIComponent(CYRILLIC_ATTACHMENT_NAME)}`,
      'Content-Transfer-Encoding: base64',
    ],
    body: base64Lines(ATTACHMENT_PDF),
  });
  const message = multipart(
    'mixed',
    'mixed-boundary',
    [
      related,
      pdfPart(),
      pdfPart(),
      {
        headers: [
          'Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          'Content-Disposition: attachment; filename="letter.docx"',
          'Content-Transfer-Encoding: base64',
        ],
        body: base64Lines(docx),
      },
      {
        headers: [
          'Content-Type: message/rfc822',
          'Content-Disposition: attachment; filename="forwarded.eml"',
        ],
        body: koi8rEmail(),
      },
      {
        headers: [
          'Content-Type: text/plain; charset=utf-8',
          'Content-Disposition: attachment; filename="../../etc/passwd"',
        ],
        body: ATTACHMENT_TEXT,
      },
      {
        headers: ['Content-Type: application/pdf', 'Content-Disposition: attachment; filename=".."'],
        body: ATTACHMENT_PDF,
      },
    ],
    [
      ...COMMON_HEADERS,
      `Subject: ${encodedWord(RUSSIAN_SUBJECT, 'UTF-8', 'Q')}`,
      'Message-ID: <mixed-1@example.ru>',
    ],
  );
  return { email: mimeBytes(message), docx };
}

// ---- Word and OpenDocument ----------------------------------------------------------------------------

export interface FixtureParagraph {
  text: string;
  kind?: 'heading' | 'list-item';
  /**
   * The paragraph starts a page: by an explicit break, where Word's last layout put a page break, or
   * both (what Word saves after an explicit break).
   */
  newPage?: 'break' | 'rendered' | 'both';
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A minimal but valid DOCX: content types, relationships, the document and its core properties. */
export async function buildDocx(paragraphs: FixtureParagraph[], title = 'Предписание'): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
  <Default Extension="xml" ContentType="application/xml"/>
  <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
  <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
  <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`,
  );
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
  <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`,
  );
  const body = paragraphs
    .map((paragraph) => {
      const properties =
        paragraph.kind === 'heading'
          ? '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
          : paragraph.kind === 'list-item'
            ? '<w:pPr><w:pStyle w:val="ListParagraph"/></w:pPr>'
            : '';
      const breakRun =
        paragraph.newPage === 'break' || paragraph.newPage === 'both'
          ? '<w:r><w:br w:type="page"/></w:r>'
          : '';
      const rendered =
        paragraph.newPage === 'rendered' || paragraph.newPage === 'both' ? '<w:lastRenderedPageBreak/>' : '';
      return `<w:p>${properties}${breakRun}<w:r>${rendered}<w:t xml:space="preserve">${escapeXml(paragraph.text)}</w:t></w:r></w:p>`;
    })
    .join('');
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  zip.file(
    'word/_rels/document.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`,
  );
  zip.file(
    'word/styles.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
  <w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>
</w:styles>`,
  );
  zip.file(
    'docProps/core.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <dc:title>${escapeXml(title)}</dc:title>
  <dc:creator>Министерство информации</dc:creator>
  <dcterms:created xsi:type="dcterms:W3CDTF">2021-03-04T09:00:00Z</dcterms:created>
</cp:coreProperties>`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/**
 * A minimal but valid ODT. Besides plain paragraphs it uses the markup that hides text from a naive
 * reader: collapsed spaces (<text:s>), tabs, line breaks, a list, a table and a soft page break.
 */
export async function buildOdt(paragraphs: FixtureParagraph[], title = 'Предписание'): Promise<Buffer> {
  const zip = new JSZip();
  // The ODF spec wants "mimetype" first and uncompressed, so that a sniffer finds it at a fixed offset.
  zip.file('mimetype', 'application/vnd.oasis.opendocument.text', { compression: 'STORE' });
  zip.file(
    'META-INF/manifest.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
  <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
  <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
  <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`,
  );
  const body = paragraphs
    .map((paragraph) => {
      const text = escapeXml(paragraph.text);
      // A break by style: the paragraph's automatic style inherits fo:break-before="page" from a named one.
      const style =
        paragraph.newPage === 'break' || paragraph.newPage === 'both' ? ' text:style-name="P1"' : '';
      const soft =
        paragraph.newPage === 'rendered' || paragraph.newPage === 'both' ? '<text:soft-page-break/>' : '';
      if (paragraph.kind === 'heading')
        return `${soft}<text:h text:outline-level="1"${style}>${text}</text:h>`;
      if (paragraph.kind === 'list-item') {
        return `${soft}<text:list><text:list-item><text:p${style}>${text}</text:p></text:list-item></text:list>`;
      }
      return `${soft}<text:p${style}>${text}</text:p>`;
    })
    .join('\n');
  zip.file(
    'content.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.3">
<office:automatic-styles><style:style style:name="P1" style:family="paragraph" style:parent-style-name="New_20_page"/></office:automatic-styles>
<office:body><office:text>
${body}
<text:p>Статья<text:s text:c="3"/>29<text:tab/>Конституции<text:line-break/>вторая строка</text:p>
<text:soft-page-break/>
<table:table table:name="Реестр"><table:table-row><table:table-cell><text:p>№ 1</text:p></table:table-cell><table:table-cell><text:p>https://example.kz/news/1</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>`,
  );
  zip.file(
    'styles.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
<office:styles><style:style style:name="New_20_page" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style></office:styles>
</office:document-styles>`,
  );
  zip.file(
    'meta.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3">
<office:meta><dc:title>${escapeXml(title)}</dc:title><meta:initial-creator>Министерство информации</meta:initial-creator><meta:creation-date>2021-03-04T09:00:00</meta:creation-date></office:meta>
</office:document-meta>`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The first part of a file, as a broken download leaves it. */
export function truncated(bytes: Buffer, keep = 0.5): Buffer {
  return bytes.subarray(0, Math.floor(bytes.length * keep));
}

// ---- HTML and plain text ------------------------------------------------------------------------------

// Russian only, so that windows-1251 and KOI8-R pages can carry them; Kazakh letters need Unicode.
export const ARTICLE_PARAGRAPHS = [
  'Министерство информации потребовало удалить публикацию о закупках.',
  'Письмо за подписью заместителя министра пришло в редакцию в понедельник.',
  'Редакция отказалась выполнить требование и обратилась к юристам.',
];

/**
 * A news article page with navigation, a comment form and a script around the article, meta tags for
 * title, canonical URL, publication time and site name. `head` lets a test declare a charset;
 * `resourceUrl` is where its stylesheet, scripts, image and frame would be fetched from.
 */
export function articleHtml(
  options: { head?: string; resourceUrl?: string; paragraphs?: string[] } = {},
): string {
  const resource = options.resourceUrl ?? 'http://127.0.0.1:9/unreachable';
  return `<!DOCTYPE html>
<html lang="ru"><head>${options.head ?? ''}
<title>Требование удалить статью — Вести Степи</title>
<link rel="canonical" href="https://news.example.kz/2021/03/trebovanie">
<meta property="og:url" content="https://news.example.kz/og-url">
<meta property="og:site_name" content="Вести Степи">
<meta property="article:published_time" content="2021-03-04T12:30:00+06:00">
<link rel="stylesheet" href="${resource}/style.css">
<script src="${resource}/script.js"></script>
<script>document.title = 'SCRIPT RAN'; document.body && (document.body.innerHTML = 'SCRIPT RAN');</script>
</head><body>
<nav><a href="/">Главная</a> <a href="/politics">Политика</a> <a href="/economy">Экономика</a></nav>
<article><h1>Требование удалить статью</h1>
${(options.paragraphs ?? ARTICLE_PARAGRAPHS).map((paragraph) => `<p>${paragraph} ${'Подробности дела описаны ниже, со ссылками на документы. '.repeat(3)}</p>`).join('\n')}
<img src="${resource}/photo.jpg" alt="Письмо">
<iframe src="${resource}/frame.html"></iframe>
</article>
<footer>© Вести Степи</footer>
</body></html>`;
}

/** Text in a legacy code page, as an old Russian or Kazakh file would hold it. */
export function encodeText(text: string, encoding: string): Buffer {
  return iconv.encode(text, encoding);
}
