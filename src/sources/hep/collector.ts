import type { Bus } from '../../bus/bus.js';
import { nowUs } from '../../events/event.js';
import type { Level } from '../../events/level.js';
import { E_HEP_LOG } from '../../events/packs/trace.js';
import type { Logger } from '../../log/logger.js';
import type { SipParsePool } from '../../trace/sip-pool/sip-parse-pool.js';
import { protoName } from '../../trace/destinations/proto.js';
import { decodeHep, type HepError, type HepPacket } from '../../trace/hep/index.js';
import type { TraceMeta, TraceOutcome, Tracer } from '../../trace/tracer.js';
import { RateLimitedWarnings } from '../../trace/tracer-warnings.js';
import { Counters } from '../counters.js';
import { PooledParse } from '../../trace/sip-pool/pooled-parse.js';

const PROTO_SIP = 1;
const PROTO_LOG = 100;

export interface HepCollectorOptions {
  readonly tracer: Tracer;
  readonly bus: Pick<Bus, 'raise'>;
  readonly logger?: Logger;
  /** Packets must carry this auth key (chunk 0x000e) when set. */
  readonly authKey?: string;
  readonly now?: () => number;
  /** Level of E_HEP_LOG events (hep.log_level). Default: the catalogue's, debug. */
  readonly logLevel?: Level;
  /** SIP payloads are parsed on these worker threads when given (see drain()). */
  readonly pool?: SipParsePool;
}

interface PendingSip {
  readonly meta: TraceMeta;
  readonly peer: string;
}

/**
 * What the HEP listeners do with each packet, transport aside:
 *   SIP (proto type 1)  → the tracer (store and mirrors), with the addresses, ports,
 *                          time and capture id the sender put in the chunks;
 *   log (proto type 100) → an E_HEP_LOG event;
 *   anything else        → counted by proto type.
 * Every refusal is counted by reason and logged at most every 10 s per reason.
 * Nothing here throws: a packet is data from the network.
 */
export class HepCollector {
  readonly #tracer: Tracer;
  readonly #bus: Pick<Bus, 'raise'>;
  readonly #authKey: string | undefined;
  readonly #logLevel: Level | undefined;
  readonly #now: () => number;
  readonly #warnings: RateLimitedWarnings;
  readonly #pooled: PooledParse<PendingSip> | undefined;
  readonly counters = new Counters();

  constructor(options: HepCollectorOptions) {
    this.#tracer = options.tracer;
    this.#bus = options.bus;
    this.#authKey = options.authKey;
    this.#logLevel = options.logLevel;
    this.#now = options.now ?? nowUs;
    this.#warnings = new RateLimitedWarnings(options.logger);
    this.#pooled = options.pool === undefined ? undefined
      : new PooledParse<PendingSip>(options.pool, (payload, { meta, peer }, summary) => this.#traced(this.#tracer.trace(payload, meta, summary), peer));
  }

  /** Resolves once every SIP packet received so far has reached the tracer (they wait for the parse pool). */
  async drain(): Promise<void> {
    await this.#pooled?.drain();
  }

  /** One UDP datagram: a whole HEP packet (v1, v2 or v3). `receivedUs`: when it arrived, if not now (a journalled one). */
  datagram(data: Buffer, peer: string, receivedUs?: number): void {
    const result = decodeHep(data);
    if (result.ok) this.packet(result.packet, peer, receivedUs);
    else this.malformed(result.error, peer);
  }

  malformed(error: HepError, peer: string): void {
    this.counters.add(`malformed_${error.reason}`);
    this.#warnings.warn(`malformed:${error.reason}`, { peer, reason: error.reason, offset: error.offset, detail: error.message }, 'Malformed HEP packet dropped.');
  }

  packet(packet: HepPacket, peer: string, receivedUs?: number): void {
    this.counters.add('packets');
    if (this.#authKey !== undefined && packet.authKey !== this.#authKey) {
      this.counters.add('auth_failed');
      this.#warnings.warn('auth', { peer, captureId: packet.captureId }, 'HEP packet with a missing or wrong auth key dropped.');
      return;
    }
    if (packet.protoType === PROTO_SIP) this.#sip(packet, peer, receivedUs);
    else if (packet.protoType === PROTO_LOG) this.#log(packet, receivedUs);
    else this.counters.add(`proto_type_${packet.protoType}`);
  }

  /** HEP time, or the receive time when the sender left it at zero (heplify-server does the same). */
  #timeUs(packet: HepPacket, receivedUs: number | undefined): number {
    return packet.timeSec === 0 ? receivedUs ?? this.#now() : packet.timeSec * 1e6 + packet.timeUsec;
  }

  #sip(packet: HepPacket, peer: string, receivedUs: number | undefined): void {
    const meta: TraceMeta = {
      proto: protoName(packet.protocol),
      src: { ip: packet.srcIp, port: packet.srcPort },
      dst: { ip: packet.dstIp, port: packet.dstPort },
      timeUs: this.#timeUs(packet, receivedUs),
      captureId: packet.captureId,
      node: packet.nodeName,
      correlationId: packet.correlationId,
    };
    if (this.#pooled !== undefined) this.#pooled.push(packet.payload, { meta, peer });
    else this.#traced(this.#tracer.trace(packet.payload, meta), peer);
  }

  #traced(outcome: TraceOutcome, peer: string): void {
    if (outcome.ok) {
      this.counters.add('sip');
      return;
    }
    this.counters.add(outcome.reason);
    if (outcome.error !== undefined) {
      this.#warnings.warn(outcome.reason, { peer, reason: outcome.error.reason, offset: outcome.error.offset, detail: outcome.error.message }, 'HEP packet with a malformed SIP payload dropped.');
    }
  }

  #log(packet: HepPacket, receivedUs: number | undefined): void {
    this.counters.add('log');
    const timeUs = this.#timeUs(packet, receivedUs);
    this.#bus.raise(E_HEP_LOG, {
      message: packet.payload.toString('utf8'),
      capture_id: packet.captureId,
      src_ip: packet.srcIp,
      src_port: packet.srcPort,
      dst_ip: packet.dstIp,
      dst_port: packet.dstPort,
      time: timeUs / 1e6,
      ...(packet.correlationId !== undefined ? { correlation_id: packet.correlationId } : {}),
      ...(packet.nodeName !== undefined ? { node: packet.nodeName } : {}),
    }, { sourceId: `hep:${packet.srcIp}:${packet.srcPort}`, timeUs, level: this.#logLevel });
  }
}
