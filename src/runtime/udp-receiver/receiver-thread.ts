import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../../log/logger.js';
import type { Backpressure } from '../backpressure.js';
import type { BoundUdpSocket } from '../recv-buffer.js';
import { readRecord, type DatagramPeer } from '../datagram-journal/record.js';
import type { FromReceiver, ReceiverCounters, ReceiverThreadOptions, ToReceiver } from './protocol.js';
import { CumulativeCounters } from './receiver-counters.js';
import { registerReceiveThread, restoreReceivePriority } from './receiver-priority.js';
import { startReceiver, type ReceiverBound, type ReceiverLogLine, type StartedReceiver } from './receiver-start.js';
import { RestartBackoff } from './restart-backoff.js';
import { formatHostPort } from '../destination-patterns.js';

/*
 *  receiver thread (receiver-task.ts) ── batch ──▶ delivered here, in slices ──▶ deliver(datagram)
 *        ▲                                                  │
 *        └──────────── processed (held while the queue is congested) ◀┘
 *
 * The main thread's half of a UDP collector socket read on its own thread. The socket is
 * the collector's only way in, so a thread that dies (exits without 'closed', close() not
 * called) is started again on the same address and journal (restart-backoff.ts) rather
 * than leaving the collector deaf until the daemon restarts. What a crash loses or
 * repeats: docs/trace.md, "Bursts above what the store takes".
 */

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

/** A batch in the main thread's hands, and the thread its acknowledgement goes to. */
interface HeldBatch {
  readonly buffer: Buffer;
  readonly from: Worker;
}

export class UdpReceiverThread {
  readonly #options: UdpReceiverThreadOptions;
  /** What every thread is started with: the port the first one bound (0 resolved), so a restart takes the same. */
  readonly #threadOptions: ReceiverThreadOptions;
  readonly #where: string;
  readonly socket: BoundUdpSocket;
  readonly #batches: HeldBatch[] = [];
  readonly #counters = new CumulativeCounters();
  readonly #restart = new RestartBackoff((retryInMs) => this.#startAgain(retryInMs));
  /** The live thread; undefined from its death until one is started again. */
  #worker: Worker | undefined;
  #bound: ReceiverBound;
  /** Threads that have bound the socket: the first, then one a restart. */
  #binds = 0;
  /** Resolves once the live thread has said 'closed' or exited. */
  #stopped: Promise<void> = Promise.resolve();
  #delivering: Promise<void> | undefined;
  #closed: Promise<void> | undefined;
  /** Resolves when close() is called: delivery stops waiting for the queue then. */
  readonly #closing: Promise<void>;
  #markClosing: () => void = () => undefined;
  #delivered = 0;

