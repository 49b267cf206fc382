// An extraction process stopped from outside (a user's kill, a process manager, the kernel's OOM killer)
// is not the file's fault: the worker reads the file again in a new process and says so; only a second
// such stop fails the document, with a reason that says what happened.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCrash } from '../../ingest/sandbox/describeCrash.ts';
import { ADMIN_TOKEN, authorityByAlias, createOutletWithToken, fileOrder } from '../support/apiClient.ts';
import { waitForDocument } from '../support/documentWaiting.ts';
import { multipartBody } from '../support/multipartBody.ts';
import { scannedPdf } from '../support/pdfFixtures.ts';
import { createTestApp } from '../support/testApp.ts';

/** [pid, parent pid, process group] of every live process. */
function processTable(): [number, number, number][] {
  const table: [number, number, number][] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      table.push([Number(entry), Number(fields[1]), Number(fields[2])]);
    } catch {
      // gone while we looked
    }
  }
  return table;
}

/**
 * A sandbox process of this test process that is reading a file right now: its OCR tools (pdftoppm,
 * tesseract) run in its process group.
 */
function busySandbox(): number | undefined {
  const table = processTable();
  const sandboxes = table
    .filter(([pid, parent]) => {
      if (parent !== process.pid) return false;
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--takedown-sandbox');
      } catch {
        return false;
      }
    })
    .map(([pid]) => pid);
  return sandboxes.find((sandbox) => table.some(([pid, , group]) => group === sandbox && pid !== sandbox));
}

/** Kills the sandbox process reading a file, from outside, as soon as one is (within 60 s). */
async function killBusySandbox(except: number[] = []): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const pid = busySandbox();
    if (pid !== undefined && !except.includes(pid)) {
      process.kill(pid, 'SIGKILL');
      return pid;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no sandbox process started reading the file within 60 s');
}

describe('an extraction stopped from outside', () => {
  let harness: Awaited<ReturnType<typeof createTestApp>>;
  let outlet: Awaited<ReturnType<typeof createOutletWithToken>>;
  let orderId: string;
  let dir: string;
  let scan: Uint8Array;
  beforeAll(async () => {
    harness = await createTestApp({ ADMIN_TOKEN }, { worker: true });
    outlet = await createOutletWithToken(harness.app, 'stopped-outlet');
    const authority = (await authorityByAlias(harness.app, 'Роскомнадзор')).slug;
    const order = await fileOrder(harness.app, outlet.headers, { authority });
    orderId = order.id;
    dir = await mkdtemp(path.join(os.tmpdir(), 'takedown-stopped-'));
    const pages = Array.from({ length: 4 }, (_, i) => `Page ${i + 1} of a scanned demand to remove`);
    scan = await scannedPdf(pages, dir);
  }, 60_000);
  afterAll(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = async (name: string, bytes: Uint8Array) => {
    const body = multipartBody([
      { name: 'order', filename: name, content: bytes, contentType: 'application/pdf' },
    ]);
    const response = await harness.app.inject({
      method: 'POST',
      url: `/api/orders/${orderId}/documents`,
      headers: { ...outlet.headers, ...body.headers },
      payload: body.payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().documents[0].id as number;
  };

  it('is read again in a new process, and the document ends extracted', async () => {
    // A byte appended after %%EOF makes the file new to the store and changes nothing else.
    const id = await upload('once.pdf', Buffer.concat([scan, Buffer.from('\n%once\n')]));
    await killBusySandbox();
    const done = await waitForDocument(harness.app, id, outlet.headers, 90_000);
    expect(done.status, done.status_reason).toBe('extracted');
    expect(done.pages).toHaveLength(4);
    expect(done.pages[3].text).toContain('scanned demand');
  }, 120_000);

  it('fails the document when its process is stopped from outside a second time, saying so', async () => {
    const id = await upload('twice.pdf', Buffer.concat([scan, Buffer.from('\n%twice\n')]));
    const first = await killBusySandbox();
    await killBusySandbox([first]);
    const done = await waitForDocument(harness.app, id, outlet.headers, 90_000);
    expect(done.status).toBe('failed');
    expect(done.status_reason).toMatch(
      /^The PDF could not be read: the extraction process was stopped from outside twice \(signal SIGKILL, then SIGKILL\)/,
    );
  }, 120_000);
});

describe('describeCrash, for a process stopped by a signal', () => {
  const end = { mime: 'application/pdf', exitCode: null, stderr: '', memoryMb: 512 };
  it('tells a stop from outside from a crash and from running out of heap', () => {
    expect(describeCrash({ ...end, signal: 'SIGKILL' })).toBe(
      'The PDF could not be read: the extraction process was stopped from outside (signal SIGKILL)',
    );
    expect(describeCrash({ ...end, signal: 'SIGKILL', oomKillerRan: true })).toMatch(
      /stopped from outside \(signal SIGKILL\), most likely by the system's out-of-memory killer/,
    );
    expect(describeCrash({ ...end, signal: 'SIGABRT', stderr: 'FATAL ERROR: Reached heap limit' })).toBe(
      'The PDF could not be read: the parser ran out of memory (the limit is 512 MB)',
    );
    expect(describeCrash({ ...end, signal: 'SIGSEGV' })).toBe(
      'The PDF could not be read: the extraction process crashed (SIGSEGV)',
    );
  });
});
