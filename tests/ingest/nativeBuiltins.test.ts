// pdf.js's polyfills replace Array.prototype.push on Node 20 (not on 24); the sandbox puts the engine's own back once
// pdf.js has loaded, and PDFs still read the same. Run in a fresh node process: the test runner's own
// globals may already have met pdf.js.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const SCRIPT = `
const enginePush = Array.prototype.push;
const { restoreNativeBuiltins } = await import('./ingest/sandbox/nativeBuiltins.ts');
const { extractPdfBytes } = await import('./ingest/extractors/pdf.ts');
const { DEFAULT_LIMITS } = await import('./ingest/extraction.ts');
const { bornDigitalPdf } = await import('./tests/support/pdfFixtures.ts');
const input = { path: '/nonexistent.pdf', mime: 'application/pdf', ocrLanguages: 'eng', workDir: '/nonexistent', limits: DEFAULT_LIMITS };
const line = 'The editor is asked to remove the article published on the website within three days.';
const pdf = Buffer.from(await bornDigitalPdf([1, 2].map((page) => Array(12).fill(line + ' ' + page).join('\\n'))));
const before = await extractPdfBytes(pdf, input);
const replacedByPdfJs = Array.prototype.push !== enginePush;
const restored = restoreNativeBuiltins();
const after = await extractPdfBytes(pdf, input);
const list = [1];
list.push(2, 3);
console.log(JSON.stringify({
  replacedByPdfJs,
  restored,
  engineAfter: Array.prototype.push === enginePush,
  restoredAgain: restoreNativeBuiltins(),
  sameText: JSON.stringify(before.pages) === JSON.stringify(after.pages),
  status: after.status + (after.reason ? ': ' + after.reason : ''),
  list,
}));
`;

describe('restoreNativeBuiltins', () => {
  it('gives pdf.js back the engine’s Array.prototype.push, and the text read stays the same', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', SCRIPT],
      { cwd: path.resolve(import.meta.dirname, '../..') },
    );
    const result = JSON.parse(stdout);
    // pdf.js 5.4's legacy build replaces push on Node 20 (its core-js finds a fault in the engine's); on
    // Node 24 it keeps the engine's, and there is nothing to restore. Once Node 20 goes, nativeBuiltins.ts can.
    const onNode20 = process.versions.node.startsWith('20.');
    expect(result).toEqual({
      replacedByPdfJs: onNode20 ? true : result.replacedByPdfJs,
      restored: result.replacedByPdfJs ? ['Array.prototype.push'] : [],
      engineAfter: true,
      restoredAgain: [],
      sameText: true,
      status: 'extracted',
      list: [1, 2, 3],
    });
  }, 60_000);
});
