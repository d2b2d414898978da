import { closeSync, constants, createReadStream, createWriteStream, fchmodSync } from 'node:fs';
import { readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { openRegular } from './file-io.js';
import type { DailyPolicy } from './rotation.js';
import { dayStamp, midnightDaysBefore } from './strftime.js';

/** A rolled file next to the active one: PATH.YYYYMMDD[.N][.gz]. */
export interface RolledFile {
  readonly path: string;
  readonly day: string;
  readonly compressed: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Rolled files of `activePath`, oldest day first. Temporary `.gz.tmp` files are not listed. */
export async function listRolled(activePath: string): Promise<RolledFile[]> {
  const dir = dirname(activePath);
  const pattern = new RegExp(`^${escapeRegExp(basename(activePath))}\\.(\\d{8})(?:\\.\\d+)?(\\.gz)?$`);
  const out: RolledFile[] = [];
  for (const name of await readdir(dir)) {
    const match = pattern.exec(name);
    if (match !== null) out.push({ path: join(dir, name), day: match[1], compressed: match[2] !== undefined });
  }
  return out.sort((a, b) => a.day.localeCompare(b.day) || a.path.localeCompare(b.path));
}

/**
 * Gzips `path` to `path.gz` (with `mode`) via a temporary name, then removes the original.
 * Neither file is opened through a symlink or as a special file: a link dropped at a
 * rolled name must not make Herald read or chmod a file outside the roots.
 */
export async function gzipFile(path: string, mode: number): Promise<string> {
  const target = `${path}.gz`;
  const temporary = `${target}.tmp`;
  const sourceFd = await openRegular(path, constants.O_RDONLY);
  await unlink(temporary).catch(() => undefined); // A leftover of a crash; unlink never follows a link.
  let sinkFd: number;
  try {
    sinkFd = await openRegular(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (error) {
    closeSync(sourceFd);
    throw error;
  }
  fchmodSync(sinkFd, mode); // The temporary name is ours alone (O_EXCL); the mode is set before any byte lands.
  await pipeline(createReadStream('', { fd: sourceFd }), createGzip(), createWriteStream('', { fd: sinkFd }));
  await rename(temporary, target);
  await unlink(path);
  return target;
}

/**
 * Applies `keep` (delete rolled days older than keep days before today) and
 * `compress` (gzip rolled files not yet gzipped). Runs off the write path.
 */
export async function maintainRolled(activePath: string, policy: DailyPolicy, nowMs: number, mode: number): Promise<void> {
  const rolled = await listRolled(activePath);
  const oldestKept = policy.keep > 0 ? dayStamp(midnightDaysBefore(nowMs, policy.keep, policy.timezone), policy.timezone) : '';
  for (const file of rolled) {
    if (file.day < oldestKept) {
      await unlink(file.path).catch(() => undefined);
    } else if (policy.compress && !file.compressed) {
      await gzipFile(file.path, mode);
    }
  }
}
