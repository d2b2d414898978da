import { createSocket, type Socket } from 'node:dgram';
import { WRITE_OK, type Backend, type BackendContext, type WriteResult } from '../../bus/backend.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import { resolvePeer, type PeerAddress } from '../shared/peer-address.js';

export interface UdpBackendSpec {
  readonly socket: string;
  readonly peer: PeerAddress;
  readonly maxDatagramBytes: number;
  readonly encode: (event: HeraldEvent) => string;
  readonly ctx: BackendContext;
}

/**
 * One event per datagram on a connected UDP socket (OpenSIPS event_datagram).
 * Connected, so a closed port's ICMP reply surfaces as ECONNREFUSED on a later
 * send (retryable) instead of nowhere. A datagram's delivery is never confirmed:
 * "ok" means the kernel took it.
 */
export class UdpBackend implements Backend {
  readonly #spec: UdpBackendSpec;
  #socket: Socket | undefined;
  #closed = false;

  constructor(spec: UdpBackendSpec) {
    this.#spec = spec;
  }

  /** Resolves and connects; the signal aborting is destroy: the socket closes, later writes fail. */
  async open(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => void this.close(), { once: true });
    const { address, family } = await resolvePeer(this.#spec.socket, this.#spec.peer.host);
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    // Send errors arrive through the send callbacks; a stray 'error' must not crash the process.
    socket.on('error', (error) => this.#spec.ctx.logger.warn({ err: error, socket: this.#spec.socket }, 'UDP socket error.'));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(this.#spec.peer.port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.unref();
    this.#socket = socket;
  }

  write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    const socket = this.#socket;
    if (this.#closed || socket === undefined) {
      return Promise.resolve({ status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', `${this.#spec.socket} is closed`) });
    }
    const refused: number[] = [];
    let largest = 0;
    let pending = 1;
    let sendError: Error | undefined;
    return new Promise((resolve) => {
      const done = (error: Error | null): void => {
        if (error !== null) sendError ??= error;
        if (--pending > 0) return;
        resolve(this.#result(refused, largest, sendError));
      };
      for (let i = 0; i < batch.length; i++) {
        const body = Buffer.from(this.#spec.encode(batch[i]));
        if (body.length > this.#spec.maxDatagramBytes) {
          refused.push(i);
          largest = Math.max(largest, body.length);
          continue;
        }
        pending++;
        socket.send(body, done);
      }
      done(null);
    });
  }

  #result(refused: readonly number[], largest: number, sendError: Error | undefined): WriteResult {
    // The peer not listening (ECONNREFUSED) or a full buffer: the same datagrams may go later.
    if (sendError !== undefined) return { status: 'retryable', error: sendError };
    if (refused.length === 0) return WRITE_OK;
    const error = new HeraldError('HERALD_ERR_EVENT_TOO_LARGE',
      `${this.#spec.socket}: ${refused.length} event(s) larger than max_datagram_bytes=${this.#spec.maxDatagramBytes} (largest ${largest} bytes) refused, not truncated`);
    this.#spec.ctx.logger.warn({ socket: this.#spec.socket, refused: refused.length, largestBytes: largest }, 'Events too large for one datagram were refused.');
    return { status: 'ok', refused: { indexes: refused, error } };
  }

  async flush(): Promise<void> {}

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#socket?.close();
    }
    return Promise.resolve();
  }
}
