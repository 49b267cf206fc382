// The archive as `npm start` runs it, in a process of its own, joined to a benchmark's PostgreSQL and
// Meilisearch: benchmarks measure it over HTTP from outside, as a client would. BENCH_SERVER_PROFILE=DIR
// writes the server's CPU profile there.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { BackingServices } from '../../server/runtime/backingServices.ts';
import { findFreePort } from '../../server/runtime/dataDirState.ts';

export interface ArchiveServer {
  process: ChildProcess;
  base: URL;
}

export async function startArchiveServer(input: {
  dataDir: string;
  services: Pick<BackingServices, 'databaseUrl' | 'meiliUrl' | 'meiliKey'>;
  /** More environment: rate limits raised for the bench's one address, an index prefix. */
  env?: Record<string, string>;
}): Promise<ArchiveServer> {
  const port = await findFreePort();
  const profile = process.env.BENCH_SERVER_PROFILE;
  const profiling = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: path.join(input.dataDir, 'archive'),
      DATABASE_URL: input.services.databaseUrl,
      MEILI_URL: input.services.meiliUrl,
      MEILI_MASTER_KEY: input.services.meiliKey,
      RUN_WORKER: 'false',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      ...input.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = new URL(`http://127.0.0.1:${port}`);
  for (let tries = 0; ; tries++) {
    const healthy = await fetch(new URL('/health', base)).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (tries > 300 || child.exitCode !== null) {
      child.kill('SIGTERM');
      throw new Error('the archive did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { process: child, base };
}
