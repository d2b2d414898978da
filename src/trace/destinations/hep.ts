import { isIP } from 'node:net';
import { encodeHep3 } from '../hep/index.js';
import type { RateLimitedWarnings } from '../tracer-warnings.js';
import { ipProtocolOf } from './proto.js';
import { UdpSender } from './sip-udp.js';
import { TcpSender } from './tcp-sender.js';
import type { TracedMessage } from '../message.js';
import type { DestinationCounters, TraceDestination } from './types.js';

/** HEP proto type for SIP (chunk 0x000b). */
const PROTO_TYPE_SIP = 1;

export interface HepDestinationOptions {
  readonly host: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
  readonly warnings: RateLimitedWarnings;
  /** Sent in chunk 0x000e when set (Kamailio's auth_key). */
  readonly authKey?: string;
}

/**
 * `hep:host:port;transport=udp|tcp;version=3`: a HEPv3 copy of each message,
 * chunks in Kamailio's order (encodeHep3), addresses and time from the trace,
 * capture id from the message (the collector keeps the sender's) or the tracer.
 */
export class HepDestination implements TraceDestination {
  readonly type = 'hep';
  readonly uri: string;
  readonly #sender: UdpSender | TcpSender;
  readonly #authKey: string | undefined;
  readonly #warnings: RateLimitedWarnings;
  #encodeErrors = 0;

  constructor(options: HepDestinationOptions) {
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    this.uri = `hep:${host}:${options.port};transport=${options.transport};version=3`;
    this.#sender = options.transport === 'tcp'
      ? new TcpSender(options.host, options.port, options.warnings)
      : new UdpSender(options.host, options.port, options.warnings);
    this.#authKey = options.authKey;
    this.#warnings = options.warnings;
  }

  open(): Promise<void> {
    return this.#sender.open();
  }

  send(message: TracedMessage): void {
    let packet: Buffer;
    try {
      packet = encodeHep3({
        ipFamily: isIP(message.src.ip) === 6 ? 6 : 4,
        protocol: ipProtocolOf(message.proto),
        srcIp: message.src.ip,
        dstIp: message.dst.ip,
        srcPort: message.src.port,
        dstPort: message.dst.port,
        timeSec: Math.floor(message.timeUs / 1e6),
        timeUsec: message.timeUs % 1e6,
        protoType: PROTO_TYPE_SIP,
        captureId: message.captureId,
        correlationId: message.correlationId,
        authKey: this.#authKey,
        payload: message.raw,
      });
    } catch (error) {
      // Addresses that are not IPs of one family, or a message over 64 KiB: HEP cannot carry it.
      this.#encodeErrors++;
      this.#warnings.warn(`hep-encode:${this.uri}`, { err: error, destination: this.uri }, 'Message cannot be sent as HEP; skipped.');
      return;
    }
    this.#sender.send(packet);
  }

  counters(): Readonly<DestinationCounters> {
    const counters = this.#sender.counters();
    return { ...counters, errors: counters.errors + this.#encodeErrors };
  }

  close(): Promise<void> {
    return this.#sender.close();
  }
}
