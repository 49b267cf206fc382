// Turns a text file's bytes into a string when nobody said which charset they are in: a BOM, else valid
// UTF-8, else the legacy code page whose decoding reads most like real Cyrillic (or Western) text.
import { analyse } from 'chardet';
import iconv from 'iconv-lite';

export interface DecodedText {
  text: string;
  /** The charset the bytes were read as (an iconv-lite name such as "utf-8", "windows-1251", "koi8-r"). */
  encoding: string;
}

const BYTE_ORDER_MARKS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

// Order matters only for ties: a text whose few high bytes are curly quotes reads the same in all of them,
// and is then called Western; a Russian text reads the same in windows-1251 and rk1048 (Kazakh).
const SINGLE_BYTE_CANDIDATES = ['windows-1252', 'windows-1251', 'koi8-r', 'rk1048', 'ibm866'];

const CJK_ENCODINGS = new Set(['Shift_JIS', 'EUC-JP', 'GB18030', 'Big5', 'EUC-KR']);

// Scoring more than this tells nothing new and would make a big file slow.
const SCORING_SAMPLE_BYTES = 1 << 20;

/** Decodes bytes whose charset is unknown; see the module comment for the order of guesses. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const bomEncoding = byteOrderMarkEncoding(bytes);
  if (bomEncoding) return { text: iconv.decode(bytes, bomEncoding), encoding: bomEncoding };

  const utf8 = decodeStrictUtf8(bytes);
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8' };

  const sample = bytes.subarray(0, SCORING_SAMPLE_BYTES);
  const singleByte = guessSingleByteEncoding(sample);
  // GB18030 decodes almost any byte pairs, so chardet's CJK guess must beat real-looking single-byte text.
  const encoding = (singleByte.score <= 0 ? guessCjkEncoding(sample) : undefined) ?? singleByte.encoding;
  return { text: iconv.decode(bytes, encoding), encoding };
}

/** The Unicode encoding a byte order mark at the start announces, if there is one. */
export function byteOrderMarkEncoding(bytes: Uint8Array): string | undefined {
  return BYTE_ORDER_MARKS.find((mark) => mark.bytes.every((byte, index) => bytes[index] === byte))?.encoding;
}

/**
 * Decodes bytes in a charset a document declared (an HTML meta tag, a MIME header). Undefined when the
 * label is unknown. Like browsers, "iso-8859-1" and "ascii" are read as windows-1252, their superset.
 */
