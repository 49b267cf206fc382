// `npm run verify` and `npm run monitor`, run as a reader runs them (child processes): verify accepts a file
// with its proof and names the step that fails for a changed file, entry, proof or key; monitor accepts a log
// that only grows and raises the alarm when one shrinks, forks or rewrites its history.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDocumentEntry } from '../../domain/transparencyLog/entry.ts';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  memoryReader,
  treeRoot,
} from '../../domain/transparencyLog/merkle.ts';
import {
  formatCheckpoint,
  formatVerifierKey,
  signerFromSeed,
  signNote,
  type NoteSigner,
} from '../../domain/transparencyLog/note.ts';
import { formatTlogProof } from '../../domain/transparencyLog/tlogProof.ts';

const ORIGIN = 'archive.example/log';
const signer = signerFromSeed(ORIGIN, randomBytes(32));
const KEY = formatVerifierKey(signer);

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { cwd: process.cwd(), timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** An in-memory log, signed like the archive's. */
class MemoryLog {
  entries: Buffer[] = [];
  constructor(private readonly key: NoteSigner = signer) {}
  append(file: Buffer): number {
    const index = this.entries.length;
    this.entries.push(
      Buffer.from(
        formatDocumentEntry({
          orderPublicId: 'TD-2026-00017',
          documentId: index + 1,
          sha256: createHash('sha256').update(file).digest('hex'),
          size: file.length,
          received: new Date('2026-12-04T19:08:41Z'),
          nonce: randomBytes(16).toString('hex'),
        }),
      ),
    );
    return index;
  }
  get reader() {
    return memoryReader(this.entries.map(leafHash));
  }
  async checkpoint(size = this.entries.length): Promise<string> {
    const root = await treeRoot(size, this.reader);
    return signNote(formatCheckpoint({ origin: ORIGIN, size, root }), this.key);
  }
  async tlog(index: number): Promise<string> {
    const size = this.entries.length;
    return formatTlogProof({
      extra: this.entries[index]!,
      index,
      inclusion: await inclusionProof(index, size, this.reader),
      checkpoint: await this.checkpoint(),
    });
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proof-tools-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run verify', () => {
  it('verifies a file against its .tlog or JSON proof, and names the step that fails', async () => {
    const log = new MemoryLog();
    const files = ['приказ.pdf', 'letter.eml', 'scan.png'].map((name) => Buffer.from(`contents of ${name}`));
    files.forEach((file) => log.append(file));
    const filePath = join(dir, 'order.pdf');
    const proofPath = join(dir, 'order.tlog');
    await writeFile(filePath, files[1]!);
    await writeFile(proofPath, await log.tlog(1));

    const ok = await run('server/verifyMain.ts', [filePath, proofPath, '--key', KEY]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/VERIFIED: .* is document 2 of order TD-2026-00017, leaf 1 of the 3-leaf tree/);

    const jsonPath = join(dir, 'proof.json');
    await writeFile(
      jsonPath,
      JSON.stringify({
        entry: log.entries[1]!.toString('base64'),
        leaf_index: 1,
        tree_size: 3,
        inclusion: (await inclusionProof(1, 3, log.reader)).map((hash) => hash.toString('base64')),
        checkpoint: await log.checkpoint(),
      }),
    );
    expect((await run('server/verifyMain.ts', [filePath, jsonPath, '--key', KEY])).code).toBe(0);

    const changedPath = join(dir, 'changed.pdf');
    await writeFile(changedPath, Buffer.concat([files[1]!, Buffer.from(' ')]));
    const changed = await run('server/verifyMain.ts', [changedPath, proofPath, '--key', KEY]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/FAIL bytes/);
    expect(changed.stderr).toMatch(/the bytes step failed/);

    const proof = await readFile(proofPath, 'utf8');
    await writeFile(join(dir, 'moved.tlog'), proof.replace('index 1', 'index 2'));
    const moved = await run('server/verifyMain.ts', [filePath, join(dir, 'moved.tlog'), '--key', KEY]);
    expect([moved.code, moved.stderr]).toEqual([1, expect.stringMatching(/the inclusion step failed/)]);

    const stranger = formatVerifierKey(signerFromSeed(ORIGIN, randomBytes(32)));
    const forged = await run('server/verifyMain.ts', [filePath, proofPath, '--key', stranger]);
    expect([forged.code, forged.stderr]).toEqual([1, expect.stringMatching(/the checkpoint step failed/)]);

    await writeFile(join(dir, 'other.tlog'), await log.tlog(0));
    const other = await run('server/verifyMain.ts', [filePath, join(dir, 'other.tlog'), '--key', KEY]);
    expect([other.code, other.stderr]).toEqual([1, expect.stringMatching(/the bytes step failed/)]);

    const noKey = await run('server/verifyMain.ts', [filePath, proofPath]);
    expect([noKey.code, noKey.stderr]).toEqual([2, expect.stringMatching(/--key/)]);
  });
});

describe('npm run monitor', () => {
  let log: MemoryLog;
  let served: () => Promise<string>;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      void (async () => {
        const address = new URL(request.url ?? '/', 'http://localhost');
        if (address.pathname === '/api/log/key') return response.end(KEY);
        if (address.pathname === '/api/log/checkpoint') return response.end(await served());
        if (address.pathname === '/api/log/consistency') {
          const [from, to] = [
            Number(address.searchParams.get('from')),
            Number(address.searchParams.get('to')),
          ];
          const proof = await consistencyProof(from, to, log.reader);
          response.setHeader('content-type', 'application/json');
          return response.end(
            JSON.stringify({ from, to, proof: proof.map((hash) => hash.toString('base64')) }),
          );
        }
        response.statusCode = 404;
        response.end();
      })().catch(() => {
        response.statusCode = 500;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const grow = (count: number) => {
    for (let i = 0; i < count; i++) log.append(randomBytes(8));
  };

  it('follows a log that grows, and raises the alarm when it shrinks, forks or rewrites history', async () => {
    log = new MemoryLog();
    grow(5);
    served = () => log.checkpoint();
    const state = join(dir, 'monitor.json');
    const monitor = (...args: string[]) => run('server/monitorMain.ts', [url, '--state', state, ...args]);

    const first = await monitor();
    expect([first.code, first.stdout]).toEqual([0, expect.stringMatching(/first checkpoint: 5 leaves/)]);
    expect(JSON.parse(await readFile(state, 'utf8'))).toMatchObject({ url, key: KEY });

    grow(7);
    const grown = await monitor();
    expect([grown.code, grown.stdout]).toEqual([
      0,
      expect.stringMatching(/grew from 5 to 12 leaves, consistent/),
    ]);
    expect((await monitor()).stdout).toMatch(/unchanged: 12 leaves/);

    // The archive serves an older, smaller tree it once signed.
    served = () => log.checkpoint(9);
    const shrunk = await monitor();
    expect([shrunk.code, shrunk.stderr]).toEqual([1, expect.stringMatching(/ALARM .* shrank from 12 to 9/)]);
    expect(shrunk.stderr).toContain(await log.checkpoint(12));

    // History rewritten: leaf 3 replaced, the tree grown, everything re-signed.
    const honest = log;
    log = new MemoryLog();
    log.entries = [...honest.entries];
    log.entries[3] = Buffer.from(log.entries[3]!.toString().replace(/nonce \w+/, `nonce ${'0'.repeat(32)}`));
    grow(2);
    served = () => log.checkpoint();
    const rewritten = await monitor();
    expect([rewritten.code, rewritten.stderr]).toEqual([
      1,
      expect.stringMatching(/not consistent .* rewritten/),
    ]);

    // Same size, another root.
    log.entries = log.entries.slice(0, 12);
    const forked = await monitor();
    expect([forked.code, forked.stderr]).toEqual([1, expect.stringMatching(/two different roots .* forked/)]);

    // A checkpoint signed by another key.
    const impostor = new MemoryLog(signerFromSeed(ORIGIN, randomBytes(32)));
    impostor.entries = honest.entries;
    served = () => impostor.checkpoint();
    const unsigned = await monitor();
    expect([unsigned.code, unsigned.stderr]).toEqual([
      1,
      expect.stringMatching(/not signed by archive.example\/log/),
    ]);

    // The alarms kept the last good checkpoint: the honest log still checks.
    log = honest;
    served = () => log.checkpoint();
    expect((await monitor()).stdout).toMatch(/unchanged: 12 leaves/);

    const unreachable = await run('server/monitorMain.ts', [
      'http://127.0.0.1:9',
      '--state',
      join(dir, 'x.json'),
    ]);
    expect(unreachable.code).toBe(3);
  });

  it('checks every interval until stopped', async () => {
    log = new MemoryLog();
    grow(2);
    served = () => log.checkpoint();
    const child = execFile(process.execPath, [
      '--import',
      'tsx',
      'server/monitorMain.ts',
      url,
      '--interval',
      '1',
      '--key',
      KEY,
    ]);
    let stdout = '';
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('first checkpoint')) grow(3);
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    for (let waited = 0; !stdout.includes('grew from 2 to 5') && waited < 20_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout).toMatch(/first checkpoint: 2 leaves[\s\S]*grew from 2 to 5 leaves, consistent/);
  });
});
