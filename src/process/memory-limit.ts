import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/** Where the memory limit of E_CORE_SHM_THRESHOLD came from. */
export interface MemoryLimit {
  readonly bytes: number;
  readonly source: 'cgroup v2' | 'cgroup v1' | 'total memory';
}

export interface MemoryLimitOptions {
  /** Root of the cgroup filesystem. Default `/sys/fs/cgroup` (tests point it elsewhere). */
  readonly cgroupRoot?: string;
  /** Contents of /proc/self/cgroup. Default: read it. */
  readonly procSelfCgroup?: string;
  readonly totalMemoryBytes?: number;
}

/**
 * The memory a container may use: the process's cgroup v2 `memory.max`, else
 * cgroup v1 `memory.limit_in_bytes`, looked up under the process's own cgroup
 * path first and the namespace root second. "max" and v1's near-2^63 sentinel
 * mean no limit. A limit above physical memory is replaced by physical memory.
 */
export function readMemoryLimit(options: MemoryLimitOptions = {}): MemoryLimit {
  const root = options.cgroupRoot ?? '/sys/fs/cgroup';
  const total = options.totalMemoryBytes ?? totalmem();
  const paths = cgroupPaths(options.procSelfCgroup ?? readOr('/proc/self/cgroup', ''));
  const v2 = smallestLimit(ancestors(paths.v2).map((p) => `${root}${p}/memory.max`));
  const v1 = smallestLimit(ancestors(paths.v1).map((p) => `${root}/memory${p}/memory.limit_in_bytes`));
  let best: MemoryLimit = { bytes: total, source: 'total memory' };
  if (v1 !== undefined && v1 < best.bytes) best = { bytes: v1, source: 'cgroup v1' };
  if (v2 !== undefined && v2 < best.bytes) best = { bytes: v2, source: 'cgroup v2' };
  return best;
}

/** A limit set on a parent cgroup binds its children too, so every ancestor counts. */
function smallestLimit(files: readonly string[]): number | undefined {
  let smallest: number | undefined;
  for (const file of files) {
    const bytes = parseLimit(readOr(file, ''));
    if (bytes !== undefined && (smallest === undefined || bytes < smallest)) smallest = bytes;
  }
  return smallest;
}

/** `/a/b` → ['/a/b', '/a', ''] (the last is the cgroup root). */
function ancestors(path: string): string[] {
  const parts = path.split('/').filter((part) => part.length > 0);
  const out: string[] = [];
  for (let n = parts.length; n >= 0; n--) out.push(n === 0 ? '' : `/${parts.slice(0, n).join('/')}`);
  return out;
}

/** The cgroup paths of the process: `0::/path` (v2) and the `memory` controller line (v1). */
export function cgroupPaths(procSelfCgroup: string): { v2: string; v1: string } {
  let v2 = '/';
  let v1 = '/';
  for (const line of procSelfCgroup.split('\n')) {
    const [id, controllers, path] = splitCgroupLine(line);
    if (path === undefined) continue;
    if (id === '0' && controllers === '') v2 = path;
    if (controllers.split(',').includes('memory')) v1 = path;
  }
  return { v2, v1 };
}

function splitCgroupLine(line: string): [string, string, string | undefined] {
  const first = line.indexOf(':');
  const second = line.indexOf(':', first + 1);
  if (first < 0 || second < 0) return ['', '', undefined];
  return [line.slice(0, first), line.slice(first + 1, second), line.slice(second + 1).trim()];
}

/** Bytes, or undefined for "max", the v1 "unlimited" sentinel, or garbage. */
export function parseLimit(text: string): number | undefined {
  const value = text.trim();
  if (!/^\d+$/.test(value)) return undefined;
  const bytes = Number(value);
  // cgroup v1 writes PAGE_COUNTER_MAX * page size (about 2^63) for "unlimited".
  return bytes > 2 ** 60 ? undefined : bytes;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}