  private constructor(options: UdpReceiverThreadOptions, threadOptions: ReceiverThreadOptions, started: StartedReceiver) {
    this.#options = options;
    this.#threadOptions = threadOptions;
    this.#where = formatHostPort(threadOptions.host, threadOptions.port);
    this.#bound = started.bound;
    this.socket = {
      address: () => this.#bound.address,
      getRecvBufferSize: () => this.#bound.recvBufferSize,
      binds: () => (this.#worker === undefined ? undefined : this.#binds),
    };
    this.#closing = new Promise((resolve) => {
      this.#markClosing = resolve;
    });
    this.#attach(started);
  }

  /** Starts the thread and binds; rejects with the bind error (its `code` kept, e.g. EADDRINUSE). */
  static async start(options: UdpReceiverThreadOptions): Promise<UdpReceiverThread> {
    const { deliver: _deliver, queue: _queue, logger: _logger, ...rest } = options;
    const threadOptions: ReceiverThreadOptions = { ...rest, windowBytes: options.windowBytes ?? DEFAULT_WINDOW_BYTES };
    const started = await startReceiver(threadOptions, (line) => logLine(options.logger, line));
    return new UdpReceiverThread(options, { ...threadOptions, port: started.bound.address.port }, started);
  }

  /**
   * The threads' counters (as of their last messages; summed over the threads this socket
   * has had), the datagrams delivered here, and how many times a dead thread was replaced.
   */
  counters(): ReceiverCounters & { readonly receiver_restarts: number; readonly delivered: number } {
    return { ...this.#counters.total(), receiver_restarts: Math.max(0, this.#binds - 1), delivered: this.#delivered };
  }

  /**
   * Ends the live thread as a crash would: no 'closed', the journal left as it is. It is
   * then started again like after any crash. For tests, and operators checking the restart.
   */
  async terminateThread(): Promise<void> {
    await this.#worker?.terminate();
  }

  /** Closes the socket (a restart pending is cancelled); the thread journals or sends what it holds, then what was sent is delivered. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#markClosing();
      // A start under way is waited for: it attaches its thread, which is closed here as any other.
      await this.#restart.cancel();
      this.#post(this.#worker, { type: 'close' });
      await this.#stopped;
      await this.#delivering;
    })();
    return this.#closed;
  }

  #attach({ worker, bound }: StartedReceiver): void {
    this.#worker = worker;
    this.#bound = bound;
    this.#binds++;
    const forget = bound.threadId === undefined ? undefined : this.#keepPriority(bound.threadId);
    let saidClosed = false;
    let failure: Error | undefined;
    this.#stopped = new Promise((resolve) => {
      worker.on('message', (message: FromReceiver) => {
        if (message.type === 'closed') {
          saidClosed = true;
          resolve();
        }
        this.#take(worker, message);
      });
      worker.on('error', (error) => {
        failure = error;
      });
      worker.once('exit', (code) => {
        forget?.();
        resolve();
        // Every message the thread sent arrives before its exit: one without 'closed' is a crash.
        if (!saidClosed) this.#died(worker, failure ?? new Error(`the thread exited with code ${code}`));
      });
    });
  }

  /** The receive thread keeps its priority; one started again after the others yielded gets theirs back. */
  #keepPriority(threadId: number): () => void {
    const forget = registerReceiveThread(threadId);
    if (!restoreReceivePriority(threadId)) {
      this.#options.logger?.warn({ address: this.#where, threadId },
        `The UDP receiver thread on ${this.#where} was started again at the lowered priority of the daemon's other threads: raising it back needs CAP_SYS_NICE.`);
    }
    return forget;
  }

  #died(worker: Worker, error: Error): void {
    if (worker !== this.#worker) return;
    this.#worker = undefined;
    this.#counters.retire();
    if (this.#closed !== undefined) return;
    this.#options.logger?.error({ err: error, address: this.#where },
      `UDP receiver thread on ${this.#where} died (${error.message}); starting it again on the same address. Datagrams it had read and not yet handed over are lost.`);
    this.#restart.schedule();
  }

  /** One try of the backoff: false (logged) when the thread could not bind again. */
  async #startAgain(retryInMs: number): Promise<boolean> {
    let started: StartedReceiver;
    try {
      started = await startReceiver(this.#threadOptions, (line) => logLine(this.#options.logger, line));
    } catch (error) {
      if (this.#closed === undefined) {
        this.#options.logger?.error({ err: error, address: this.#where, retryInMs },
          `UDP receiver thread on ${this.#where} could not be started again (${(error as Error).message}); retrying in ${retryInMs} ms.`);
      }
      return false;
    }
    this.#attach(started);
    this.#options.logger?.info({ address: this.#where, restarts: this.#binds - 1 }, `UDP receiver thread on ${this.#where} started again; the collector receives.`);
    return true;
  }

  #take(from: Worker, message: FromReceiver): void {
    switch (message.type) {
      case 'batch':
        this.#update(from, message.counters);
        this.#batches.push({ buffer: Buffer.from(message.buffer, 0, message.bytes), from });
        this.#delivering ??= this.#deliverAll().finally(() => {
          this.#delivering = undefined;
        });
        return;
      case 'counters':
      case 'closed':
        return this.#update(from, message.counters);
      case 'log':
        return logLine(this.#options.logger, message);
      default:
    }
  }

  /** Only the live thread's: a dead thread's last counters are already in the totals. */
  #update(from: Worker, counters: ReceiverCounters): void {
    if (from === this.#worker) this.#counters.update(counters);
  }

  async #deliverAll(): Promise<void> {
    const { deliver, queue } = this.#options;
    for (let held = this.#batches.shift(); held !== undefined; held = this.#batches.shift()) {
      const batch = held.buffer;
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
      // To the thread that sent it: a thread started after a crash never had these bytes in its window.
      this.#post(held.from, { type: 'processed', bytes: batch.length });
    }
  }

  #post(worker: Worker | undefined, message: ToReceiver): void {
    try {
      worker?.postMessage(message);
    } catch {
      // The thread has exited: nothing to tell it.
    }
  }
}

function logLine(logger: Logger | undefined, line: ReceiverLogLine): void {
  logger?.[line.level](line.fields, line.message);
}
