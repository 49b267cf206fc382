// Reads an e-mail (.eml): its headers and body become page 1, its attachments are written out as children.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import type { ExtractedChild, ExtractionResult, Extractor } from '../extraction.ts';

// Logos and signature pictures embedded in an HTML body are small; a scanned letter pasted into it is not.
const DECORATION_MAX_BYTES = 32 * 1024;
// Most file systems allow 255 bytes; a Cyrillic letter takes two.
const FILENAME_MAX_BYTES = 200;

const EXTENSIONS: Record<string, string> = {
  'message/rfc822': '.eml',
  'application/pdf': '.pdf',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.oasis.opendocument.text': '.odt',
  'text/plain': '.txt',
  'text/html': '.html',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/tiff': '.tif',
};

export const extractEmail: Extractor = async (input) => {
  const warnings: string[] = [];
  const base = { mime: input.mime, pages: [], children: [], metadata: {}, warnings };
  let mail: ParsedMail;
  try {
    const bytes = await readFile(input.path);
    if (bytes.length === 0) return { ...base, status: 'empty', reason: 'The e-mail file is empty.' };
    // HTML is converted by our own reader (headings keep their case), not mailparser's.
    mail = await simpleParser(bytes, { skipHtmlToText: true, skipTextToHtml: true, keepCidLinks: true });
  } catch (error) {
    return {
      ...base,
      status: 'failed',
      reason: `The e-mail could not be parsed: ${(error as Error).message}`,
    };
  }

  const metadata = headerMetadata(mail, warnings);
  const body = await bodyText(mail);
  const attachments = mail.attachments.filter((attachment) => !isDecoration(attachment, mail));
  const { children, failures } = await writeAttachments(attachments, input.workDir);
  const reason =
    failures.length > 0 ? `Attachments that could not be saved: ${failures.join('; ')}` : undefined;

  if (!body && attachments.length === 0) {
    const hasHeaders = Object.keys(metadata).length > 0;
    return {
      ...base,
      metadata,
      status: 'empty',
      reason: hasHeaders
        ? 'The e-mail has no text and no attachments.'
        : 'The file holds no e-mail: no headers, no text and no attachments.',
    };
  }
  const text = [headerBlock(metadata), body].filter(Boolean).join('\n\n');
  return {
    ...base,
    metadata,
    children,
    status: reason ? 'partial' : 'extracted',
    ...(reason ? { reason } : {}),
    pages: [{ number: 1, text, method: 'email', confidence: null }],
  } satisfies ExtractionResult;
};

function addressText(addresses: AddressObject | AddressObject[] | undefined): string | undefined {
  if (!addresses) return undefined;
  const text = [addresses].flat().map((address) => address.text);
  return text.join(', ') || undefined;
}

function headerMetadata(mail: ParsedMail, warnings: string[]): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    from: addressText(mail.from),
    to: addressText(mail.to),
    cc: addressText(mail.cc),
    date: sentDate(mail, warnings),
    subject: mail.subject,
    messageId: mail.messageId,
  };
  return Object.fromEntries(
    Object.entries(metadata).filter(([, value]) => value !== undefined && value !== ''),
  );
}

/** The Date header as an ISO string. mailparser turns a date it cannot read into "now", so it is re-read here. */
function sentDate(mail: ParsedMail, warnings: string[]): string | undefined {
  const line = mail.headerLines.find((header) => header.key === 'date')?.line;
  if (!line) return undefined;
  const value = line.slice(line.indexOf(':') + 1).trim();
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    warnings.push(`The e-mail's Date header could not be read: "${value}".`);
    return undefined;
  }
  return date.toISOString();
}

function headerBlock(metadata: Record<string, unknown>): string {
  const labels: [string, string][] = [
    ['From', 'from'],
    ['To', 'to'],
    ['Cc', 'cc'],
    ['Date', 'date'],
    ['Subject', 'subject'],
  ];
  return labels
    .filter(([, key]) => typeof metadata[key] === 'string')
    .map(([label, key]) => `${label}: ${metadata[key] as string}`)
    .join('\n');
}

/** The plain text body, or the HTML body made readable when the message has no plain text. */
async function bodyText(mail: ParsedMail): Promise<string> {
  let text = mail.text?.trim() ? mail.text : '';
  if (!text && typeof mail.html === 'string' && mail.html.trim()) {
    const { htmlToText } = await import('./html.ts');
    text = htmlToText(mail.html);
  }
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

function isDecoration(attachment: Attachment, mail: ParsedMail): boolean {
  if (!attachment.contentType.startsWith('image/') || attachment.size > DECORATION_MAX_BYTES) return false;
  const html = typeof mail.html === 'string' ? mail.html : '';
  return Boolean(attachment.related || (attachment.cid && html.includes(`cid:${attachment.cid}`)));
}

/** Writes each attachment into the work folder; one that cannot be written does not stop the others. */
async function writeAttachments(
  attachments: Attachment[],
  workDir: string,
): Promise<{ children: ExtractedChild[]; failures: string[] }> {
  const taken = new Set((await readdir(workDir).catch(() => [])).map((name) => name.toLowerCase()));
  const children: ExtractedChild[] = [];
  const failures: string[] = [];
  for (const [index, attachment] of attachments.entries()) {
    const filename = uniqueName(safeFilename(attachment, index), taken);
    const childPath = path.join(workDir, filename);
    try {
      await writeFile(childPath, attachment.content, { flag: 'wx' });
      children.push({ filename, path: childPath, declaredMime: attachment.contentType });
    } catch (error) {
      failures.push(`${filename} (${(error as Error).message})`);
    }
  }
  return { children, failures };
}

/** The attachment's own name without folders, hidden-file dots or characters file systems refuse. */
function safeFilename(attachment: Attachment, index: number): string {
  const name = (attachment.filename ?? '')
    .split(/[/\\]/)
    .pop()!
    .normalize('NFC')
    .replace(/[\p{Cc}<>:"|?*]/gu, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  const safe = name || `attachment-${index + 1}${EXTENSIONS[attachment.contentType] ?? '.bin'}`;
  if (Buffer.byteLength(safe) <= FILENAME_MAX_BYTES) return safe;
  const extension = path.extname(safe).slice(0, 16);
  let stem = safe.slice(0, safe.length - extension.length);
  while (Buffer.byteLength(stem + extension) > FILENAME_MAX_BYTES) stem = [...stem].slice(0, -1).join('');
  return stem + extension;
}

/** `name`, or `name (2)`, `name (3)`… when an earlier attachment (or file in the folder) took it. */
function uniqueName(name: string, taken: Set<string>): string {
  const extension = path.extname(name);
  const stem = name.slice(0, name.length - extension.length);
  let candidate = name;
  for (let copy = 2; taken.has(candidate.toLowerCase()); copy++) candidate = `${stem} (${copy})${extension}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
