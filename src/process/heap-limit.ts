import { getHeapStatistics } from 'node:v8';

const MIB = 2 ** 20;

/** The V8 heap-size flags this process was started with, in MiB; undefined when not given. */
export interface HeapFlags {
  readonly maxOldSpaceMiB?: number;
  readonly maxSemiSpaceMiB?: number;
}

/**
 * Reads `--max-old-space-size` and `--max-semi-space-size` (V8 accepts `_` for
 * `-`, and `=N` or a separate `N`) from NODE_OPTIONS and the command line.
 * Node applies NODE_OPTIONS first, so the command line wins, as does the last
 * of repeated flags.
 */
export function heapFlags(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): HeapFlags {
  const args = [...nodeOptions.split(/\s+/).filter((arg) => arg.length > 0), ...execArgv];
  let maxOldSpaceMiB: number | undefined;
  let maxSemiSpaceMiB: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const [rawName, inlineValue] = args[i].split('=', 2);
    const name = rawName.replaceAll('_', '-');
    if (name !== '--max-old-space-size' && name !== '--max-semi-space-size') continue;
    const value = Number(inlineValue ?? args[i + 1]);
    if (!Number.isFinite(value) || value <= 0) continue;
    if (name === '--max-old-space-size') maxOldSpaceMiB = value;
    else maxSemiSpaceMiB = value;
  }
  return { maxOldSpaceMiB, maxSemiSpaceMiB };
}

let startFlags: HeapFlags | undefined;

/** This process's heap flags, read once: V8 took them at start-up and never rereads them. */
function processHeapFlags(): HeapFlags {
  startFlags ??= heapFlags();
  return startFlags;
}

/**
 * The old-generation limit V8 granted: what long-lived data can fill before
 * "JavaScript heap out of memory". `heap_size_limit` adds the young-generation
 * reservation (three semi-spaces), which short-lived objects only pass through;
 * it is 48 MiB on Node 20 and 22 but 192 MiB on Node 24, so with
 * `--max-old-space-size=64` a heap counted against `heap_size_limit` (256 MiB on
 * Node 24) runs out of memory at 25 %.
 *
 * With `--max-old-space-size` the flag is the limit; with only
 * `--max-semi-space-size` the young reservation is taken off. Without either,
 * V8 sized both from the machine's memory and does not say how, so the whole
 * `heap_size_limit` is used: the young part is then a few percent of it.
 */
export function oldGenerationLimit(heapSizeLimit = getHeapStatistics().heap_size_limit, flags: HeapFlags = processHeapFlags()): number {
  if (flags.maxOldSpaceMiB !== undefined) return Math.min(flags.maxOldSpaceMiB * MIB, heapSizeLimit);
  if (flags.maxSemiSpaceMiB !== undefined) return Math.max(heapSizeLimit - 3 * flags.maxSemiSpaceMiB * MIB, MIB);
  return heapSizeLimit;
}
