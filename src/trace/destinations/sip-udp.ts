import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { RateLimitedWarnings } from '../tracer-warnings.js';
import type { TracedMessage } from '../message.js';
import type { DestinationCounters, TraceDestination } from './types.js';

/** Resolves a host once, at open: sends must not do a DNS lookup per packet. */
export async function resolveHost(host: string): Promise<{ address: string; family: 4 | 6 }> {
  const family = isIP(host);
  if (family === 4 || family === 6) return { address: host, family };
  const found = await lookup(host);
  return { address: found.address, family: found.family === 6 ? 6 : 4 };
}

/** A UDP sender that counts what it sends and what fails. Shared by the sip: and hep: (udp) destinations. */
export class UdpSender {
  readonly #host: string;
  readonly #port: number;
  readonly #warnings: RateLimitedWarnings;
  readonly #counters: DestinationCounters = { sent: 0, dropped: 0, errors: 0 };
  #socket: Socket | undefined;
  #address = '';
  #inFlight = 0;
  #drained: (() => void) | undefined;

  constructor(host: string, port: number, warnings: RateLimitedWarnings) {
    this.#host = host;
    this.#port = port;
    this.#warnings = warnings;
  }

  async open(): Promise<void> {
    const { address, family } = await resolveHost(this.#host);
    this.#address = address;
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    socket.on('error', (error) => this.#failed(error));
    socket.unref();
    this.#socket = socket;
  }

  send(packet: Uint8Array): void {
    const socket = this.#socket;
    if (socket === undefined) {
      this.#counters.dropped++;
      return;
    }
    this.#inFlight++;
    socket.send(packet, this.#port, this.#address, (error) => {
      this.#inFlight--;
      if (error) this.#failed(error);
      else this.#counters.sent++;
      if (this.#inFlight === 0) this.#drained?.();
    });
  }

  counters(): Readonly<DestinationCounters> {
    return { ...this.#counters };
  }

  /** Waits for sends already handed to the socket, then closes it. */
  async close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined) return;
    if (this.#inFlight > 0) await new Promise<void>((resolve) => { this.#drained = resolve; });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  #failed(error: Error): void {
    this.#counters.errors++;
    this.#warnings.warn(`udp:${this.#host}:${this.#port}`, { err: error, destination: `${this.#host}:${this.#port}` }, 'Trace copy could not be sent.');
  }
}

/** `sip:host:port`: the raw message, as received, in one UDP datagram (Kamailio's duplicate_uri). */
export class SipUdpDestination implements TraceDestination {
  readonly type = 'sip';
  readonly uri: string;
  readonly #sender: UdpSender;

  constructor(host: string, port: number, warnings: RateLimitedWarnings) {
    this.uri = `sip:${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.#sender = new UdpSender(host, port, warnings);
  }

  open(): Promise<void> {
    return this.#sender.open();
  }

  send(message: TracedMessage): void {
    this.#sender.send(message.raw);
  }

  counters(): Readonly<DestinationCounters> {
    return this.#sender.counters();
  }

  close(): Promise<void> {
    return this.#sender.close();
  }
}
