import { createSocket } from 'node:dgram';
import { readlinkSync } from 'node:fs';
import { isIP } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { nowUs } from '../../events/event.js';
import { ChunkJournal, type JournalLogger, type ReadChunk } from '../datagram-journal/chunk-journal.js';
import { recordSize, writeRecord } from '../datagram-journal/record.js';
import type { FromReceiver, ReceiverCounters, ReceiverThreadOptions, ToReceiver } from './protocol.js';

/*
 * The receiver thread of one UDP collector socket (started by receiver-thread.ts):
 *
 *   socket ─▶ batch (journal records) ─┬─ journal empty, main thread's window open ─▶ main thread
 *                                      └─ otherwise ─▶ journal on disk ─▶ main thread, oldest first,
 *                                                                         as its window opens
 *
 * This thread does nothing else, so a main thread busy decoding, parsing, packing rows or
 * collecting garbage no longer stalls the reads and the kernel's buffer does not overflow
 * (issue 11). The main thread acknowledges each batch once delivered, and holds its
 * acknowledgements while the store's queue is congested: the window closes and what
 * arrives goes to the journal, bounded by its own size, never to memory.
 */

/** A batch is sent when the loop turns, or when it holds this much. */
const BATCH_BYTES = 256 * 1024;
const COUNTERS_INTERVAL_MS = 500;

type Post = (message: FromReceiver, transfer?: ArrayBuffer[]) => void;

interface Batch {
  readonly buffer: Buffer;
  readonly bytes: number;
  readonly records: number;
}

export async function start(options: ReceiverThreadOptions): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('receiver-task runs in a worker thread');
  const post: Post = (message, transfer = []) => port.postMessage(message, transfer);
  const log = (level: 'info' | 'warn' | 'error') => (fields: Record<string, unknown>, message: string) => {
    post({ type: 'log', level, fields: { ...fields, ...(fields.err instanceof Error ? { err: fields.err.message } : {}) }, message });
  };
  const logger = { info: log('info'), warn: log('warn'), error: log('error') };
  const journal = options.journal === undefined ? undefined
    : await ChunkJournal.open({ dir: options.journal.dir, segmentBytes: options.journal.segmentBytes, logger, name: options.journal.name });
  const socket = createSocket({ type: isIP(options.host) === 6 ? 'udp6' : 'udp4', recvBufferSize: options.recvBufferBytes });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port, options.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    post({ type: 'bind_error', message, ...(code !== undefined ? { code } : {}) });
    await journal?.close();
    port.close();
    return;
  }
  socket.on('error', () => undefined); // ICMP noise; the socket keeps receiving
  const receiver = new Receiver(options, journal, post, logger);
  socket.on('message', (data, peer) => receiver.add(data, peer));
  post({ type: 'bound', address: socket.address(), recvBufferSize: socket.getRecvBufferSize(), ...osThreadId() });
  if ((journal?.heldBytes ?? 0) > 0) {
    logger.info({ journal: options.journal?.name, bytes: journal?.heldBytes }, 'Replaying datagrams journalled before the last stop.');
    receiver.pump();
  }
  const timer = setInterval(() => post({ type: 'counters', counters: receiver.counters() }), COUNTERS_INTERVAL_MS);
  port.on('message', (message: ToReceiver) => {
    if (message.type === 'processed') return receiver.processed(message.bytes);
    clearInterval(timer);
    socket.close(() => void receiver.close().then(() => {
      post({ type: 'closed', counters: receiver.counters() });
      port.close();
    }));
  });
}

/** This thread's id in the kernel (Linux: /proc/thread-self is `PID/task/TID`), so the main thread can leave its priority alone. */
function osThreadId(): { threadId?: number } {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isSafeInteger(tid) ? { threadId: tid } : {};
  } catch {
    return {};
  }
}

class Receiver {
  readonly #options: ReceiverThreadOptions;
  readonly #journal: ChunkJournal | undefined;
  readonly #post: Post;
  readonly #logger: JournalLogger;
  readonly #batch = Buffer.allocUnsafeSlow(BATCH_BYTES);
  #used = 0;
  #records = 0;
  #sealScheduled = false;
  /** Bytes sent to the main thread and not yet acknowledged. */
  #inHand = 0;
  #pumping: Promise<void> | undefined;
  #closing = false;
  #warnedFull = false;
  #received = 0;
  #spilled = 0;
  #replayed = 0;
  #droppedFull = 0;

