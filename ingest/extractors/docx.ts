// Reads a Word (.docx) document as text, one line per paragraph, heading or list item, split into pages
// where Word says a page starts (so a lawyer can cite "page 2" of an order as its recipient saw it).
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import type { ExtractionResult, Extractor } from '../extraction.ts';
import { splitAtPageMarks } from './pageMarks.ts';

// Old .doc files and password-protected .docx files are OLE compound files, not ZIP archives.
const COMPOUND_FILE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
// The stream an encrypted .docx keeps inside that compound file (names there are UTF-16LE).
const ENCRYPTED_PACKAGE_STREAM = Buffer.from('EncryptedPackage', 'utf16le');

// Where pages start: an explicit page break, and (in files Word saved) where its last layout began a
// page. Both run children are swapped for a marker mammoth keeps as text; the text is split there.
const PAGE_BREAK = /<w:br\b[^>]*\bw:type="page"[^>]*\/>|<w:lastRenderedPageBreak\s*\/>/g;
const PAGE_MARK = '\u2063page\u2063';

/** The document with page marks, or the bytes as they were when it has no page breaks. */
async function withPageMarks(zip: JSZip, bytes: Buffer): Promise<Buffer> {
  const part = zip.file('word/document.xml');
  if (!part) return bytes;
  const xml = await part.async('string');
  const marked = xml.replace(PAGE_BREAK, `<w:t>${PAGE_MARK}</w:t>`);
  if (marked === xml) return bytes;
  zip.file('word/document.xml', marked);
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** One line per non-empty paragraph. */
function pageText(raw: string): string {
  return raw
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .join('\n');
}

export const extractDocx: Extractor = async (input) => {
  const base = { mime: input.mime, pages: [], children: [], metadata: {}, warnings: [] as string[] };
  try {
    const bytes = await readFile(input.path);
    if (bytes.subarray(0, COMPOUND_FILE_SIGNATURE.length).equals(COMPOUND_FILE_SIGNATURE)) {
      return bytes.includes(ENCRYPTED_PACKAGE_STREAM)
        ? {
            ...base,
            status: 'encrypted',
            reason: 'The Word document is password-protected; remove the password and upload it again.',
          }
        : {
            ...base,
            status: 'unsupported',
            reason: 'The file is an old Word .doc file, not .docx; save it as .docx or PDF and upload that.',
          };
    }
    // Opened once here: for the page marks and the document's properties.
    const zip = await JSZip.loadAsync(bytes);
    const { value, messages } = await mammoth.extractRawText({ buffer: await withPageMarks(zip, bytes) });
    // Raw text warnings are about styles the text does not depend on; errors mean lost content.
    const warnings = messages.filter((message) => message.type === 'error').map((message) => message.message);
    const pageTexts = splitAtPageMarks(value, PAGE_MARK, pageText);

    const metadata = await coreProperties(zip);
    const result = { ...base, metadata, warnings };
    if (pageTexts.every((page) => page === '')) {
      return {
        ...result,
        status: 'empty',
        reason: 'The Word document contains no text (it may hold only images).',
      };
    }
    return {
      ...result,
      status: 'extracted',
      pages: pageTexts.map((pageText, index) => ({
        number: index + 1,
        text: pageText,
        method: 'docx' as const,
        confidence: null,
      })),
    } satisfies ExtractionResult;
  } catch (error) {
    return { ...base, status: 'failed', reason: `The Word document could not be read: ${describe(error)}` };
  }
};

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/zip|central directory|signature/i.test(message))
    return 'the file is damaged or truncated (not a valid ZIP).';
  if (/main document part/i.test(message)) return 'the archive holds no Word document (word/document.xml).';
  return message;
}

/** Title, author and dates from docProps/core.xml, when the document has them. */
async function coreProperties(zip: JSZip): Promise<Record<string, unknown>> {
  const xml = await zip.file('docProps/core.xml')?.async('string');
  if (!xml) return {};
  // Word writes these elements flat, one text value each, always with the same prefixes.
  const field = (name: string) => {
    const value = new RegExp(`<(?:\\w+:)?${name}\\b[^>]*>([^<]*)<`).exec(xml)?.[1]?.trim();
    return value ? decodeXmlEntities(value) : undefined;
  };
  const properties = {
    title: field('title'),
    author: field('creator'),
    created: field('created'),
    modified: field('modified'),
  };
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
}

function decodeXmlEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, name: string) => {
    if (name[0] !== '#') return named[name] ?? entity;
    const code =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}
