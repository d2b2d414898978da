import type { SipMessage } from './sip/index.js';

/**
 * The parsed fields destinations and filters read: a SipMessage from parseSip
 * on this thread, or the same fields from a SipParsePool summary.
 */
export type TracedSip = Pick<SipMessage, 'kind' | 'method' | 'requestUri' | 'status' | 'callId' | 'cseqNumber' | 'cseqMethod' | 'fromUser' | 'fromTag' | 'toUser' | 'toTag'>;

/** An address as the tracer is given it. */
export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

/**
 * One message on its way to the destinations: parsed once, decoded to text at
 * most once (only destinations that need text ask for it).
 */
export class TracedMessage {
  readonly raw: Buffer;
  readonly sip: TracedSip;
  readonly direction: '' | 'in' | 'out';
  /** Transport name as stored: udp, tcp, tls, sctp, ws, wss. */
  readonly proto: string;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly timeUs: number;
  readonly users: readonly string[];
  readonly attrs: string | null;
  readonly correlationId: string | undefined;
  readonly captureId: number;
  readonly node: string;
  #text: string | undefined;

  constructor(fields: Omit<TracedMessage, 'text'>) {
    this.raw = fields.raw;
    this.sip = fields.sip;
    this.direction = fields.direction;
    this.proto = fields.proto;
    this.src = fields.src;
    this.dst = fields.dst;
    this.timeUs = fields.timeUs;
    this.users = fields.users;
    this.attrs = fields.attrs;
    this.correlationId = fields.correlationId;
    this.captureId = fields.captureId;
    this.node = fields.node;
  }

  /** The message as UTF-8 text (invalid bytes become U+FFFD). */
  text(): string {
    this.#text ??= this.raw.toString('utf8');
    return this.#text;
  }
}
