import { createSocket } from 'node:dgram';
import { defineEvent } from '../../../src/events/define.js';
import { param } from '../../../src/events/params.js';

/** Test events: one with params of several kinds, one without params. */
export const Blocked = defineEvent({
  name: 'E_TEST_NET_BLOCKED', pack: 'test', category: 'test', level: 'warning', description: 'An address was blocked.',
  params: { ip: param.ip('who'), count: param.int('how often'), note: param.string('why').optional(), ok: param.bool('flag').optional() },
});
export const Bare = defineEvent({
  name: 'E_TEST_NET_BARE', pack: 'test', category: 'test', level: 'info', description: 'No params.', params: {},
});

type Cleanup = { after(fn: () => Promise<void> | void): void };

/** A UDP listener on loopback: each datagram in arrival order. */
export async function udpReceiver(t: Cleanup): Promise<{ readonly port: number; next(): Promise<Buffer>; readonly received: Buffer[] }> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  const waiters: Array<(b: Buffer) => void> = [];
  let read = 0;
  socket.on('message', (message) => {
    received.push(message);
    const waiter = waiters.shift();
    if (waiter !== undefined) waiter(received[read++]);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return {
    port: socket.address().port,
    received,
    next: () => (read < received.length ? Promise.resolve(received[read++]) : new Promise((resolve) => waiters.push(resolve))),
  };
}
