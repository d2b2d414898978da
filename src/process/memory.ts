import { getHeapStatistics } from 'node:v8';
import type { Bus } from '../bus/bus.js';
import { E_CORE_PKG_THRESHOLD, E_CORE_SHM_THRESHOLD } from '../events/packs/core.js';
import { oldGenerationLimit } from './heap-limit.js';
import { readMemoryLimit } from './memory-limit.js';
import { ThresholdTracker, usagePercent } from './threshold-tracker.js';

export { ThresholdTracker, usagePercent } from './threshold-tracker.js';
export { readMemoryLimit } from './memory-limit.js';
export { heapFlags, oldGenerationLimit, type HeapFlags } from './heap-limit.js';
export type { MemoryLimit, MemoryLimitOptions } from './memory-limit.js';

/** One reading: bytes in use against the bytes available. */
export interface MemorySample {
  readonly used: number;
  readonly size: number;
}

export interface MemoryWatchOptions {
  readonly bus: Pick<Bus, 'raise'>;
  /** E_CORE_PKG_THRESHOLD: V8 heap used against the old-generation limit, percent; 0 off. */
  readonly heapThresholdPercent: number;
  /** E_CORE_SHM_THRESHOLD: RSS against the memory limit, percent; 0 off. */
  readonly rssThresholdPercent: number;
  /** Sampling interval. Default 1000 ms. */
  readonly intervalMs?: number;
  /** Readers, replaceable for tests. Defaults read V8 and the process. */
  readonly readHeap?: () => MemorySample;
  readonly readRss?: () => MemorySample;
}

/**
 * V8 heap in use against the old-generation limit (`--max-old-space-size`):
 * the limit the heap actually runs out at (see `oldGenerationLimit`).
 */
export function readHeap(): MemorySample {
  const stats = getHeapStatistics();
  return { used: stats.used_heap_size, size: oldGenerationLimit(stats.heap_size_limit) };
}

/** A reader of RSS against the memory limit, which is read once (cgroup or total memory). */
export function rssReader(limitBytes = readMemoryLimit().bytes): () => MemorySample {
  return () => ({ used: process.memoryUsage.rss(), size: limitBytes });
}

export interface MemoryWatch {
  /** Takes one sample now (what the timer does). */
  sample(): void;
  stop(): void;
}

/**
 * Samples memory on an unref'd timer and raises E_CORE_PKG_THRESHOLD /
 * E_CORE_SHM_THRESHOLD by OpenSIPS's rule (ThresholdTracker): on crossing up,
 * on every whole-percent change while above, once on dropping back below.
 * OpenSIPS checks inside every malloc; a sampler sees fewer changes but costs
 * nothing between samples.
 */
export function watchMemory(options: MemoryWatchOptions): MemoryWatch {
  const heap = new ThresholdTracker(options.heapThresholdPercent);
  const rss = new ThresholdTracker(options.rssThresholdPercent);
  const getHeap = options.readHeap ?? readHeap;
  const getRss = options.rssThresholdPercent > 0 ? options.readRss ?? rssReader() : undefined;
  const { bus } = options;

  const sample = (): void => {
    if (heap.thresholdPercent > 0) {
      const { used, size } = getHeap();
      const usage = usagePercent(used, size);
      if (heap.update(usage)) {
        bus.raise(E_CORE_PKG_THRESHOLD, { usage, threshold: heap.thresholdPercent, used, size, pid: process.pid });
      }
    }
    if (getRss !== undefined) {
      const { used, size } = getRss();
      const usage = usagePercent(used, size);
      if (rss.update(usage)) bus.raise(E_CORE_SHM_THRESHOLD, { usage, threshold: rss.thresholdPercent, used, size });
    }
  };

  let timer: NodeJS.Timeout | undefined;
  if (heap.thresholdPercent > 0 || rss.thresholdPercent > 0) {
    timer = setInterval(sample, options.intervalMs ?? 1000);
    timer.unref();
  }
  return {
    sample,
    stop: () => clearInterval(timer),
  };
}
