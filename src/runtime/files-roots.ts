import { lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { HeraldError } from '../errors/herald-error.js';

/** A file path that passed the roots check. */
export interface ConfinedPath {
  /** Absolute form of the path as the socket gave it. */
  readonly path: string;
  /** The real path written: parent resolved with realpath, symlinked files followed. Files are shared by it. */
  readonly realPath: string;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function refuse(message: string): never {
  throw new HeraldError('HERALD_ERR_BAD_SOCKET', message);
}

/** Follows a symlinked file to its target; refuses dangling links, directories and anything else that is not a regular file. */
function resolveFile(candidate: string, given: string): string {
  let stats;
  try {
    stats = lstatSync(candidate);
  } catch {
    return candidate; // Not there yet: it will be created on open.
  }
  let real = candidate;
  if (stats.isSymbolicLink()) {
    try {
      real = realpathSync(candidate);
      stats = statSync(real);
    } catch {
      refuse(`File path ${given} is a symlink to nothing; point it at a file or remove it`);
    }
  }
  if (stats.isDirectory()) refuse(`File path ${given} is a directory; give a file path`);
  if (!stats.isFile()) refuse(`File path ${given} is ${stats.isFIFO() ? 'a FIFO' : 'a socket or device'}, not a regular file`);
  return real;
}

function outside(path: string, shown: string, roots: readonly string[]): never {
  const allowed = roots.length > 0 ? roots.join(', ') : '(none configured)';
  throw new HeraldError(
    'HERALD_ERR_PATH_NOT_ALLOWED',
    `File path ${path}${shown} is outside the allowed roots: ${allowed}. Add a root under files.roots in herald.yaml`,
  );
}

/**
 * The one confinement check for every path the daemon can be made to write (file
 * backends, trace file: destinations, SQLite stores, spools): the path, after `..`, must
 * lie under a root (as configured or as its real path) BEFORE the file system is asked
 * anything, so a refusal never tells whether a directory exists outside the roots
 * (issue 12 point 3). Then its parent must exist, it must not be a directory or a special
 * file (FIFO, socket, device), and its real path (after symlinks) must still lie under a root.
 * @throws HeraldError HERALD_ERR_PATH_NOT_ALLOWED (outside every root; the message names them)
 * @throws HeraldError HERALD_ERR_BAD_SOCKET (no parent, a directory, a special file, a dangling link)
 */
export function confinePath(path: string, roots: readonly string[]): ConfinedPath {
  const absolute = resolve(path);
  const realRoots = roots.map(realOrSelf);
  if (![...roots.map((root) => resolve(root)), ...realRoots].some((root) => isUnder(absolute, root))) outside(path, '', realRoots);
  const name = basename(absolute);
  let realDir: string;
  try {
    realDir = realpathSync(dirname(absolute));
  } catch {
    refuse(`The directory of ${path} does not exist; create ${dirname(absolute)} first`);
  }
  if (!statSync(realDir).isDirectory()) refuse(`The parent of ${path} is not a directory`);
  const realPath = resolveFile(join(realDir, name), path);
  if (!realRoots.some((root) => isUnder(realPath, root))) outside(path, ` (real path ${realPath})`, realRoots);
  return { path: absolute, realPath };
}

/** The files SQLite keeps beside a database: each must be confined too, or a planted link moves them out. */
const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'];

/**
 * confinePath for a SQLite database and its -wal, -shm and -journal companions.
 * @throws HeraldError as confinePath, for the first of them that fails.
 */
export function confineSqlitePath(path: string, roots: readonly string[]): ConfinedPath {
  const confined = confinePath(path, roots);
  for (const suffix of SQLITE_COMPANIONS) confinePath(`${confined.realPath}${suffix}`, roots);
  return confined;
}
