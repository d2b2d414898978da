import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { pullLoop } from '../../src/sources/nats/pull-loop.js';
import type { BrokerCase } from './broker-case.js';
import { heraldSourceRun } from './herald-source.js';
import { privateServer, type PrivateServer } from './private-server.js';

/** A private nats-server (file storage in a temp dir), so the bench never loads the shared one. */
let server: PrivateServer | undefined;
let connection: NatsConnection | undefined;
let js: JetStreamClient | undefined;
let consumers = 0;

const WINDOW = 512;

async function publishAll(bodies: readonly string[], subject: string): Promise<void> {
  // As many in flight as the backend's batch: the same ack mode (every publish acked).
  for (let i = 0; i < bodies.length; i += WINDOW) {
    await Promise.all(bodies.slice(i, i + WINDOW).map((body, j) => js!.publish(subject, body, { msgID: `raw-${i + j}-${subject}` })));
  }
}

export const natsCase: BrokerCase = {
  name: 'nats',
  async prepare() {
    const started = await privateServer('nats-server', (port, dir) => ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir]);
    if (typeof started === 'string') return started;
    server = started;
    connection = await connect({ servers: `127.0.0.1:${server.port}` });
    js = jetstream(connection);
    const jsm = await jetstreamManager(connection);
    await jsm.streams.add({ name: 'BENCH', subjects: ['bench.>'] });
    return undefined;
  },
  socket: () => `nats://127.0.0.1:${server!.port}/bench.herald.{type}`,
  rawPublish: (bodies) => publishAll(bodies, 'bench.raw'),
  seed: (bodies) => publishAll(bodies, `bench.seed${++consumers}`),
  async rawConsume(count) {
    const jsm = await jetstreamManager(connection!);
    await jsm.consumers.add('BENCH', { durable_name: `raw${consumers}`, ack_policy: AckPolicy.Explicit, filter_subject: `bench.seed${consumers}` });
    const consumer = await js!.consumers.get('BENCH', `raw${consumers}`);
    let seen = 0;
    while (seen < count) {
      for await (const message of await consumer.fetch({ max_messages: 256, expires: 1000 })) {
        JSON.parse(message.string());
        message.ack();
        seen++;
      }
    }
  },
  async heraldConsume(count) {
    const { bus, kit, accepted } = await heraldSourceRun('nats');
    const stop = new AbortController();
    const loop = pullLoop(connection!, {
      stream: 'BENCH', consumer: `herald${consumers}`, filterSubject: `bench.seed${consumers}`, batch: 256, ackWaitMs: 30_000, intake: kit, logger: bus.logger,
    }, stop.signal);
    await accepted(count);
    stop.abort();
    await loop;
    await bus.close();
  },
  async cleanup() {
    await connection?.close();
    server?.stop();
  },
};
