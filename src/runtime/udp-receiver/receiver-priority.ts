import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/*
 * The receive threads' share of the CPU: every other thread of the process yields to them
 * (trace.yield_to_receivers). The set below is what is left alone; a receive thread started
 * again after a crash (receiver-thread.ts) is added to it and its predecessor removed.
 */

/** Kernel thread ids of the running receive threads. */
const RECEIVE_THREAD_IDS = new Set<number>();
/** The priority the threads had before the others were lowered: where a receive thread started later belongs. */
let receiveNice: number | undefined;

/** Leaves thread `threadId` its priority from now on; the returned function forgets it (its worker has exited). */
export function registerReceiveThread(threadId: number): () => void {
  RECEIVE_THREAD_IDS.add(threadId);
  return () => {
    RECEIVE_THREAD_IDS.delete(threadId);
  };
}

/**
 * Gives the receive threads the CPU first under load: every other thread of the process
 * (the main thread, V8's and libuv's helpers, the writers) is set to at least `nice`.
 * Linux only (per-thread priorities, listed in /proc/self/task); raising one's own nice
 * needs no privilege. Returns how many threads it lowered.
 */
export function yieldToReceiveThreads(nice: number): number {
  if (RECEIVE_THREAD_IDS.size === 0) return 0;
  receiveNice ??= getPriority();
  let lowered = 0;
  for (const name of readdirSync('/proc/self/task')) {
    const tid = Number(name);
    if (RECEIVE_THREAD_IDS.has(tid)) continue;
    try {
      if (getPriority(tid) >= nice) continue;
      setPriority(tid, nice);
      lowered++;
    } catch {
      // The thread has exited meanwhile.
    }
  }
  return lowered;
}

/**
 * A thread started after yieldToReceiveThreads took its creator's (the main thread's)
 * lowered priority, as Linux threads do: sets it back to what the receive threads had.
 * Lowering a nice value needs CAP_SYS_NICE (or RLIMIT_NICE): false when it was refused.
 */
export function restoreReceivePriority(threadId: number): boolean {
  if (receiveNice === undefined) return true;
  try {
    if (getPriority(threadId) > receiveNice) setPriority(threadId, receiveNice);
    return true;
  } catch {
    return false;
  }
}
