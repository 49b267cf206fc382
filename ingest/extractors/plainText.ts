// Reads a plain text or Markdown file in whatever charset it was saved in, as one page.
import { readFile } from 'node:fs/promises';
import { byteOrderMarkEncoding, decodeText } from '../charset.ts';
import type { Extractor } from '../extraction.ts';

export const extractPlainText: Extractor = async (input) => {
  const base = { mime: input.mime, pages: [], children: [], warnings: [] };
  let bytes: Buffer;
  try {
    bytes = await readFile(input.path);
  } catch (error) {
    return {
      ...base,
      metadata: {},
      status: 'failed',
      reason: `The text file could not be read: ${(error as Error).message}`,
    };
  }

  if (!byteOrderMarkEncoding(bytes) && looksBinary(bytes)) {
    return {
      ...base,
      metadata: {},
      status: 'failed',
      reason: 'The file is not text: it holds binary data (control characters) that no charset explains.',
    };
  }
  const { text, encoding } = decodeText(bytes);
  const normalised = text.replace(/\r\n?/g, '\n');
  const metadata = { encoding };
  if (normalised.trim() === '') {
    return { ...base, metadata, status: 'empty', reason: 'The text file is empty.' };
  }
  return {
    ...base,
    metadata,
    status: 'extracted',
    pages: [{ number: 1, text: normalised, method: 'plain-text', confidence: null }],
  };
};

// UTF-16 aside (its BOM is checked first), text has tabs and line breaks but hardly any other control bytes; binary data is full of them (NUL most).
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 65536);
  let controls = 0;
  for (const byte of sample)
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) controls++;
  return controls > sample.length * 0.05;
}
