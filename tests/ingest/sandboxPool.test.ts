// A sandbox pool keeps its processes between files, but a runaway takes its process (and tools) with it,
// and the next file gets a fresh one that works. Each pool is its owner's: stopping it stops its processes.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFile } from '../../ingest/extractFile.ts';
import { DEFAULT_LIMITS } from '../../ingest/extraction.ts';
import { SandboxPool } from '../../ingest/sandbox/sandboxPool.ts';
import { bornDigitalPdf, scannedPdf } from '../support/pdfFixtures.ts';

/** Sandbox processes started by this test process. */
function ourSandboxes(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (cmdline.includes('--takedown-sandbox') && parent === process.pid) found.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

describe('the sandbox process pool', () => {
  let dir: string;
  /** The pool the tests below read with, until one replaces it with a warm one. */
  let sandboxes: SandboxPool;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'takedown-pool-'));
    sandboxes = new SandboxPool();
  });
  afterAll(async () => {
    await sandboxes.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const extract = async (name: string, bytes: Uint8Array, timeoutMs = 60_000) => {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    return extractFile({
      sandboxes,
      path: file,
      ocrLanguages: 'eng',
      workDir: path.join(dir, `${name}-work`),
      // No allowance per OCR page: the limit given is the limit.
      limits: { timeoutMs, ocrPageMs: 0 },
    });
  };

  it('reuses one process for consecutive files', async () => {
    const first = await extract('one.pdf', await bornDigitalPdf(['First notice']));
    const pidsAfterFirst = ourSandboxes();
    const second = await extract('two.pdf', await bornDigitalPdf(['Second notice']));
    expect(first.status).toBe('extracted');
    expect(second.pages[0]!.text).toContain('Second notice');
    expect(pidsAfterFirst).toHaveLength(1);
    expect(ourSandboxes()).toEqual(pidsAfterFirst);
  });

  it('replaces a process that ran out of time, leaving no tool running, and the next file works', async () => {
    const before = ourSandboxes();
    // Twelve scanned pages take tens of seconds to OCR: a one-second limit always stops them.
    const scanDir = await mkdtemp(path.join(dir, 'scan-'));
    const pages = Array.from({ length: 12 }, (_, i) => `Page ${i + 1} of a long scanned demand`);
    const slow = await extract('slow.pdf', await scannedPdf(pages, scanDir), 1000);
    expect(slow.status, slow.reason).toBe('failed');
    expect(slow.reason).toMatch(/longer than 1 s/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const pid of before) expect(ourSandboxes()).not.toContain(pid);
    const tesseracts = readdirSync('/proc').filter((entry) => {
      try {
        return (
          /^\d+$/.test(entry) &&
          readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`${dir}/slow.pdf-work`)
        );
      } catch {
        return false;
      }
    });
    expect(tesseracts).toEqual([]);
    const next = await extract('after.pdf', await bornDigitalPdf(['After the runaway']));
    expect(next.status).toBe('extracted');
    expect(next.pages[0]!.text).toContain('After the runaway');
  }, 60_000);

  it('stops idle processes on request', async () => {
    await extract('idle.pdf', await bornDigitalPdf(['Leaves an idle sandbox behind']));
    expect(ourSandboxes().length).toBeGreaterThan(0);
    await sandboxes.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ourSandboxes()).toEqual([]);
  });

  it('keeps a warm process ready before the first file, and the file runs in it', async () => {
    await sandboxes.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    sandboxes = new SandboxPool({ warm: 1, memoryMb: DEFAULT_LIMITS.memoryMb });
    await sandboxes.ready();
    const warm = ourSandboxes();
    expect(warm).toHaveLength(1);
    const result = await extract('warm.pdf', await bornDigitalPdf(['Read by a warm process']));
    expect(result.pages[0]!.text).toContain('Read by a warm process');
    expect(ourSandboxes()).toEqual(warm);
    await sandboxes.stop();
  });

  it('starts the replacement of a warm process that died before the next file arrives', async () => {
    sandboxes = new SandboxPool({ warm: 1, memoryMb: DEFAULT_LIMITS.memoryMb });
    await sandboxes.ready();
    const [first] = ourSandboxes();
    const scanDir = await mkdtemp(path.join(dir, 'scan-warm-'));
    const pages = Array.from({ length: 12 }, (_, i) => `Page ${i + 1} of a long scanned demand`);
    const slow = await extract('slow-warm.pdf', await scannedPdf(pages, scanDir), 1000);
    expect(slow.reason).toMatch(/longer than 1 s/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sandboxes.ready();
    const after = ourSandboxes();
    expect(after).toHaveLength(1);
    expect(after).not.toContain(first);
    await sandboxes.stop();
  }, 60_000);
});