  constructor(options: ReceiverThreadOptions, journal: ChunkJournal | undefined, post: Post, logger: JournalLogger) {
    this.#options = options;
    this.#journal = journal;
    this.#post = post;
    this.#logger = logger;
  }

  add(data: Buffer, peer: { address: string; port: number }): void {
    this.#received++;
    const size = recordSize(data, peer);
    if (size === undefined) return; // larger than any UDP datagram: cannot happen
    if (this.#used + size > this.#batch.length) this.#seal();
    this.#used = writeRecord(this.#batch, this.#used, data, peer, nowUs());
    this.#records++;
    if (this.#sealScheduled) return;
    this.#sealScheduled = true;
    setImmediate(() => {
      this.#sealScheduled = false;
      this.#seal();
    });
  }

  processed(bytes: number): void {
    this.#inHand -= bytes;
    this.pump();
  }

  counters(): ReceiverCounters {
    return {
      received: this.#received,
      journal_spilled: this.#spilled,
      journal_replayed: this.#replayed,
      journal_bytes: this.#journal?.heldBytes ?? 0,
      dropped_journal_full: this.#droppedFull,
      dropped_journal_error: this.#journal?.writeErrors ?? 0,
      journal_torn_bytes: this.#journal?.tornBytes ?? 0,
    };
  }

  /** Sends journalled records while the window is open; one pump at a time. */
  pump(): void {
    const journal = this.#journal;
    if (journal === undefined || this.#pumping !== undefined) return;
    this.#pumping = (async () => {
      while (!this.#closing && journal.heldBytes > 0 && this.#inHand < this.#options.windowBytes) {
        const chunk: ReadChunk | undefined = await journal.read(this.#options.windowBytes - this.#inHand);
        if (chunk === undefined) break;
        // Sent even when closing meanwhile: the read has moved past it.
        this.#replayed += chunk.records;
        this.#send(chunk);
      }
    })().finally(() => {
      this.#pumping = undefined;
    });
  }

  /** Sends or journals what the socket still gave, waits for the journal's writes and keeps its position. */
  async close(): Promise<void> {
    this.#seal();
    this.#closing = true;
    await this.#pumping;
    await this.#journal?.close();
  }

  #seal(): void {
    if (this.#used === 0) return;
    // Copied out at its size: a batch sealed by a loop turn holds a few dozen datagrams, and a
    // 256 KiB buffer each would be held by the journal's writes and the main thread meanwhile.
    const buffer = Buffer.allocUnsafeSlow(this.#used);
    this.#batch.copy(buffer, 0, 0, this.#used);
    const batch: Batch = { buffer, bytes: this.#used, records: this.#records };
    this.#used = 0;
    this.#records = 0;
    this.#dispatch(batch);
  }

  #dispatch(batch: Batch): void {
    const journal = this.#journal;
    if (journal === undefined || (journal.heldBytes === 0 && this.#inHand + batch.bytes <= this.#options.windowBytes)) return this.#send(batch);
    const maxBytes = this.#options.journal?.maxBytes ?? 0;
    if (journal.heldBytes + batch.bytes > maxBytes) {
      this.#droppedFull += batch.records;
      if (!this.#warnedFull) {
        this.#warnedFull = true;
        this.#logger.warn({ journal: this.#options.journal?.name, maxBytes },
          'Datagram journal full: datagrams are dropped (counted dropped_journal_full) until the store catches up; see trace.journal_max_bytes.');
      }
      return;
    }
    if (journal.heldBytes < maxBytes / 2) this.#warnedFull = false;
    journal.append(batch.buffer.subarray(0, batch.bytes), batch.records);
    this.#spilled += batch.records;
    this.pump();
  }

  #send(batch: Batch): void {
    this.#inHand += batch.bytes;
    const buffer = batch.buffer.buffer as ArrayBuffer;
    this.#post({ type: 'batch', buffer, bytes: batch.bytes, records: batch.records, counters: this.counters() }, [buffer]);
  }
}
