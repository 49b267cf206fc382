// Tells a file's type from its bytes alone (never its name or the uploader's word), and names types for users.
import { open, stat } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';

export interface SniffedType {
  mime: string;
}

const TEXT_SAMPLE_BYTES = 64 * 1024;
/** More control characters than this share means binary data, whatever the decoder says. */
const MAX_CONTROL_SHARE = 0.01;
/** In single-byte text most bytes above 0x7F must be letters (Cyrillic in cp1251/KOI8-R, accented Latin). */
const MIN_HIGH_LETTER_SHARE = 0.8;

const EMAIL_HEADERS = new Set([
  'received',
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'mime-version',
  'message-id',
  'return-path',
  'content-type',
  'content-transfer-encoding',
  'reply-to',
  'sender',
  'delivered-to',
  'in-reply-to',
  'references',
  'x-mailer',
  'dkim-signature',
  'authentication-results',
]);

async function readStart(path: string, bytes: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

async function readEnd(path: string, size: number, bytes: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const length = Math.min(bytes, size);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, size - length);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function isControl(byte: number): boolean {
  // Tab, line feed, vertical tab, form feed, carriage return and escape occur in real text files.
  return (byte < 0x20 && ![0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b].includes(byte)) || byte === 0x7f;
}

function decodeUtf8(sample: Buffer): string | undefined {
  try {
    // `stream` tolerates a character cut in half at the end of the sample.
    return new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return undefined;
  }
}

/** Bytes 0xC0–0xFF are letters in cp1251, KOI8-R and Latin-1 alike; Ё/ё sit at 0xA8/0xB8 or 0xA3/0xB3. */
function looksLikeSingleByteText(sample: Buffer): boolean {
  let high = 0;
  let letters = 0;
  for (const byte of sample) {
    if (byte < 0x80) continue;
    high++;
    if (byte >= 0xc0 || [0xa3, 0xa8, 0xb3, 0xb8].includes(byte)) letters++;
  }
  return high === 0 || letters / high >= MIN_HIGH_LETTER_SHARE;
}

/** UTF-16 text with its byte-order mark; undefined for anything else (or binary data behind such bytes). */
function utf16Text(sample: Buffer): string | undefined {
  const encoding =
    sample[0] === 0xff && sample[1] === 0xfe
      ? 'utf-16le'
      : sample[0] === 0xfe && sample[1] === 0xff
        ? 'utf-16be'
        : undefined;
  if (!encoding) return undefined;
  const text = new TextDecoder(encoding).decode(sample);
  const controls = [...text].filter((char) => isControl(char.charCodeAt(0)) || char === '\0').length;
  return controls / text.length <= MAX_CONTROL_SHARE ? text : undefined;
}

/** The sample as text, or undefined when it looks binary. */
function sampleAsText(sample: Buffer): string | undefined {
  if (sample.includes(0)) return undefined;
  const controls = sample.reduce((count, byte) => count + (isControl(byte) ? 1 : 0), 0);
  if (controls / sample.length > MAX_CONTROL_SHARE) return undefined;
  const utf8 = decodeUtf8(sample);
  if (utf8 !== undefined) return utf8;
  return looksLikeSingleByteText(sample) ? sample.toString('latin1') : undefined;
}

/**
 * PDF readers accept a header anywhere in the first KiB, and even none when the file still has object
 * syntax and a cross-reference pointer: such damaged PDFs should fail as PDFs, not as "unknown data".
 * Any two of the three signs are needed, so a text that merely mentions "%PDF-1.4" stays text.
 */
async function looksLikePdf(path: string, size: number, sample: Buffer): Promise<boolean> {
  const start = sample.subarray(0, 1024).toString('latin1');
  const end = (await readEnd(path, size, 1024)).toString('latin1');
  const signs = [/%PDF-\d/.test(start), /\d+\s+\d+\s+obj\b/.test(start), /startxref|%%EOF/.test(end)];
  return signs.filter(Boolean).length >= 2;
}

export function looksLikeHtml(text: string): boolean {
  const start = text
    .replace(/^\uFEFF/, '')
    .replace(/^(\s|<!--[\s\S]*?-->|<\?xml[^>]*\?>)*/, '')
    .slice(0, 20)
    .toLowerCase();
  return ['<!doctype html', '<html', '<head', '<body'].some((tag) => start.startsWith(tag));
}

/** A header block at the very top (an mbox "From " line allowed first) naming at least two mail headers. */
export function looksLikeEmail(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.startsWith('From ')) lines.shift();
  const names = new Set<string>();
  let headerLines = 0;
  for (const line of lines) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && headerLines > 0) continue;
    const name = /^([A-Za-z0-9-]+):/.exec(line)?.[1];
    if (!name) return false;
    headerLines++;
    if (EMAIL_HEADERS.has(name.toLowerCase())) names.add(name.toLowerCase());
  }
  return names.size >= 2;
}

