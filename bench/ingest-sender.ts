import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { trafficSource, type TrafficKind } from './ingest-traffic.js';

/*
 * The load of `npm run bench -- ingest`, in its own process: told over IPC what to
 * offer ({ kind, transport, port, rate, seconds }), it sends the recorded traffic at
 * that rate (catching up every millisecond tick) and answers { offered }: UDP datagrams
 * the kernel accepted for sending, or HEP packets written to the TCP stream (a full
 * stream waits for 'drain', so TCP offers what the receiver takes).
 */

export interface SendOrder {
  readonly kind: TrafficKind;
  readonly transport: 'udp' | 'tcp';
  readonly port: number;
  readonly rate: number;
  readonly seconds: number;
  /** Call-ID prefix, so runs against different receivers are told apart. */
  readonly prefix: string;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

async function sendUdp(order: SendOrder): Promise<number> {
  const next = trafficSource(order.kind, order.prefix);
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.connect(order.port, '127.0.0.1', resolve));
  let offered = 0;
  let failed = 0;
  let due = 0;
  const done = () => { offered++; };
  const start = performance.now();
  const total = order.rate * order.seconds;
  while (due < total) {
    const target = Math.min(total, Math.floor(((performance.now() - start) / 1000) * order.rate));
    for (; due < target; due++) socket.send(next(due), (error) => (error ? failed++ : done()));
    await tick();
  }
  while (offered + failed < total) await tick();
  socket.close();
  return offered;
}

async function sendTcp(order: SendOrder): Promise<number> {
  const next = trafficSource(order.kind, order.prefix);
  const socket = connect({ port: order.port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const start = performance.now();
  const total = order.rate * order.seconds;
  let due = 0;
  while (due < total) {
    const target = Math.min(total, Math.floor(((performance.now() - start) / 1000) * order.rate));
    while (due < target) {
      if (!socket.write(next(due++))) await new Promise((resolve) => socket.once('drain', resolve));
    }
    await tick();
  }
  await new Promise<void>((resolve) => socket.end(resolve));
  return due;
}

process.on('message', (order: SendOrder) => {
  void (order.transport === 'tcp' ? sendTcp(order) : sendUdp(order)).then((offered) => process.send?.({ offered }));
});
process.stdout.write('ready\n');
