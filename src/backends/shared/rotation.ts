import { link, lstat, rename, unlink } from 'node:fs/promises';
import { strftime, type TimeZoneMode } from './strftime.js';

/** Why a file was rotated; the `reason` param of E_FLATSTORE_ROTATION. */
export type RotationReason = 'count' | 'size' | 'period' | 'command';

/** When a file rotates by itself. Zero switches a trigger off. */
export interface RotationPolicy {
  readonly countLines: number;
  readonly sizeBytes: number;
  /** Seconds, aligned to the wall clock (epoch multiples, as OpenSIPS does). */
  readonly periodS: number;
  /** strftime pattern appended to the path; empty for none. */
  readonly suffix: string;
  readonly timezone: TimeZoneMode;
}

/** jsonl daily rolling: PATH is active, a finished day becomes PATH.YYYYMMDD. */
export interface DailyPolicy {
  /** Days of rolled files to keep; 0 keeps all. */
  readonly keep: number;
  readonly compress: boolean;
  readonly timezone: TimeZoneMode;
}

export const NO_ROTATION: RotationPolicy = Object.freeze({ countLines: 0, sizeBytes: 0, periodS: 0, suffix: '', timezone: 'local' });

/** The file actually written: the path plus the evaluated suffix. */
export function activeFileName(path: string, policy: RotationPolicy, nowMs: number): string {
  return policy.suffix === '' ? path : path + strftime(policy.suffix, nowMs, policy.timezone);
}

/** The next wall-clock multiple of the period after `nowMs`. */
export function nextPeriodMs(nowMs: number, periodS: number): number {
  const periodMs = periodS * 1000;
  return (Math.floor(nowMs / periodMs) + 1) * periodMs;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether `path` is there with at least one byte (a symlink counts as its own size). */
export async function hasContent(path: string): Promise<boolean> {
  const stats = await lstat(path).catch(() => undefined);
  return stats !== undefined && stats.size > 0;
}

const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK']);

/**
 * Gives `path` the name `candidate` only if that name is free: link(2) fails with
 * EEXIST instead of replacing, so a name taken between a check and the move (another
 * rotation in the same second, a file an operator dropped there) is never overwritten.
 * On file systems without hard links it falls back to check-then-rename.
 */
async function claimName(path: string, candidate: string): Promise<boolean> {
  try {
    await link(path, candidate);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!LINK_UNSUPPORTED.has(code)) throw error;
    if (await exists(candidate)) return false;
    await rename(path, candidate);
    return true;
  }
  await unlink(path);
  return true;
}

/**
 * Moves a finished file out of the way to `target`, or `target.1`, `target.2`, … — the
 * first name free both as is and gzipped. Returns where it went, or undefined when
 * there was nothing to move.
 */
export async function moveAside(path: string, target: string): Promise<string | undefined> {
  if (!(await exists(path))) return undefined;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? target : `${target}.${n}`;
    if (await exists(`${candidate}.gz`)) continue;
    if (await claimName(path, candidate)) return candidate;
  }
}

/** What `finishedFileTarget` needs to know about a file. */
interface FinishedFileSpec {
  readonly key: string;
  readonly rotation: RotationPolicy;
  readonly daily: DailyPolicy | undefined;
}

/**
 * Where an automatic rotation moves the finished file, or undefined when it stays:
 * a command never moves files (logrotate already did), and with a suffix the next
 * file simply has another name. jsonl days go to PATH.YYYYMMDD, the rest to
 * PATH.YYYYMMDD-HHMMSS.
 */
export function finishedFileTarget(spec: FinishedFileSpec, reason: RotationReason, finishedDay: string, nowMs: number): string | undefined {
  if (reason === 'command') return undefined;
  if (spec.daily !== undefined) return `${spec.key}.${finishedDay}`;
  if (spec.rotation.suffix !== '') return undefined;
  return `${spec.key}.${strftime('%Y%m%d-%H%M%S', nowMs, spec.rotation.timezone)}`;
}
