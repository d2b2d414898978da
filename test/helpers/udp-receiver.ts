import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, type Logger } from '../../src/log/logger.js';
import { UdpReceiverThread } from '../../src/runtime/udp-receiver/receiver-thread.js';

/* What the tests of a collector's receive thread share: a queue congested by hand, a sender, a poll. */

/** A queue the test congests and relieves by hand. */
export function handQueue(congested: boolean) {
  let relieve: () => void = () => undefined;
  let relieved = Promise.resolve();
  const queue = {
    congested,
    whenRelieved: () => relieved,
    set(value: boolean) {
      queue.congested = value;
      if (value) relieved = new Promise((resolve) => { relieve = resolve; });
      else relieve();
    },
  };
  queue.set(congested);
  return queue;
}

export interface Received {
  readonly seq: number;
  readonly receivedUs: number;
  readonly peer: string;
}

export interface TestReceiverOptions {
  /** The journal's bound; default 64 MiB. */
  readonly maxBytes?: number;
  /** Default 1 KiB: less than one test datagram, so each goes through the journal. */
  readonly windowBytes?: number;
  readonly logger?: Logger;
}

/** A receiver on 127.0.0.1 (port 0) journalling to `dir`, its datagrams (`seq N …`) pushed to `got`. */
export function startReceiver(dir: string, queue: ReturnType<typeof handQueue>, got: Received[], options: TestReceiverOptions = {}) {
  const { maxBytes = 64 * 1024 * 1024, windowBytes = 1024, logger } = options;
  return UdpReceiverThread.start({
    host: '127.0.0.1', port: 0, recvBufferBytes: 4 * 1024 * 1024, windowBytes,
    journal: { dir, maxBytes, name: 'test' }, queue, ...(logger !== undefined ? { logger } : {}),
    deliver: (data, peer, receivedUs) => got.push({ seq: Number(data.toString('latin1').split(' ')[1]), receivedUs, peer: `${peer.address}:${peer.port}` }),
  });
}

/** Sends datagrams `seq first` … `seq first+count-1` (1 KB each), paced so the kernel keeps every one. */
export async function send(port: number, count: number, first = 0): Promise<string> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  for (let seq = first; seq < first + count; seq++) {
    const body = `seq ${seq} `.padEnd(1000, 'x');
    await new Promise<void>((resolve, reject) => socket.send(body, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
    if (seq % 50 === 0) await sleep(1);
  }
  const from = `127.0.0.1:${socket.address().port}`;
  socket.close();
  return from;
}

export { until } from './until.js';

export const inOrder = (got: readonly Received[], from: number, count: number) => assert.deepEqual(got.map((r) => r.seq), Array.from({ length: count }, (_, i) => from + i));

/** A logger whose lines the test reads. */
export function capturedLogger(): { readonly logger: Logger; readonly lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}
