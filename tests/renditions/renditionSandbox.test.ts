// Renditions made in a sandbox process, as the worker makes them: the same bytes as in-process, a bad
// file's reason in words, and a rendition over its time limit stopped with everything it started.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRedacted, RenditionError } from '../../ingest/renditions/redactedRendition.ts';
import { renderRedactedInSandbox, renditionTimeoutMs } from '../../ingest/renditions/renditionSandbox.ts';
import { bornDigitalPdf } from '../support/pdfFixtures.ts';

const TEXT = 'Correspondent Dana Serikova,\nphone +7 (701) 555-12-34.\nThe article stays online.';
const SANDBOX = { memoryMb: 512, timeoutMs: 120_000 };

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rendition-sandbox-test-'));
  file = path.join(dir, 'demand.pdf');
  await writeFile(file, await bornDigitalPdf([TEXT]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renditions in a sandbox process', () => {
  it('gives the same rendition as in-process, and leaves no file behind', async () => {
    const start = TEXT.indexOf('+7');
    const request = {
      file,
      mime: 'application/pdf',
      redactions: [
        { page: 1, text: '+7 (701) 555-12-34', start, end: start + 18 },
        { page: 1, text: 'Aliya Nurova' },
      ],
      pages: [{ number: 1, text: TEXT, method: 'text-layer' }],
      ocrLanguages: 'eng',
      workDir: await mkdtemp(path.join(dir, 'work-')),
    };
    const sandboxed = await renderRedactedInSandbox(request, SANDBOX);
    const inProcess = await renderRedacted(request);
    expect(sandboxed.sha256).toBe(inProcess.sha256);
    expect(sandboxed.pdf.equals(inProcess.pdf)).toBe(true);
    expect(sandboxed.unplaced).toEqual([
      {
        page: 1,
        text: 'Aliya Nurova',
        reason: "not found in the page's text layer nor among the words OCR reads on it",
      },
    ]);
    expect(await readdir(request.workDir)).toEqual([]);
  });

  it("answers a file it cannot read with the child's reason", async () => {
    const broken = path.join(dir, 'broken.pdf');
    await writeFile(broken, '%PDF-1.7\nthis is not a PDF at all');
    await expect(
      renderRedactedInSandbox({ file: broken, mime: 'application/pdf', workDir: dir }, SANDBOX),
    ).rejects.toThrow(/^The PDF could not be read/);
  });

  it('stops a rendition over its time limit, in words', async () => {
    const error = await renderRedactedInSandbox(
      { file, mime: 'application/pdf', workDir: dir },
      { ...SANDBOX, timeoutMs: 300 },
    ).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(RenditionError);
    expect((error as Error).message).toBe('Making the rendition took longer than 0.3 s and was stopped');
  });

  it('allows time by pages rendered and pages OCR reads, within a cap', () => {
    expect(renditionTimeoutMs(1, 0)).toBe(65_000);
    expect(renditionTimeoutMs(10, 4)).toBe(230_000);
    expect(renditionTimeoutMs(10_000, 10_000)).toBe(3_600_000);
  });
});
