// A text file in any of the charsets Russian and Kazakh files use comes out as one exact page.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPlainText } from '../../ingest/extractors/plainText.ts';
import {
  corpusFolder,
  useScratch,
  encodeText,
  KAZAKH_TEXT,
  RUSSIAN_BODY,
} from '../support/documentFixtures.ts';

const scratch = useScratch();

async function extractBytes(bytes: Uint8Array, filename = 'notice.txt') {
  return extractPlainText(await scratch.inputFor(filename, bytes, 'text/plain'));
}

describe('extractPlainText', () => {
  it.each([
    ['utf-8', `${RUSSIAN_BODY}\n${KAZAKH_TEXT}`],
    ['windows-1251', RUSSIAN_BODY],
    ['koi8-r', RUSSIAN_BODY],
  ])('reads a %s file exactly as one page', async (encoding, text) => {
    const result = await extractBytes(encodeText(text, encoding));

    expect(result).toMatchObject({ status: 'extracted', metadata: { encoding }, children: [], warnings: [] });
    expect(result.pages).toEqual([{ number: 1, text, method: 'plain-text', confidence: null }]);
  });

  it('turns Windows and old Mac line ends into \\n', async () => {
    const result = await extractBytes(encodeText('первая\r\nвторая\rтретья\n', 'windows-1251'));
    expect(result.pages[0]?.text).toBe('первая\nвторая\nтретья\n');
  });

  it('calls a file of blanks empty, binary data failed, and a missing file failed, without throwing', async () => {
    expect(await extractBytes(Buffer.from(' \r\n\t\n'))).toMatchObject({ status: 'empty', pages: [] });

    const binary = await extractBytes(
      Buffer.from([0x00, 0x01, 0x02, 0x03, 0x41, 0x00, 0x00, 0x10, 0xff, 0x00]),
    );
    expect(binary).toMatchObject({ status: 'failed', reason: expect.stringMatching(/not text/) });

    const input = await scratch.inputFor('gone.txt', Buffer.from('x'), 'text/plain');
    const missing = await extractPlainText({ ...input, path: path.join(scratch.folder, 'no-such-file.txt') });
    expect(missing).toMatchObject({ status: 'failed', reason: expect.stringMatching(/could not be read/) });
  });

  it('reads a UTF-16 file with its byte order mark although it is full of NUL bytes', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Notice: Қазақстан', 'utf16le')]);
    const result = await extractBytes(bytes);
    expect(result).toMatchObject({ status: 'extracted', metadata: { encoding: 'utf-16le' } });
    expect(result.pages[0]?.text).toBe('Notice: Қазақстан');
  });
});

const takedowns = corpusFolder('gov-takedowns');
describe.skipIf(!takedowns.present)(
  'extractPlainText on the GitHub government takedown notices (shared corpus)',
  () => {
    it('reads every notice cleanly, and the Russian ones with their Cyrillic text', async () => {
      const files = (await readdir(takedowns.dir, { recursive: true })).filter((file) =>
        /\/.*\.md$/.test(file),
      );
      expect(files.length).toBeGreaterThanOrEqual(88);
      let russianWithCyrillic = 0;
      for (const file of files) {
        const bytes = await readFile(path.join(takedowns.dir, file));
        const result = await extractBytes(bytes, path.basename(file));
        expect(result.status, file).toBe('extracted');
        const text = result.pages[0]?.text ?? '';
        expect(text, file).not.toContain('\ufffd');
        expect(text.length, file).toBeGreaterThan(100);
        if (file.startsWith('Russia') && /\p{sc=Cyrillic}{4,}/u.test(text)) russianWithCyrillic++;
      }
      // Three of the 79 Russian notices were sent in English only.
      expect(russianWithCyrillic).toBeGreaterThanOrEqual(76);
    });
  },
);

const lumen = corpusFolder('lumen/example_files');
describe.skipIf(!lumen.present)('extractPlainText on the Lumen notice sources (shared corpus)', () => {
  it('reads the legacy-charset form submissions without replacement characters', async () => {
    const russian = await extractBytes(await readFile(path.join(lumen.dir, 'eb_dmca_source.txt')));
    expect(russian.metadata.encoding).toBe('windows-1251');
    expect(russian.pages[0]?.text).toMatch(/\p{sc=Cyrillic}{5,}/u);

    const french = await extractBytes(await readFile(path.join(lumen.dir, 'blogger_dmca_source.txt')));
    expect(french.metadata.encoding).toBe('windows-1252');
    expect(french.pages[0]?.text).toMatch(/[a-z]é[a-z]/);

    for (const file of (await readdir(lumen.dir)).filter((name) => name.endsWith('.txt'))) {
      const result = await extractBytes(await readFile(path.join(lumen.dir, file)), file);
      expect(result.status, file).toBe('extracted');
      expect(result.pages[0]?.text, file).not.toContain('\ufffd');
    }
  });
});
