import type { Socket } from 'node:net';
import { observeSockets, whenConnected } from '../hooks/sockets.js';
import { monotonicUs, type Thresholds } from '../thresholds.js';

type WriteCallback = (error?: Error | null) => void;
type WriteFn = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;

/**
 * Source `tcp_write` (OpenSIPS tcp_threshold): the time from `socket.write()`
 * to its callback, i.e. until the kernel accepted the bytes. A peer that stops
 * reading fills the socket buffer and makes writes wait; that is what this shows.
 *
 * Node has no channel for writes, so each TCP socket's own `write` is wrapped
 * once it is connected (the prototype is left alone); writes queued while an
 * outgoing socket is still connecting are not timed. A caller that gave
 * no callback still gets Node's behaviour: errors go to the 'error' event.
 * Sockets of TLS servers are wrapped on their raw side only, which TLS no longer
 * writes through, so TLS server writes are not timed.
 */
export function watchTcpWrites(thresholds: Thresholds): () => void {
  let live = true;
  const stopObserving = observeSockets((socket) => wrapWrite(socket, thresholds, () => live));
  return () => {
    live = false;
    stopObserving();
  };
}

function wrapWrite(socket: Socket, thresholds: Thresholds, live: () => boolean): void {
  // Wrapped once connected: Socket.prototype.connect resets an own `write`, and
  // net.connect() publishes the socket before it calls connect().
  whenConnected(socket, (ends) => {
    const peer = `${ends.remoteIp}:${ends.remotePort}`;
    const original = socket.write as WriteFn;
    const timedWrite: WriteFn = function timedWrite(this: Socket, chunk, encoding, callback) {
      if (!live() || !thresholds.active('tcp_write')) return original.call(this, chunk, encoding, callback);
      const userCallback = (typeof encoding === 'function' ? encoding : callback) as WriteCallback | undefined;
      const startUs = monotonicUs();
      const done: WriteCallback = (error) => {
        thresholds.record('tcp_write', monotonicUs() - startUs, () => `${peer} ${byteLength(chunk)} bytes`);
        userCallback?.(error);
      };
      return typeof encoding === 'function' ? original.call(this, chunk, done) : original.call(this, chunk, encoding, done);
    };
    socket.write = timedWrite as Socket['write'];
  });
}

function byteLength(chunk: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk);
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}
