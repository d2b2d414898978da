import type { AddressInfo } from 'node:net';

/*
 * Messages between a collector's receiver thread (receiver-task.ts) and the main thread
 * (receiver-thread.ts). Batches carry journal records (datagram-journal/record.ts) in an
 * ArrayBuffer that is transferred, not copied.
 */

export interface ReceiverThreadOptions {
  readonly host: string;
  readonly port: number;
  readonly recvBufferBytes: number;
  /** Bytes the main thread may have in hand before the thread journals instead of sending. */
  readonly windowBytes: number;
  /** Absent: no journal; batches are sent whatever the window. */
  readonly journal?: { readonly dir: string; readonly maxBytes: number; readonly segmentBytes?: number; readonly name: string };
}

export interface ReceiverCounters {
  /** Datagrams read from the socket. */
  readonly received: number;
  readonly journal_spilled: number;
  readonly journal_replayed: number;
  readonly journal_bytes: number;
  readonly dropped_journal_full: number;
  readonly dropped_journal_error: number;
  readonly journal_torn_bytes: number;
}

export type FromReceiver =
  | { readonly type: 'bound'; readonly address: AddressInfo; readonly recvBufferSize: number; readonly threadId?: number }
  | { readonly type: 'bind_error'; readonly message: string; readonly code?: string }
  | { readonly type: 'batch'; readonly buffer: ArrayBuffer; readonly bytes: number; readonly records: number; readonly counters: ReceiverCounters }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly fields: Record<string, unknown>; readonly message: string }
  | { readonly type: 'counters'; readonly counters: ReceiverCounters }
  | { readonly type: 'closed'; readonly counters: ReceiverCounters };

export type ToReceiver =
  | { readonly type: 'processed'; readonly bytes: number }
  | { readonly type: 'close' };
