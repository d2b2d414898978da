import type { TracedMessage } from '../message.js';

/** Counters every destination keeps. */
export interface DestinationCounters {
  sent: number;
  dropped: number;
  errors: number;
}

/**
 * Where copies go. `send` is synchronous and never throws: network and disk
 * trouble is counted (and logged by the destination, rate-limited).
 */
export interface TraceDestination {
  /** `database`, `sip`, `hep`, `file`: the names OpenSIPS's `trace` MI command shows. */
  readonly type: 'database' | 'sip' | 'hep' | 'file';
  /** The uri, password masked. */
  readonly uri: string;
  open(): Promise<void>;
  send(message: TracedMessage): void;
  counters(): Readonly<DestinationCounters>;
  /** Graceful: what was accepted is written or sent first. */
  close(): Promise<void>;
}
