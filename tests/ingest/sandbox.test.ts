// The sandbox: malformed PDFs, a hang, a heap too small and an extractor's exception all end as a result
// with a reason a user can read, in time, never as a rejection; and no child or tool process is left behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../ingest/extraction.ts';
import { extractFile } from '../../ingest/extractFile.ts';
import { describeCrash } from '../../ingest/sandbox/describeCrash.ts';
import { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import { scannedPdf } from '../support/pdfFixtures.ts';

const BAD_PDFS = path.resolve('../shared/corpus/bad-pdfs');
const corpusPresent = existsSync(BAD_PDFS);
if (!corpusPresent) console.warn(`sandbox.test: ${BAD_PDFS} is absent, so the malformed PDFs are skipped`);

const BAD_PDF_TIMEOUT_MS = 30_000;

let dir: string;
let sandboxes: SandboxPool;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-test-'));
  sandboxes = new SandboxPool();
});
afterAll(async () => {
  await sandboxes.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Live processes whose command line mentions the text (zombies have none). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (Number(pid) === process.pid) continue;
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (commandLine.includes(text)) found.push(`${pid}: ${commandLine}`);
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** Killed processes can take a moment to vanish from /proc. */
async function processesLeftAfter(workDir: string, graceMs = 2_000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  while (processesMentioning(workDir).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return processesMentioning(workDir);
}

describe.skipIf(!corpusPresent)('the malformed PDFs in bad-pdfs', () => {
  const files = corpusPresent ? readdirSync(BAD_PDFS).filter((name) => name.endsWith('.pdf')) : [];

  it('are all there', () => {
    expect(files.length).toBe(6);
  });

  it.each(files)(
    '%s ends failed or partial with a readable reason, in time, leaving no process',
    async (name) => {
      const workDir = await mkdtemp(path.join(dir, 'bad-'));
      const started = Date.now();
      const extraction = extractFile({
        sandboxes,
        path: path.join(BAD_PDFS, name),
        ocrLanguages: 'kaz+rus+eng',
        workDir,
        limits: { timeoutMs: BAD_PDF_TIMEOUT_MS, ocrPageMs: 0 },
      });
      await expect(extraction).resolves.toBeDefined();
      const result = await extraction;
      const seconds = (Date.now() - started) / 1000;
      console.log(`${name}: ${result.status} in ${seconds.toFixed(1)} s: ${result.reason}`);
      expect(['failed', 'partial']).toContain(result.status);
      expect(result.mime).toBe('application/pdf');
      // A sentence for a user: starts with a capital, names the PDF, no stack trace.
      expect(result.reason).toMatch(/^The PDF .{10,}/);
      expect(result.reason).not.toMatch(/\n\s+at /);
      expect(seconds * 1000).toBeLessThan(BAD_PDF_TIMEOUT_MS);
      expect(await processesLeftAfter(workDir)).toEqual([]);
    },
    60_000,
  );
});

describe('files that never reach an extractor', () => {
  it('calls an empty file empty', async () => {
    const file = path.join(dir, 'empty.pdf');
    await writeFile(file, '');
    const result = await extractFile({
      sandboxes,
      path: file,
      ocrLanguages: 'eng',
      workDir: path.join(dir, 'empty-work'),
    });
    expect(result).toMatchObject({ status: 'empty', mime: 'application/x-empty', pages: [] });
    expect(result.reason).toBe('The file is empty (0 bytes)');
  });

  it('calls random bytes unsupported, naming the type in words', async () => {
    const file = path.join(dir, 'random.pdf');
    await writeFile(file, randomBytes(10_000));
    const result = await extractFile({
      sandboxes,
      path: file,
      ocrLanguages: 'eng',
      workDir: path.join(dir, 'random-work'),
    });
    expect(result).toMatchObject({ status: 'unsupported', mime: 'application/octet-stream' });
    expect(result.reason).toBe(
      'This file is unrecognised binary data, which is not a type the archive can read text from',
    );
  });

  it('answers a file that does not exist with failed, not an exception', async () => {
    const result = await extractFile({
      sandboxes,
      path: path.join(dir, 'missing.pdf'),
      ocrLanguages: 'eng',
      workDir: dir,
    });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^The file could not be opened: ENOENT/);
  });
});

describe('the sandboxed child', () => {
  it('stops a long OCR job at the time limit and kills its tesseract too', async () => {
    // Twelve full pages: far more OCR than fits in the limit, however fast the machine is today.
    const line = 'The agency orders the editor to remove the article and to block the listed pages.';
    const pages = Array.from({ length: 12 }, (_, i) =>
      [`Page ${i + 1}`, ...Array<string>(25).fill(line)].join('\n'),
    );
    const file = path.join(dir, 'long-scan.pdf');
    await writeFile(file, await scannedPdf(pages, dir));
    const workDir = await mkdtemp(path.join(dir, 'slow-'));
    let sawTesseract = false;
    const watcher = setInterval(() => {
      sawTesseract ||= processesMentioning(workDir).some((line) => /tesseract/.test(line));
    }, 100);
    const started = Date.now();
    const result = await extractFile({
      sandboxes,
      path: file,
      ocrLanguages: 'kaz+rus+eng',
      workDir,
      limits: { timeoutMs: 6_000, ocrPageMs: 0 },
    });
    clearInterval(watcher);
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'Extraction took longer than 6 s and was stopped',
    });
    // The job was really OCR'ing when it was stopped, and stopping it took well under a second or two.
    expect(sawTesseract).toBe(true);
    expect(elapsed).toBeLessThan(6_000 + 3_000);
    expect(await processesLeftAfter(workDir)).toEqual([]);
  }, 60_000);

  it('gives a long scan more time for each page it OCRs, and reports each page done', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'takedown-allowance-'));
    const line = 'The agency orders the editor to remove the article and to block the listed pages.';
    const pages = Array.from({ length: 4 }, (_, i) =>
      [`Page ${i + 1}`, ...Array<string>(25).fill(line)].join('\n'),
    );
    const file = path.join(dir, 'scan.pdf');
    await writeFile(file, await scannedPdf(pages, dir));
    const extract = (limits: Partial<typeof DEFAULT_LIMITS>, onProgress?: (report: string) => void) =>
      extractFile({
        sandboxes,
        path: file,
        ocrLanguages: 'eng',
        workDir: path.join(dir, `work-${randomBytes(4).toString('hex')}`),
        limits,
        onProgress: ({ ocrDone, ocrPages }) => onProgress?.(`${ocrDone}/${ocrPages}`),
      });
    // A started process first, so the limits below measure the OCR, not a process start.
    await writeFile(path.join(dir, 'empty.txt'), 'warm');
    await extractFile({ sandboxes, path: path.join(dir, 'empty.txt'), ocrLanguages: 'eng', workDir: dir });

    // Four full pages of OCR take about ten seconds: far over 3 s, well within 3 s + 4 × 20 s.
    const reports: string[] = [];
    const result = await extract({ timeoutMs: 3_000, ocrPageMs: 20_000 }, (report) => reports.push(report));
    expect(result.status, result.reason).toBe('extracted');
    expect(result.pages.map((page) => page.method)).toEqual(['ocr', 'ocr', 'ocr', 'ocr']);
    expect(reports).toEqual(['0/4', '1/4', '2/4', '3/4']);

    // The allowance never passes the cap.
    const capped = await extract({ timeoutMs: 3_000, ocrPageMs: 20_000, maxTimeoutMs: 4_000 });
    expect(capped).toMatchObject({
      status: 'failed',
      reason: 'Extraction took longer than 4 s and was stopped',
    });
    await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('fails a parse that runs out of heap with a memory reason', async () => {
    const file = path.join(dir, 'small-heap.pdf');
    await writeFile(file, await scannedPdf(['A page that needs more heap than the cap allows.'], dir));
    const smallHeap = new SandboxPool({ memoryMb: 40 });
    const result = await extractFile({
      sandboxes: smallHeap,
      path: file,
      ocrLanguages: 'eng',
      workDir: dir,
    }).finally(() => smallHeap.stop());
    expect(result).toMatchObject({ status: 'failed', mime: 'application/pdf' });
    expect(result.reason).toBe(
      'The PDF could not be read: the parser ran out of memory (the limit is 40 MB)',
    );
  }, 30_000);

  it("turns an extractor's exception into failed with its message", async () => {
    const result = await sandboxes.run({
      path: path.join(dir, 'vanished.pdf'),
      mime: 'application/pdf',
      ocrLanguages: 'eng',
      workDir: dir,
      limits: DEFAULT_LIMITS,
    });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^The PDF could not be read: ENOENT: no such file or directory/);
  }, 30_000);
});

describe('describeCrash', () => {
  const end = { mime: 'application/pdf', exitCode: 1, signal: null, stderr: '', memoryMb: 512 };
  it('explains how the child died in words', () => {
    expect(describeCrash({ ...end, stderr: 'RangeError: Maximum call stack size exceeded' })).toBe(
      'The PDF could not be read: its structure is nested too deeply for the parser',
    );
    expect(describeCrash({ ...end, exitCode: null, signal: 'SIGSEGV' })).toBe(
      'The PDF could not be read: the extraction process crashed (SIGSEGV)',
    );
    expect(describeCrash({ ...end, mime: 'image/png', exitCode: 3 })).toBe(
      'The image could not be read: the extraction process stopped unexpectedly (exit code 3)',
    );
    expect(describeCrash({ ...end, exitCode: 0 })).toBe(
      'The PDF could not be read: the extraction process ended without a result',
    );
  });
});
