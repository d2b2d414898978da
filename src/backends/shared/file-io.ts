import { constants, fchmod, fdatasync, fstat, ftruncate, open, close, writev, type Stats } from 'node:fs';

/** Thin promise wrappers over fd calls: raw fds avoid FileHandle's per-call overhead on the hot path. */

export interface OpenedFile {
  readonly fd: number;
  /** Bytes in the file when opened. */
  readonly size: number;
}

function openFd(path: string, flags: number, mode: number): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, mode, (error, fd) => (error ? reject(error) : resolve(fd))));
}

function fstatFd(fd: number): Promise<Stats> {
  return new Promise((resolve, reject) => fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats))));
}

export async function fstatSize(fd: number): Promise<number> {
  return (await fstatFd(fd)).size;
}

function fchmodFd(fd: number, mode: number): Promise<void> {
  return new Promise((resolve, reject) => fchmod(fd, mode, (error) => (error ? reject(error) : resolve())));
}

/**
 * Flags every events file is opened with. O_NOFOLLOW: a symlink put at the path
 * (after `mv`, before `herald rotate`) is refused instead of followed out of the
 * roots. O_NONBLOCK: opening a FIFO never parks a libuv thread waiting for a
 * reader (issue 12, points 5 and 6); on a regular file it changes nothing.
 */
export const SAFE_OPEN_FLAGS = constants.O_NOFOLLOW | constants.O_NONBLOCK;

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** What an open of `path` failed with, said plainly; the errno code is kept. */
function openError(path: string, error: NodeJS.ErrnoException): Error {
  const why = error.code === 'ELOOP' ? 'it is a symlink, and events files are never opened through one'
    : error.code === 'ENXIO' ? 'it is a FIFO or socket, not a regular file'
      : undefined;
  if (why === undefined) return error;
  return Object.assign(new Error(`Refusing to open ${path}: ${why}`, { cause: error }), { code: error.code });
}

/**
 * Opens `path` with SAFE_OPEN_FLAGS plus `flags`, and refuses anything but a
 * regular file before the fd is used. @throws Error (code kept: ELOOP, ENXIO, EFTYPE)
 */
export async function openRegular(path: string, flags: number, mode = 0o600): Promise<number> {
  let fd: number;
  try {
    fd = await openFd(path, flags | SAFE_OPEN_FLAGS, mode);
  } catch (error) {
    throw openError(path, error as NodeJS.ErrnoException);
  }
  try {
    const stats = await fstatFd(fd);
    if (!stats.isFile()) throw Object.assign(new Error(`Refusing to write ${path}: it is ${kindOf(stats)}, not a regular file`), { code: 'EFTYPE' });
    return fd;
  } catch (error) {
    await closeFd(fd).catch(() => undefined);
    throw error;
  }
}

/**
 * Opens `path` for appending: a regular file only, never through a symlink (see
 * SAFE_OPEN_FLAGS). A file this call creates gets exactly `mode` (fchmod after
 * create, so the umask does not matter); an existing file keeps its own.
 */
export async function openAppend(path: string, mode: number): Promise<OpenedFile> {
  const base = constants.O_WRONLY | constants.O_APPEND;
  let fd: number;
  let created = true;
  try {
    fd = await openRegular(path, base | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
    fd = await openRegular(path, base, mode);
  }
  try {
    if (created) await fchmodFd(fd, mode);
    return { fd, size: created ? 0 : await fstatSize(fd) };
  } catch (error) {
    await closeFd(fd).catch(() => undefined);
    throw error;
  }
}

export function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => close(fd, (error) => (error ? reject(error) : resolve())));
}

export function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}

export function truncateFd(fd: number, size: number): Promise<void> {
  return new Promise((resolve, reject) => ftruncate(fd, size, (error) => (error ? reject(error) : resolve())));
}

function writevOnce(fd: number, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => writev(fd, chunks as Buffer[], (error, written) => (error ? reject(error) : resolve(written))));
}

/** A write that stopped part-way: `written` bytes reached the file before `cause`. */
export class PartialWriteError extends Error {
  readonly written: number;
  constructor(written: number, cause: unknown) {
    super((cause as Error).message, { cause });
    this.name = 'PartialWriteError';
    this.written = written;
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== undefined) (this as NodeJS.ErrnoException).code = code;
  }
}

/** The chunks left after the first `bytes` bytes. */
export function skipBytes(chunks: readonly Buffer[], bytes: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = bytes;
  for (const chunk of chunks) {
    if (skip >= chunk.length) skip -= chunk.length;
    else {
      out.push(skip > 0 ? chunk.subarray(skip) : chunk);
      skip = 0;
    }
  }
  return out;
}

/** Writes every chunk (one writev per try), looping over short writes. @throws PartialWriteError */
export async function writeAll(fd: number, chunks: readonly Buffer[]): Promise<number> {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  let written = 0;
  let rest = chunks;
  while (written < total) {
    try {
      const now = await writevOnce(fd, rest);
      if (now === 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
      written += now;
      rest = skipBytes(rest, now);
    } catch (error) {
      throw new PartialWriteError(written, error);
    }
  }
  return total;
}
