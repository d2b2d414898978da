import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../../log/logger.js';
import type { Backpressure } from '../backpressure.js';
import type { BoundUdpSocket } from '../recv-buffer.js';
import { readRecord, type DatagramPeer } from '../datagram-journal/record.js';
import { siblingModule, startModuleThread } from '../thread-module.js';
import type { FromReceiver, ReceiverCounters, ReceiverThreadOptions, ToReceiver } from './protocol.js';

/*
 *  receiver thread (receiver-task.ts) ── batch ──▶ delivered here, in slices ──▶ deliver(datagram)
 *        ▲                                                  │
 *        └──────────── processed (held while the queue is congested) ◀┘
 *
 * The main thread's half of a UDP collector socket read on its own thread.
 */

const TASK_MODULE = siblingModule(import.meta.url, 'receiver-task');
/** Datagrams delivered between two turns of the event loop. */
const SLICE = 256;
/** What the main thread may hold before the receiver thread journals instead: about 5,000 HEP packets. */
export const DEFAULT_WINDOW_BYTES = 4 * 1024 * 1024;

export type DatagramDelivery = (data: Buffer, peer: DatagramPeer, receivedUs: number) => void;

export interface UdpReceiverThreadOptions extends Omit<ReceiverThreadOptions, 'windowBytes'> {
  readonly windowBytes?: number;
  readonly deliver: DatagramDelivery;
  /** The queue the datagrams feed: while it is congested the window closes. */
  readonly queue?: Backpressure;
  readonly logger?: Logger;
}


/** Kernel thread ids of the running receive threads (see yieldToReceiveThreads). */
const RECEIVE_THREAD_IDS = new Set<number>();

/**
 * Gives the receive threads the CPU first under load: every other thread of the process
 * (the main thread, V8's and libuv's helpers, the writers) is set to at least `nice`.
 * Linux only (per-thread priorities, listed in /proc/self/task); raising one's own nice
 * needs no privilege. Returns how many threads it lowered.
 */
export function yieldToReceiveThreads(nice: number): number {
  if (RECEIVE_THREAD_IDS.size === 0) return 0;
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

const NO_COUNTERS: ReceiverCounters = {
  received: 0, journal_spilled: 0, journal_replayed: 0, journal_bytes: 0, dropped_journal_full: 0, dropped_journal_error: 0, journal_torn_bytes: 0,
};

export class UdpReceiverThread {
  readonly #worker: Worker;
  readonly #options: UdpReceiverThreadOptions;
  readonly socket: BoundUdpSocket;
  readonly #batches: Buffer[] = [];
  #delivering: Promise<void> | undefined;
  #counters: ReceiverCounters = NO_COUNTERS;
  #closed: Promise<void> | undefined;
  readonly #finished: Promise<void>;
  /** Resolves when close() is called: delivery stops waiting for the queue then. */
  readonly #closing: Promise<void>;
  #markClosing: () => void = () => undefined;
  #markFinished: () => void = () => undefined;
  #delivered = 0;

  private constructor(worker: Worker, options: UdpReceiverThreadOptions, bound: Extract<FromReceiver, { type: 'bound' }>) {
    this.#worker = worker;
    this.#options = options;
    this.socket = { address: () => bound.address, getRecvBufferSize: () => bound.recvBufferSize };
    if (bound.threadId !== undefined) {
      const threadId = bound.threadId;
      RECEIVE_THREAD_IDS.add(threadId);
      worker.once('exit', () => RECEIVE_THREAD_IDS.delete(threadId));
    }
    this.#closing = new Promise((resolve) => {
      this.#markClosing = resolve;
    });
    // Every batch the thread sent arrives before its 'closed'; an exit without one is a crash.
    this.#finished = new Promise((resolve) => {
      this.#markFinished = resolve;
      worker.once('exit', () => resolve());
    });
    worker.on('message', (message: FromReceiver) => this.#take(message));
    worker.on('error', (error) => options.logger?.error({ err: error }, 'UDP receiver thread failed; the collector no longer receives.'));
  }

  /** Starts the thread and binds; rejects with the bind error (its `code` kept, e.g. EADDRINUSE). */
  static async start(options: UdpReceiverThreadOptions): Promise<UdpReceiverThread> {
    const { deliver: _deliver, queue: _queue, logger: _logger, ...threadOptions } = options;
    const worker = startModuleThread(TASK_MODULE, { ...threadOptions, windowBytes: options.windowBytes ?? DEFAULT_WINDOW_BYTES } satisfies ReceiverThreadOptions, `udp ${options.host}:${options.port}`);
    const first = await new Promise<FromReceiver>((resolve, reject) => {
      const onMessage = (message: FromReceiver) => {
        if (message.type === 'log') return logLine(options.logger, message);
        worker.off('message', onMessage);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`UDP receiver thread exited (${code}) before binding`)));
    });
    if (first.type !== 'bound') {
      await worker.terminate();
      const message = first.type === 'bind_error' ? first.message : `unexpected ${first.type}`;
      throw Object.assign(new Error(message), first.type === 'bind_error' && first.code !== undefined ? { code: first.code } : {});
    }
    return new UdpReceiverThread(worker, options, first);
  }

  /** The thread's counters (as of its last message) and the datagrams delivered here. */
  counters(): ReceiverCounters & { readonly delivered: number } {
    return { ...this.#counters, delivered: this.#delivered };
  }

  /** Closes the socket; the thread journals or sends what it holds, then what was sent is delivered. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#markClosing();
      this.#post({ type: 'close' });
      await this.#finished;
      await this.#delivering;
    })();
    return this.#closed;
  }

  #take(message: FromReceiver): void {
    switch (message.type) {
      case 'batch':
        this.#counters = message.counters;
        this.#batches.push(Buffer.from(message.buffer, 0, message.bytes));
        this.#delivering ??= this.#deliverAll().finally(() => {
          this.#delivering = undefined;
        });
        return;
      case 'counters':
        this.#counters = message.counters;
        return;
      case 'closed':
        this.#counters = message.counters;
        this.#markFinished();
        return;
      case 'log':
        return logLine(this.#options.logger, message);
      default:
    }
  }

  async #deliverAll(): Promise<void> {
    const { deliver, queue } = this.#options;
    for (let batch = this.#batches.shift(); batch !== undefined; batch = this.#batches.shift()) {
      let at = 0;
      while (at < batch.length) {
        // A congested queue stops delivery between slices: the acknowledgement waits, the window
        // closes and the thread journals. A replayed chunk may hold thousands of datagrams.
        if (queue?.congested === true && this.#closed === undefined) await Promise.race([queue.whenRelieved(), this.#closing]);
        for (let inSlice = 0; inSlice < SLICE && at < batch.length; inSlice++) {
          const read = readRecord(batch, at);
          if (read.kind !== 'record') {
            at = batch.length; // the thread wrote whole records: cannot happen
            break;
          }
          at += read.record.size;
          this.#delivered++;
          deliver(read.record.data, read.record.peer, read.record.receivedUs);
        }
        if (at < batch.length) await yieldToLoop();
      }
      this.#post({ type: 'processed', bytes: batch.length });
    }
  }

  #post(message: ToReceiver): void {
    try {
      this.#worker.postMessage(message);
    } catch {
      // The thread has exited: nothing to tell it.
    }
  }
}

function logLine(logger: Logger | undefined, line: Extract<FromReceiver, { type: 'log' }>): void {
  logger?.[line.level](line.fields, line.message);
}
