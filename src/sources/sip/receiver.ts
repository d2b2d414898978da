import type { DatagramPeer } from '../../runtime/datagram-journal/record.js';
import type { SipParsePool } from '../../trace/sip-pool/sip-parse-pool.js';
import type { TraceMeta, TraceOutcome, Tracer } from '../../trace/tracer.js';
import type { RateLimitedWarnings } from '../../trace/tracer-warnings.js';
import type { Counters } from '../counters.js';
import type { ListenerAddress } from '../hep/service.js';
import { PooledParse } from '../../trace/sip-pool/pooled-parse.js';

export interface SipReceiverOptions {
  readonly tracer: Tracer;
  readonly counters: Counters;
  readonly warnings: RateLimitedWarnings;
  /** This listener: the stored destination of every copy. */
  readonly bound: ListenerAddress;
  /** Datagrams are parsed on these worker threads when given (see drain()). */
  readonly pool?: SipParsePool;
}

interface PendingDatagram {
  readonly peer: DatagramPeer;
  readonly timeUs: number;
}

/** What the raw SIP listener does with each datagram: to the tracer, refusals counted by reason. */
export class SipReceiver {
  readonly #options: SipReceiverOptions;
  readonly #pooled: PooledParse<PendingDatagram> | undefined;

  constructor(options: SipReceiverOptions) {
    this.#options = options;
    this.#pooled = options.pool === undefined ? undefined : new PooledParse<PendingDatagram>(options.pool, (data, { peer, timeUs }, summary) => {
      this.#traced(options.tracer.trace(data, { ...this.#meta(peer), timeUs }, summary), peer);
    });
  }

  /** `receivedUs`: when it arrived, if not now (a journalled one). */
  datagram(data: Buffer, peer: DatagramPeer, receivedUs?: number): void {
    this.#options.counters.add('datagrams');
    // With a pool the receive time is taken now: the message reaches the tracer a batch later.
    if (this.#pooled !== undefined) this.#pooled.push(data, { peer, timeUs: receivedUs ?? Date.now() * 1000 });
    else this.#traced(this.#options.tracer.trace(data, receivedUs === undefined ? this.#meta(peer) : { ...this.#meta(peer), timeUs: receivedUs }), peer);
  }

  /** Resolves once every datagram received so far has reached the tracer (they wait for the parse pool). */
  async drain(): Promise<void> {
    await this.#pooled?.drain();
  }

  #meta(peer: DatagramPeer): TraceMeta {
    const { bound } = this.#options;
    return { proto: 'udp', src: { ip: peer.address, port: peer.port }, dst: { ip: bound.host, port: bound.port } };
  }

  #traced(outcome: TraceOutcome, peer: DatagramPeer): void {
    const { counters, warnings } = this.#options;
    if (outcome.ok) return counters.add('sip');
    counters.add(outcome.reason);
    if (outcome.error !== undefined) {
      warnings.warn(outcome.reason, { peer: `${peer.address}:${peer.port}`, offset: outcome.error.offset, detail: outcome.error.message }, 'Malformed SIP datagram dropped.');
    }
  }
}
