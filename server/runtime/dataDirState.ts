// Remembers, per data directory, the generated secrets and the ports its embedded servers use,
// so a restart reuses them and two archives with different data directories never collide.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PASSABLE_DIRECTORY_MODE, PRIVATE_DIRECTORY_MODE } from './dataDirPermissions.ts';

export interface DataDirState {
  postgresPassword: string;
  meiliMasterKey: string;
  postgresPort?: number;
  meiliPort?: number;
}

const STATE_FILE = 'runtime.json';

export async function readDataDirState(dataDir: string): Promise<DataDirState> {
  // As root, embedded PostgreSQL's own user must pass through DATA_DIR to its folder (see dataDirPermissions.ts).
  const mode = process.getuid?.() === 0 ? PASSABLE_DIRECTORY_MODE : PRIVATE_DIRECTORY_MODE;
  await mkdir(dataDir, { recursive: true, mode });
  const file = path.join(dataDir, STATE_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DataDirState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const fresh: DataDirState = {
      postgresPassword: randomBytes(24).toString('base64url'),
      meiliMasterKey: randomBytes(32).toString('base64url'),
    };
    await writeDataDirState(dataDir, fresh);
    return fresh;
  }
}

export async function writeDataDirState(dataDir: string, state: DataDirState): Promise<void> {
  const file = path.join(dataDir, STATE_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  // The file holds secrets: readable by the owner only.
  await writeFile(temp, JSON.stringify(state, null, 2), { mode: 0o600 });
  await rename(temp, file);
}

/** Whether something already listens on 127.0.0.1:port. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port the OS reports free right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Reuses the remembered port when it is still free, else picks a new one. */
export async function choosePort(remembered: number | undefined): Promise<number> {
  if (remembered !== undefined && (await isPortFree(remembered))) return remembered;
  return findFreePort();
}
