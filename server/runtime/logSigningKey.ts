// The transparency log's Ed25519 signing key and origin: given by LOG_SIGNING_KEY, or generated at first
// start into DATA_DIR/log-signing-key (owner only) and read from there ever after.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  formatSignerKey,
  isValidKeyName,
  parseSignerKey,
  type NoteSigner,
} from '../../domain/transparencyLog/note.ts';
import type { Config } from '../config.ts';
import { PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE } from './dataDirPermissions.ts';

export const SIGNING_KEY_FILE = 'log-signing-key';
const FALLBACK_ORIGIN = 'takedown-archive.invalid/log';

/**
 * The log's origin (the first line of every checkpoint): LOG_ORIGIN, else PUBLIC_URL without its scheme
 * and trailing slash (archive.example.org/takedowns), else a fixed name that is plainly not a real host.
 */
export function logOriginOf(config: Pick<Config, 'LOG_ORIGIN' | 'PUBLIC_URL'>): string {
  if (config.LOG_ORIGIN) return config.LOG_ORIGIN;
  if (!config.PUBLIC_URL) return FALLBACK_ORIGIN;
  const url = new URL(config.PUBLIC_URL);
  const origin = `${url.host}${url.pathname}`.replace(/\/+$/, '');
  return isValidKeyName(origin) ? origin : FALLBACK_ORIGIN;
}

/** The signer: LOG_SIGNING_KEY's, or the one kept in DATA_DIR, made there (0600) at first start. */
export async function loadLogSigner(config: Config): Promise<NoteSigner> {
  if (config.LOG_SIGNING_KEY) return parseSignerKey(config.LOG_SIGNING_KEY);
  const file = path.join(config.dataDir, SIGNING_KEY_FILE);
  try {
    return parseSignerKey(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`The log signing key in ${file} cannot be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  await mkdir(config.dataDir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  const text = `${formatSignerKey(logOriginOf(config), randomBytes(32))}\n`;
  try {
    // 'wx': two processes starting at once keep one key, the first one written.
    await writeFile(file, text, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseSignerKey(await readFile(file, 'utf8'));
}