export async function sniffType(path: string): Promise<SniffedType> {
  const { size } = await stat(path);
  if (size === 0) return { mime: 'application/x-empty' };
  const sample = await readStart(path, TEXT_SAMPLE_BYTES);
  // Before file-type, which takes the UTF-16LE byte-order mark (FF FE) for an MPEG audio frame.
  const unicodeText = utf16Text(sample);
  if (unicodeText !== undefined) return { mime: textType(unicodeText) };
  const binary = await fileTypeFromFile(path);
  if (binary) return { mime: binary.mime };
  if (await looksLikePdf(path, size, sample)) return { mime: 'application/pdf' };
  // A mail's header block is ASCII, but its parts may be 8-bit text in several charsets at once,
  // which no single decoding accepts: recognise the headers before judging the bytes as text.
  if (!sample.includes(0) && looksLikeEmail(sample.toString('latin1'))) return { mime: 'message/rfc822' };
  const text = sampleAsText(sample);
  return { mime: text === undefined ? 'application/octet-stream' : textType(text) };
}

function textType(text: string): string {
  if (looksLikeHtml(text)) return 'text/html';
  if (looksLikeEmail(text)) return 'message/rfc822';
  return 'text/plain';
}

const TYPE_NAMES: Record<string, string> = {
  'application/octet-stream': 'unrecognised binary data',
  'application/x-empty': 'an empty file',
  'application/pdf': 'a PDF',
  'application/zip': 'a ZIP archive',
  'application/gzip': 'a gzip archive',
  'application/x-tar': 'a tar archive',
  'application/x-rar-compressed': 'a RAR archive',
  'application/vnd.rar': 'a RAR archive',
  'application/x-7z-compressed': 'a 7-Zip archive',
  'application/x-cfb': 'an old Microsoft Office document (.doc, .xls or .ppt)',
  'application/msword': 'an old Word document (.doc)',
  'application/rtf': 'an RTF document',
  'application/epub+zip': 'an e-book (EPUB)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'an Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'a PowerPoint presentation',
  'application/vnd.oasis.opendocument.spreadsheet': 'an OpenDocument spreadsheet',
  'application/vnd.oasis.opendocument.presentation': 'an OpenDocument presentation',
  'application/x-elf': 'a program (Linux executable)',
  'application/x-msdownload': 'a program (Windows executable)',
  'image/gif': 'a GIF image',
  'image/svg+xml': 'an SVG drawing',
  'message/rfc822': 'an e-mail',
  'text/html': 'a web page',
  'text/plain': 'a text file',
};

/** The type in plain words for a user: "a ZIP archive", "an audio file (audio/mpeg)". */
export function describeType(mime: string): string {
  const name = TYPE_NAMES[mime];
  if (name) return name;
  const kind = mime.split('/')[0];
  if (kind === 'audio') return `an audio file (${mime})`;
  if (kind === 'video') return `a video file (${mime})`;
  if (kind === 'image') return `an image in a format we cannot read (${mime})`;
  return `a file of type ${mime}`;
}

/** Why a file of this type gets no text: "This file is a ZIP archive, which is not a type …". */
export function unsupportedReason(mime: string): string {
  return `This file is ${describeType(mime)}, which is not a type the archive can read text from`;
}

/** How messages refer to a file of this type: "The PDF could not be read: …". */
export function fileNoun(mime: string): string {
  if (mime === 'application/pdf') return 'The PDF';
  if (mime.startsWith('image/')) return 'The image';
  if (mime === 'message/rfc822') return 'The e-mail';
  if (mime.includes('wordprocessingml')) return 'The Word document';
  if (mime.includes('opendocument')) return 'The OpenDocument file';
  if (mime === 'text/html') return 'The web page';
  if (mime.startsWith('text/')) return 'The text file';
  return 'The file';
}
