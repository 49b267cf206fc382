// Text in any charset an archived file may use is read back exactly, and the charset is named correctly.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeEncodedWords, decodeText, decodeWithCharset } from '../../ingest/charset.ts';
import {
  corpusFolder,
  encodeText,
  encodedWord,
  KAZAKH_TEXT,
  RUSSIAN_BODY,
} from '../support/documentFixtures.ts';

const ALL_CAPS_HEADINGS = 'ПРЕДПИСАНИЕ\nРЕШЕНИЕ О ВКЛЮЧЕНИИ В ЕДИНЫЙ РЕЕСТР';

describe('decodeText', () => {
  it('follows a byte order mark and drops it', () => {
    const text = `${RUSSIAN_BODY}\n${KAZAKH_TEXT}`;
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);

    expect(decodeText(utf8)).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(utf16le)).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeText(utf16be)).toEqual({ text, encoding: 'utf-16be' });
  });

  it('reads valid UTF-8 as UTF-8, even when the file was cut inside its last character', () => {
    const text = `${RUSSIAN_BODY}\n${KAZAKH_TEXT}`;
    expect(decodeText(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });

    const cut = Buffer.from(text).subarray(0, -1);
    expect(decodeText(cut)).toEqual({ text: text.slice(0, -1), encoding: 'utf-8' });
  });

  it.each(['windows-1251', 'koi8-r', 'ibm866'])(
    'tells %s Russian prose and all-caps headings apart',
    (encoding) => {
      for (const text of [RUSSIAN_BODY, ALL_CAPS_HEADINGS, 'Москва']) {
        expect(decodeText(encodeText(text, encoding))).toEqual({ text, encoding });
      }
    },
  );

  it('reads Kazakh in its code page (rk1048) but Russian in that same range as windows-1251', () => {
    expect(decodeText(encodeText(KAZAKH_TEXT, 'rk1048'))).toEqual({ text: KAZAKH_TEXT, encoding: 'rk1048' });
    expect(decodeText(encodeText(RUSSIAN_BODY, 'rk1048')).encoding).toBe('windows-1251');
  });

  it('reads Western European text as windows-1252, not as Cyrillic', () => {
    for (const text of [
      'Sébastien demande la suppréssion immédiate',
      'Größe der Fußgängerzone',
      'It’s a “quote” – dash',
    ]) {
      expect(decodeText(encodeText(text, 'windows-1252'))).toEqual({ text, encoding: 'windows-1252' });
    }
  });

  it('recognises a Chinese or Japanese multi-byte charset', () => {
    const japanese = '株式会社の申し立てについて、日本語のテキストです。';
    const chinese = '中华人民共和国公安部网络安全保卫局关于删除信息的通知';
    expect(decodeText(encodeText(japanese, 'shift_jis'))).toEqual({ text: japanese, encoding: 'shift_jis' });
    expect(decodeText(encodeText(chinese, 'gb18030'))).toEqual({ text: chinese, encoding: 'gb18030' });
  });
});

describe('decodeWithCharset', () => {
  it('reads a declared charset, treating latin1 like browsers do, and refuses unknown labels', () => {
    expect(decodeWithCharset(encodeText(RUSSIAN_BODY, 'koi8-r'), ' KOI8-R ')).toEqual({
      text: RUSSIAN_BODY,
      encoding: 'koi8-r',
    });
    expect(decodeWithCharset(Buffer.from([0x93, 0x41, 0x94]), 'iso-8859-1')).toEqual({
      text: '“A”',
      encoding: 'windows-1252',
    });
    expect(decodeWithCharset(Buffer.from('x'), 'x-no-such-charset')).toBeUndefined();
  });
});

describe('decodeEncodedWords', () => {
  it('decodes base64 and quoted-printable words in any charset, dropping the folding between them', () => {
    // Mail clients put a space between words inside the encoding, as the one between them is not text.
    const subject = `Re: ${encodedWord('Требование ', 'KOI8-R', 'Q')}\r\n ${encodedWord('об удалении', 'windows-1251', 'B')}!`;
    expect(decodeEncodedWords(subject)).toBe('Re: Требование об удалении!');
  });

  it('joins a UTF-8 character split between two words and leaves unknown charsets alone', () => {
    const bytes = Buffer.from('Қазақ');
    const split = `=?UTF-8?B?${bytes.subarray(0, 3).toString('base64')}?= =?UTF-8?B?${bytes.subarray(3).toString('base64')}?=`;
    expect(decodeEncodedWords(split)).toBe('Қазақ');
    expect(decodeEncodedWords('=?x-unknown?B?QUJD?=')).toBe('=?x-unknown?B?QUJD?=');
  });
});

const lumen = corpusFolder('lumen/example_files');
describe.skipIf(!lumen.present)('decodeText on the Lumen notices (shared corpus)', () => {
  it('reads the Russian form submission as windows-1251 and the French one as windows-1252', async () => {
    const russian = decodeText(await readFile(path.join(lumen.dir, 'eb_dmca_source.txt')));
    expect(russian.encoding).toBe('windows-1251');
    expect(russian.text).toMatch(/\p{sc=Cyrillic}{5,}/u);

    const french = decodeText(await readFile(path.join(lumen.dir, 'blogger_dmca_source.txt')));
    expect(french.encoding).toBe('windows-1252');
    expect(french.text).toMatch(/[a-z][éè][a-z]/);
    expect(french.text).not.toMatch(/\p{sc=Cyrillic}/u);
  });
});

const takedowns = corpusFolder('gov-takedowns/Russia');
describe.skipIf(!takedowns.present)('decodeText on Roskomnadzor notices re-encoded (shared corpus)', () => {
  it('names the legacy code page of every Cyrillic notice, whole and in its first 60 Cyrillic characters', async () => {
    const files = (await readdir(takedowns.dir, { recursive: true })).filter((file) => file.endsWith('.md'));
    const wrong: string[] = [];
    let notices = 0;
    for (const file of files) {
      const text = await readFile(path.join(takedowns.dir, file), 'utf8');
      const start = text.search(/\p{sc=Cyrillic}/u);
      if (start < 0) continue;
      notices++;
      for (const encoding of ['windows-1251', 'koi8-r', 'ibm866']) {
        for (const sample of [text, text.slice(start, start + 60)]) {
          const guessed = decodeText(iconv.encode(sample, encoding)).encoding;
          if (guessed !== encoding) wrong.push(`${file} ${encoding} read as ${guessed}`);
        }
      }
    }
    expect(notices).toBeGreaterThan(70);
    expect(wrong).toEqual([]);
  });
});
