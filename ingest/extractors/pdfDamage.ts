// Tells whether a PDF is damaged, from pdf.js's repair warnings and from compressed streams that do not
// decompress: pdf.js reads around a damaged stream silently, so a broken file would otherwise look whole.
import { constants, inflateSync } from 'node:zlib';

export interface StreamCheck {
  checked: number;
  damaged: number;
}

/** Streams larger than this are not checked: big ones are images, slow to inflate and read by pdf.js anyway. */
const MAX_STREAM_BYTES = 8 * 1024 * 1024;
/** A bound on the work for one file. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
/** How far before `stream` its dictionary may start. */
const DICTIONARY_WINDOW = 4096;

// pdf.js warns (and carries on) when it has to repair a file; these warnings mean the file is damaged.
const DAMAGE_WARNING =
  /Indexing all PDF objects|XRef|Invalid stream|FCHECK|endstream|endobj|trying to recover|Invalid "Pages"|Illegal character/i;

const STREAM = Buffer.from('stream');
const END_STREAM = Buffer.from('endstream');
const SINGLE_FILTER = /\/Filter\s*(?:\[\s*)?\/(FlateDecode|Fl|LZWDecode|LZW)\b\s*(\])?/;

type Filter = 'flate' | 'lzw';

function filterOf(dictionary: string): Filter | undefined {
  const match = SINGLE_FILTER.exec(dictionary);
  if (!match) return undefined;
  // A chain of filters ([/A85 /Fl]) would need the others applied first: not checked.
  if (/\/Filter\s*\[[^\]]*\/\w+[^\]]*\/\w+/.test(dictionary)) return undefined;
  return match[1]?.startsWith('F') ? 'flate' : 'lzw';
}

function inflates(data: Buffer): boolean {
  try {
    // A sync flush accepts a stream cut short; only data that is not deflate at all throws.
    inflateSync(data, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_INFLATED_BYTES });
    return true;
  } catch (error) {
    return error instanceof RangeError; // over the output bound: too big to check, not damaged
  }
}

/** Walks the LZW code sequence as a decoder would; a code beyond the table means the data is corrupt. */
function lzwCodesValid(data: Buffer, earlyChange: number): boolean {
  let bitBuffer = 0;
  let bitCount = 0;
  let width = 9;
  let nextCode = 258;
  let afterClear = true;
  for (const byte of data) {
    bitBuffer = ((bitBuffer << 8) | byte) & 0xffffff;
    bitCount += 8;
    while (bitCount >= width) {
      const code = (bitBuffer >> (bitCount - width)) & ((1 << width) - 1);
      bitCount -= width;
      if (code === 256) {
        width = 9;
        nextCode = 258;
        afterClear = true;
        continue;
      }
      if (code === 257) return true;
      if (afterClear) {
        if (code > 255) return false;
        afterClear = false;
        continue;
      }
      if (code > nextCode) return false;
      if (nextCode < 4096) nextCode++;
      if (nextCode + earlyChange >= 1 << width && width < 12) width++;
    }
  }
  return true;
}

function streamData(pdf: Buffer, dataStart: number, dictionary: string): Buffer | undefined {
  const declared = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dictionary);
  if (declared) {
    const end = dataStart + Number(declared[1]);
    const after = pdf.subarray(end, end + 16).toString('latin1');
    if (/^\s*endstream/.test(after)) return pdf.subarray(dataStart, end);
  }
  const end = pdf.indexOf(END_STREAM, dataStart);
  if (end < 0) return undefined;
  let trimmed = end;
  if (pdf[trimmed - 1] === 0x0a) trimmed--;
  if (pdf[trimmed - 1] === 0x0d) trimmed--;
  return pdf.subarray(dataStart, trimmed);
}

/** Not for encrypted files: their streams are ciphertext until pdf.js decrypts them. */
export function checkPdfStreams(pdf: Buffer): StreamCheck {
  const result: StreamCheck = { checked: 0, damaged: 0 };
  let totalBytes = 0;
  for (let at = pdf.indexOf(STREAM); at >= 0; at = pdf.indexOf(STREAM, at + STREAM.length)) {
    if (pdf.subarray(Math.max(0, at - 3), at).toString('latin1') === 'end') continue;
    let dataStart = at + STREAM.length;
    if (pdf[dataStart] === 0x0d) dataStart++;
    if (pdf[dataStart] === 0x0a) dataStart++;
    else if (pdf[dataStart - 1] !== 0x0d) continue; // "stream" inside some other word or string
    const before = pdf.subarray(Math.max(0, at - DICTIONARY_WINDOW), at).toString('latin1');
    const dictionary = before.slice(before.lastIndexOf('obj') + 3);
    const filter = filterOf(dictionary);
    if (!filter) continue;
    const data = streamData(pdf, dataStart, dictionary);
    if (!data || data.length > MAX_STREAM_BYTES) continue;
    totalBytes += data.length;
    if (totalBytes > MAX_TOTAL_BYTES) break;
    result.checked++;
    const earlyChange = /\/EarlyChange\s+0/.test(dictionary) ? 0 : 1;
    const valid = filter === 'flate' ? inflates(data) : lzwCodesValid(data, earlyChange);
    if (!valid) result.damaged++;
  }
  return result;
}

/** A sentence for `reason`, or undefined when nothing is wrong; streams are not checked for encrypted files. */
export function describeDamage(
  pdfJsWarnings: string[],
  streams: StreamCheck | undefined,
): string | undefined {
  const details: string[] = [];
  if (pdfJsWarnings.some((warning) => /Indexing all PDF objects/.test(warning))) {
    details.push('its cross-reference table is broken and had to be rebuilt');
  } else if (pdfJsWarnings.some((warning) => DAMAGE_WARNING.test(warning))) {
    details.push('parts of its structure are malformed');
  }
  if (streams && streams.damaged > 0) {
    details.push(`${streams.damaged} of its ${streams.checked} compressed streams cannot be decompressed`);
  }
  return details.length > 0
    ? `The PDF is damaged (${details.join('; ')}): the text may be incomplete.`
    : undefined;
}
