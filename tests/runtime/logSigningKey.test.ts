// The log's key: generated once into DATA_DIR (owner only) and the same at every start after, or given by
// LOG_SIGNING_KEY in Go's format; a malformed one stops start-up naming the variable.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSignerKey, formatVerifierKey } from '../../domain/transparencyLog/note.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { loadLogSigner, logOriginOf, SIGNING_KEY_FILE } from '../../server/runtime/logSigningKey.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('the log signing key', () => {
  it('is generated at first start, 0600, named by the origin, and the same at the next start', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'log-key-'));
    dirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://archive.example/takedowns/' });
    const first = await loadLogSigner(config);
    expect(first.name).toBe('archive.example/takedowns');
    expect((await stat(path.join(dataDir, SIGNING_KEY_FILE))).mode & 0o777).toBe(0o600);
    const again = await loadLogSigner(config);
    expect(formatVerifierKey(again)).toBe(formatVerifierKey(first));
  });

  it('comes from LOG_SIGNING_KEY when given, and a malformed one is refused', async () => {
    const text = formatSignerKey('archive.example/log', Buffer.alloc(32, 9));
    const config = loadConfig({ DATA_DIR: '/nonexistent/never-written', LOG_SIGNING_KEY: text });
    expect((await loadLogSigner(config)).name).toBe('archive.example/log');
    expect(() => loadConfig({ LOG_SIGNING_KEY: text.replace(/\+[0-9a-f]{8}\+/, '+00000000+') })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ LOG_SIGNING_KEY: 'PRIVATE+KEY+nope' })).toThrow(/LOG_SIGNING_KEY/);
  });

  it('takes its origin from LOG_ORIGIN, else PUBLIC_URL without the scheme, else a fixed name', () => {
    expect(logOriginOf({ LOG_ORIGIN: 'example.org/log', PUBLIC_URL: 'https://x.example' })).toBe(
      'example.org/log',
    );
    expect(logOriginOf({ LOG_ORIGIN: undefined, PUBLIC_URL: 'https://x.example/' })).toBe('x.example');
    expect(logOriginOf({ LOG_ORIGIN: undefined, PUBLIC_URL: undefined })).toBe(
      'takedown-archive.invalid/log',
    );
  });
});
