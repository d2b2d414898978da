import { randomUUID } from 'node:crypto';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { silentLogger } from '../../src/log/logger.js';
import { QueueConsumer } from '../../src/sources/rabbitmq/queue-consumer.js';
import { reachable } from '../../src/testing/services.js';
import type { BrokerCase } from './broker-case.js';
import { heraldSourceRun } from './herald-source.js';

/*
 * The machine's shared RabbitMQ on 5672 (a private rabbitmq-server takes too long to boot for a bench;
 * the queues are the bench's own, deleted at the end). Publishes go to the default exchange with
 * publisher confirms and persistent messages into durable queues, 512 in flight, every confirm awaited;
 * consumers take with prefetch 200 (ingest.rabbitmq's default) and ack each message.
 */

const URL = 'amqp://guest:guest@127.0.0.1:5672/';
const WINDOW = 512;
const PREFETCH = 200;
const prefix = `herald-bench-${randomUUID().slice(0, 8)}`;
let model: ChannelModel | undefined;
let channel: ConfirmChannel | undefined;
const queues: string[] = [];
let runs = 0;

async function queue(name: string): Promise<string> {
  await channel!.assertQueue(name, { durable: true });
  queues.push(name);
  return name;
}

async function publishAll(bodies: readonly string[], queueName: string): Promise<void> {
  for (let i = 0; i < bodies.length; i += WINDOW) {
    await Promise.all(bodies.slice(i, i + WINDOW).map((body) => new Promise<void>((resolve, reject) => {
      channel!.publish('', queueName, Buffer.from(body), { persistent: true, contentType: 'application/json' }, (error: unknown) => (error ? reject(error as Error) : resolve()));
    })));
  }
}

export const rabbitmqCase: BrokerCase = {
  name: 'rabbitmq',
  async prepare() {
    if (!await reachable('127.0.0.1', 5672)) return 'RabbitMQ not reachable on 127.0.0.1:5672';
    model = await connect(URL);
    channel = await model.createConfirmChannel();
    await queue(`${prefix}-herald`);
    await queue(`${prefix}-raw`);
    return undefined;
  },
  socket: () => `rabbitmq:guest:guest@127.0.0.1:5672/${prefix}-herald`,
  rawPublish: (bodies) => publishAll(bodies, `${prefix}-raw`),
  async seed(bodies) {
    runs++;
    await publishAll(bodies, await queue(`${prefix}-seed${runs}`));
  },
  async rawConsume(count) {
    const consumer = await connect(URL);
    const raw = await consumer.createChannel();
    await raw.prefetch(PREFETCH);
    let seen = 0;
    await new Promise<void>((resolve) => {
      void raw.consume(`${prefix}-seed${runs}`, (message) => {
        if (message === null) return;
        JSON.parse(message.content.toString('utf8'));
        raw.ack(message);
        if (++seen === count) resolve();
      });
    });
    await consumer.close();
  },
  async heraldConsume(count) {
    const { bus, kit, accepted } = await heraldSourceRun('rabbitmq');
    const source = new QueueConsumer({
      url: URL, queue: `${prefix}-seed${runs}`, prefetch: PREFETCH, heartbeat: 0, connectTimeoutMs: 5000, retryMs: 20, intake: kit, logger: silentLogger(),
    });
    source.start();
    await accepted(count);
    await source.close();
    await bus.close();
  },
  async cleanup() {
    for (const name of queues) await channel?.deleteQueue(name).catch(() => undefined);
    await model?.close().catch(() => undefined);
  },
};
