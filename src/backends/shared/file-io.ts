import { constants, fchmod, fdatasync, fstat, ftruncate, open, close, writev } from 'node:fs';

/** Thin promise wrappers over fd calls: raw fds avoid FileHandle's per-call overhead on the hot path. */

export interface OpenedFile {
  readonly fd: number;
  /** Bytes in the file when opened. */
  readonly size: number;
}

function openFd(path: string, flags: number, mode: number): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, mode, (error, fd) => (error ? reject(error) : resolve(fd))));
}

export function fstatSize(fd: number): Promise<number> {
  return new Promise((resolve, reject) => fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats.size))));
}

function fchmodFd(fd: number, mode: number): Promise<void> {
  return new Promise((resolve, reject) => fchmod(fd, mode, (error) => (error ? reject(error) : resolve())));
}

/**
 * Opens `path` for appending. A file this call creates gets exactly `mode`
 * (fchmod after create, so the umask does not matter); an existing file keeps its own.
 */
export async function openAppend(path: string, mode: number): Promise<OpenedFile> {
  const base = constants.O_WRONLY | constants.O_APPEND;
  let fd: number;
  let created = true;
  try {
    fd = await openFd(path, base | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
    fd = await openFd(path, base, mode);
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
