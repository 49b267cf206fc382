// The content-addressed blob store: every original file kept byte for byte under its sha256,
// written once (temp file, fsync, atomic rename), never buffered whole in memory. Files and folders are
// the archive's user's alone (0600/0700) from the moment they exist: no other local user reads a document.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArchiveError } from '../errors.ts';

const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

export interface StoredBlob {
  sha256: string;
  size: number;
  path: string;
  /** The same bytes were already in the store. */
  alreadyStored: boolean;
}

export class BlobTooLargeError extends ArchiveError {
  constructor(limit: number) {
    super('too_large', `The file is larger than the limit of ${formatBytes(limit)}`);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${bytes} bytes`;
}

export class BlobStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Streams `source` into the store, hashing as it goes; nothing is left behind if it fails. */
  async store(source: Readable, maxBytes: number): Promise<StoredBlob> {
    const tempDir = path.join(this.root, 'tmp');
    await mkdir(tempDir, { recursive: true, mode: DIRECTORY_MODE });
    const tempPath = path.join(tempDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) return callback(new BlobTooLargeError(maxBytes));
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tempPath, { flags: 'wx', mode: FILE_MODE }));
      // A truncated upload (client gone, limit hit by the multipart parser) must not be stored.
      if ((source as Readable & { truncated?: boolean }).truncated) throw new BlobTooLargeError(maxBytes);
      await fsync(tempPath);
      const sha256 = hash.digest('hex');
      const finalPath = this.pathOf(sha256);
      if (await exists(finalPath)) {
        await rm(tempPath, { force: true });
        return { sha256, size, path: finalPath, alreadyStored: true };
      }
      await mkdir(path.dirname(finalPath), { recursive: true, mode: DIRECTORY_MODE });
      await rename(tempPath, finalPath);
      await fsync(path.dirname(finalPath));
      return { sha256, size, path: finalPath, alreadyStored: false };
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
  }
}

async function fsync(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
