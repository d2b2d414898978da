import { Socket } from 'node:net';
import type { RateLimitedWarnings } from '../tracer-warnings.js';
import { resolveHost } from './sip-udp.js';
import type { DestinationCounters } from './types.js';

const MAX_PENDING_BYTES = 4 * 1024 * 1024;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/**
 * One persistent TCP connection for HEP over TCP. Connects on open and again
 * after any error, backing off; while it is down, up to 4 MiB of packets wait
 * and anything beyond is dropped and counted (a collector that is away must
 * not grow our memory).
 */
export class TcpSender {
  readonly #host: string;
  readonly #port: number;
  readonly #warnings: RateLimitedWarnings;
  readonly #counters: DestinationCounters = { sent: 0, dropped: 0, errors: 0 };
  #address = '';
  #socket: Socket | undefined;
  #connected = false;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #retryMs = RECONNECT_MIN_MS;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(host: string, port: number, warnings: RateLimitedWarnings) {
    this.#host = host;
    this.#port = port;
    this.#warnings = warnings;
  }

  async open(): Promise<void> {
    this.#address = (await resolveHost(this.#host)).address;
    this.#connect();
  }

  send(packet: Buffer): void {
    const socket = this.#socket;
    if (this.#connected && socket !== undefined) {
      if (socket.writableLength + packet.length > MAX_PENDING_BYTES) {
        this.#counters.dropped++; // the collector reads slower than we trace
        return;
      }
      socket.write(packet);
      this.#counters.sent++;
      return;
    }
    if (this.#closed || this.#pendingBytes + packet.length > MAX_PENDING_BYTES) {
      this.#counters.dropped++;
      return;
    }
    this.#pending.push(packet);
    this.#pendingBytes += packet.length;
  }

  counters(): Readonly<DestinationCounters> {
    return { ...this.#counters };
  }

  /** Sends what is written or pending on a live connection, then closes. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return;
    if (!this.#connected) {
      socket.destroy();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 2000);
      socket.once('close', () => { clearTimeout(timer); resolve(); });
      socket.end();
    });
  }

  #connect(): void {
    if (this.#closed) return;
    const socket = new Socket();
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.once('connect', () => {
      this.#connected = true;
      this.#retryMs = RECONNECT_MIN_MS;
      const pending = this.#pending;
      this.#pending = [];
      this.#pendingBytes = 0;
      for (const packet of pending) {
        socket.write(packet);
        this.#counters.sent++;
      }
    });
    socket.on('error', (error) => {
      this.#counters.errors++;
      this.#warnings.warn(`tcp:${this.#host}:${this.#port}`, { err: error, destination: `${this.#host}:${this.#port}` }, 'HEP over TCP: connection failed; reconnecting.');
    });
    socket.once('close', () => {
      this.#connected = false;
      if (this.#closed) return;
      this.#timer = setTimeout(() => this.#connect(), this.#retryMs).unref();
      this.#retryMs = Math.min(RECONNECT_MAX_MS, this.#retryMs * 2);
    });
    socket.connect(this.#port, this.#address);
    socket.unref();
  }
}
