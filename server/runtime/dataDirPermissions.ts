// Keeps DATA_DIR readable by the archive's own user only: originals, extracted text in the search index
// and secrets must not be open to every local user. Run at start-up (server and worker), it tightens what
// an older version (or a umask) left too open, and names what it cannot fix.
import { chmod, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

/** Folders the archive itself creates: the owner only. */
export const PRIVATE_DIRECTORY_MODE = 0o700;
/** Files the archive itself writes: the owner only. */
export const PRIVATE_FILE_MODE = 0o600;
/**
 * DATA_DIR itself when embedded PostgreSQL runs as its own system user (as root): that user must pass
 * through DATA_DIR to reach its folder (which initdb makes 0700 and its own), but may not list it.
 */
export const PASSABLE_DIRECTORY_MODE = 0o711;
/** PostgreSQL's folder: its own user's business, checked by PostgreSQL itself (it refuses to start if open). */
const POSTGRES_FOLDER = 'postgres';

export interface PermissionReport {
  /** Files and folders whose mode was tightened. */
  fixed: string[];
  /** Files and folders too open that this process could not fix (another owner, or chmod failed). */
  unfixable: string[];
}

const uid = () => process.getuid?.() ?? -1;

/** The mode DATA_DIR itself may have: passable when another user's PostgreSQL lives inside it. */
async function dataDirMode(dataDir: string): Promise<number> {
  try {
    const postgres = await lstat(path.join(dataDir, POSTGRES_FOLDER));
    return postgres.isDirectory() && postgres.uid !== uid()
      ? PASSABLE_DIRECTORY_MODE
      : PRIVATE_DIRECTORY_MODE;
  } catch {
    return PRIVATE_DIRECTORY_MODE;
  }
}

/**
 * Takes away group and other access from everything under DATA_DIR that this process owns (embedded
 * PostgreSQL's folder aside); DATA_DIR itself keeps only the pass-through bit PostgreSQL's user needs.
 */
export async function tightenDataDirPermissions(dataDir: string): Promise<PermissionReport> {
  const report: PermissionReport = { fixed: [], unfixable: [] };
  const tighten = async (file: string, allowedMode?: number) => {
    let stats;
    try {
      stats = await lstat(file);
    } catch {
      return; // gone meanwhile (Meilisearch renames files as it writes)
    }
    if (stats.isSymbolicLink()) return;
    // Executables (a verified Meilisearch copy in bin/) keep their owner's run bit.
    const allowed =
      allowedMode ??
      (stats.isDirectory() ? PRIVATE_DIRECTORY_MODE : PRIVATE_FILE_MODE | (stats.mode & 0o100));
    const mode = stats.mode & 0o777;
    if ((mode & ~allowed) !== 0) {
      if (stats.uid !== uid()) report.unfixable.push(file);
      else {
        try {
          await chmod(file, mode & allowed);
          report.fixed.push(file);
        } catch {
          report.unfixable.push(file);
        }
      }
    }
    if (!stats.isDirectory()) return;
    let entries: string[];
    try {
      entries = await readdir(file);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (file === dataDir && entry === POSTGRES_FOLDER) continue;
      await tighten(path.join(file, entry));
    }
  };
  await tighten(dataDir, await dataDirMode(dataDir));
  return report;
}

/** The start-up check: tightens DATA_DIR's modes and says what it did, and what it could not do. */
export async function checkDataDirPermissions(dataDir: string, logger: Logger): Promise<PermissionReport> {
  const report = await tightenDataDirPermissions(dataDir);
  if (report.fixed.length > 0) {
    logger.warn(
      { fixed: report.fixed.length, examples: report.fixed.slice(0, 5) },
      `made ${report.fixed.length} files and folders in DATA_DIR ${dataDir} readable by the archive's user only`,
    );
  }
  if (report.unfixable.length > 0) {
    logger.error(
      { files: report.unfixable.slice(0, 20), count: report.unfixable.length },
      `${report.unfixable.length} files or folders in DATA_DIR ${dataDir} are readable by other users and ` +
        `could not be fixed (owned by another user?): make them mode 600 (files) or 700 (folders)`,
    );
  }
  return report;
}
