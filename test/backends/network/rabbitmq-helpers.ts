import { once } from 'node:events';
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { connect, type ChannelModel, type Channel, type GetMessage } from 'amqplib';
import { requireService } from '../../../src/testing/services.js';

/** The machine's shared RabbitMQ (guest/guest); tests use names of their own and delete them. */
export const RABBIT_HOST = '127.0.0.1';
export const RABBIT_PORT = 5672;

type Cleanup = { after(fn: () => Promise<void> | void): void };

let sequence = 0;
/** A queue or exchange name unique to this test run. */
export function uniqueName(label: string): string {
  sequence++;
  return `herald-test-${label}-${process.pid}-${Date.now()}-${sequence}`;
}

/** Skips (or fails under HERALD_REQUIRE_SERVICES=1) when RabbitMQ is not on 5672. */
export function requireRabbit(t: TestContext): Promise<boolean> {
  return requireService(t, 'RabbitMQ', RABBIT_HOST, RABBIT_PORT);
}

export interface TestQueue {
  readonly name: string;
  readonly channel: Channel;
  /** Takes every message now in the queue (acknowledged), in queue order, adding them to `taken`. */
  drain(): Promise<GetMessage[]>;
  readonly taken: GetMessage[];
}

/** A durable queue of its own on the shared broker, optionally bound to a new direct exchange; both deleted after the test. */
export async function testQueue(t: Cleanup, options: { exchange?: string; routingKey?: string } = {}): Promise<TestQueue> {
  const model: ChannelModel = await connect(`amqp://guest:guest@${RABBIT_HOST}:${RABBIT_PORT}`);
  const channel = await model.createChannel();
  const name = uniqueName('q');
  await channel.assertQueue(name, { durable: true });
  if (options.exchange !== undefined) {
    await channel.assertExchange(options.exchange, 'direct', { durable: false });
    await channel.bindQueue(name, options.exchange, options.routingKey ?? name);
  }
  t.after(async () => {
    await channel.deleteQueue(name);
    if (options.exchange !== undefined) await channel.deleteExchange(options.exchange);
    await model.close();
  });
  const taken: GetMessage[] = [];
  return {
    name, channel, taken,
    async drain() {
      const now: GetMessage[] = [];
      for (;;) {
        const message = await channel.get(name, { noAck: true });
        if (message === false) break;
        now.push(message);
      }
      taken.push(...now);
      return now;
    },
  };
}

export interface CuttableProxy {
  readonly port: number;
  /** Destroys every connection through the proxy and stops listening. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
}

/**
 * A TCP proxy to the shared broker that the test owns: cutting it is a broker outage
 * as Herald sees it, without touching the machine's RabbitMQ.
 */
export async function cuttableProxy(t: Cleanup): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const makeServer = (): Server => createServer((client) => {
    const upstream = tcpConnect({ host: RABBIT_HOST, port: RABBIT_PORT });
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  let server = makeServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const cut = async () => {
    for (const socket of sockets) socket.destroy();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  t.after(cut);
  return {
    port,
    cut,
    async restore() {
      server = makeServer();
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
  };
}
