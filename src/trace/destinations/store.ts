import type { TraceIngest } from '../ingest.js';
import { redactUrl } from '../store/open.js';
import { rowsFromSip } from '../store/rows.js';
import type { TracedMessage } from '../message.js';
import type { DestinationCounters, TraceDestination } from './types.js';

/**
 * Copies go to a trace store through a TraceIngest (queue + batches). `owned`
 * stores are opened and closed with the destination; the daemon's shared store
 * is not (its service owns it).
 */
export class StoreDestination implements TraceDestination {
  readonly type = 'database';
  readonly uri: string;
  readonly #ingest: TraceIngest;
  readonly #owned: boolean;
  readonly #counters: DestinationCounters = { sent: 0, dropped: 0, errors: 0 };

  constructor(ingest: TraceIngest, options: { readonly owned: boolean; readonly uri?: string }) {
    this.#ingest = ingest;
    this.#owned = options.owned;
    this.uri = redactUrl(options.uri ?? ingest.store.location);
  }

  get ingest(): TraceIngest {
    return this.#ingest;
  }

  async open(): Promise<void> {
    if (this.#owned) await this.#ingest.store.open();
  }

  send(message: TracedMessage): void {
    const rows = rowsFromSip(message.sip, message.text(), {
      timeUs: message.timeUs,
      direction: message.direction,
      fromProto: message.proto,
      fromIp: message.src.ip,
      fromPort: message.src.port,
      toProto: message.proto,
      toIp: message.dst.ip,
      toPort: message.dst.port,
      captureId: message.captureId,
      node: message.node,
      users: message.users,
      attrs: message.attrs,
    });
    if (this.#ingest.accept(rows)) this.#counters.sent++;
    else this.#counters.dropped++;
  }

  counters(): Readonly<DestinationCounters> {
    return { ...this.#counters };
  }

  async close(): Promise<void> {
    if (!this.#owned) return;
    await this.#ingest.stop();
    await this.#ingest.store.close();
  }
}