export function decodeWithCharset(bytes: Uint8Array, label: string): DecodedText | undefined {
  const normalised = label.trim().toLowerCase();
  const encoding = ['iso-8859-1', 'latin1', 'us-ascii', 'ascii'].includes(normalised)
    ? 'windows-1252'
    : normalised;
  if (!iconv.encodingExists(encoding)) return undefined;
  return { text: iconv.decode(bytes, encoding), encoding };
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;
const ENCODED_WORD_RUN = /=\?[^?\s]+\?[bq]\?[^?\s]*\?=(?:\s*=\?[^?\s]+\?[bq]\?[^?\s]*\?=)*/gi;

/** Decodes RFC 2047 encoded words ("=?UTF-8?B?…?="), as found in e-mail subjects copied into other files. */
export function decodeEncodedWords(value: string): string {
  return value.replace(ENCODED_WORD_RUN, (run) => {
    // Adjacent words are one text (the whitespace between them is folding), and a multi-byte character
    // may be split between two of them, so their bytes are joined before decoding.
    const pieces: { charset: string; bytes: Buffer[] }[] = [];
    for (const [, label = '', kind = '', payload = ''] of run.matchAll(ENCODED_WORD)) {
      const charset = label.split('*')[0]!; // RFC 2231 allows a language suffix: UTF-8*ru
      const bytes = encodedWordBytes(kind, payload);
      const last = pieces.at(-1);
      if (last && last.charset === charset.toLowerCase()) last.bytes.push(bytes);
      else pieces.push({ charset: charset.toLowerCase(), bytes: [bytes] });
    }
    if (!pieces.every((piece) => iconv.encodingExists(piece.charset))) return run;
    return pieces.map((piece) => iconv.decode(Buffer.concat(piece.bytes), piece.charset)).join('');
  });
}

function encodedWordBytes(kind: string, payload: string): Buffer {
  if (kind.toLowerCase() === 'b') return Buffer.from(payload, 'base64');
  const latin1 = payload
    .replace(/_/g, ' ')
    .replace(/=([0-9a-f]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(latin1, 'latin1');
}

function decodeStrictUtf8(bytes: Uint8Array): string | undefined {
  try {
    // stream: true forgives one multi-byte character cut off at the very end (a truncated file).
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return undefined;
  }
}

/** A Chinese, Japanese or Korean multi-byte charset, only when chardet is sure and it decodes cleanly. */
function guessCjkEncoding(sample: Uint8Array): string | undefined {
  const best = analyse(sample)[0];
  if (!best || !CJK_ENCODINGS.has(best.name) || best.confidence < 50) return undefined;
  const text = iconv.decode(sample, best.name);
  const ideographic = text.match(/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/gu)?.length ?? 0;
  const nonAscii = text.match(/[^\p{ASCII}]/gu)?.length ?? 0;
  return !text.includes('\ufffd') && ideographic >= nonAscii * 0.8 ? best.name.toLowerCase() : undefined;
}

/** The single-byte code page whose reading scores best, and that score (above 0: it reads like text). */
function guessSingleByteEncoding(sample: Uint8Array): { encoding: string; score: number } {
  let best = { encoding: 'windows-1252', score: -Infinity };
  for (const encoding of SINGLE_BYTE_CANDIDATES) {
    const text = iconv.decode(sample, encoding);
    const score = encoding === 'windows-1252' ? scoreAsWestern(sample, text) : scoreAsCyrillic(sample, text);
    if (score > best.score) best = { encoding, score };
  }
  return best;
}

// Frequent Russian letter pairs. A wrong code page permutes the letters, so its pairs are rare ones.
const COMMON_CYRILLIC_BIGRAMS = new Set(
  (
    'ав ак ал ам ан ат ая ва ве вл вн во вы го да де ди ду ев ед ез ей ел ем ен ер ес ет жд же за зн ие ии ' +
    'ий ик ил им ин ир ис ит ию ия ка ки ко ку ла ле ли ло лу ль ля ма ме ми мо на не ни нн но нс ну ны об ' +
    'ов ог од ое ой ол ом он ор ос от пе пи по пр ра ре ри ро ру се си ск сл сп ср ст ся та те ти то тр ту ' +
    'ть ул уч ую це ча че ще ый ым ых ью ют яз ях'
  ).split(' '),
);
// Serbian and Macedonian letters: in a Kazakh text misread as windows-1251 they stand where қ, һ, ә, ң were.
const UNLIKELY_CYRILLIC = new Set('ђћќјѕЂЋЌЈЅ');
// Punctuation the legacy code pages share; it neither proves nor disproves a code page.
const TYPOGRAPHY = new Set('\u00a0«»–—…№‘’‚“”„•·°©®€£§±×\u00ad');

function isAsciiLetter(char: string | undefined): boolean {
  return char !== undefined && /^[A-Za-z]$/.test(char);
}

function isCyrillicLetter(char: string | undefined): boolean {
  return char !== undefined && /^\p{sc=Cyrillic}$/u.test(char) && /^\p{L}$/u.test(char);
}

function isLowercase(char: string | undefined): boolean {
  return char !== undefined && char !== char.toUpperCase();
}

/**
 * Higher when the high bytes read as Cyrillic words: letters that form common pairs, keep their case
 * within a word, and are not glued to Latin letters. Only plausibility, so only comparable on one input.
 */
function scoreAsCyrillic(bytes: Uint8Array, text: string): number {
  let score = 0;
  for (let index = 0; index < text.length; index++) {
    if (bytes[index]! < 0x80) continue;
    const char = text[index]!;
    const previous = text[index - 1];
    const next = text[index + 1];
    if (!isCyrillicLetter(char)) {
      if (!TYPOGRAPHY.has(char)) score -= 3;
      continue;
    }
    if (isAsciiLetter(previous) || isAsciiLetter(next)) score -= 3;
    if (UNLIKELY_CYRILLIC.has(char)) score -= 2;
    if (!isLowercase(char) && isCyrillicLetter(previous) && isLowercase(previous)) score -= 2;
    if (isCyrillicLetter(next) && COMMON_CYRILLIC_BIGRAMS.has((char + next!).toLowerCase())) score += 2;
  }
  return score;
}

/** Higher when the high bytes read as accented letters inside Latin words ("Sébastien", "Größe"). */
function scoreAsWestern(bytes: Uint8Array, text: string): number {
  let score = 0;
  for (let index = 0; index < text.length; index++) {
    if (bytes[index]! < 0x80) continue;
    const char = text[index]!;
    if (/^\p{L}$/u.test(char)) {
      score += isAsciiLetter(text[index - 1]) || isAsciiLetter(text[index + 1]) ? 2 : -1;
    } else if (!TYPOGRAPHY.has(char)) {
      score -= 2;
    }
  }
  return score;
}
