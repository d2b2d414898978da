import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { connect, connectAsync } from 'mqtt';
import { silentLogger } from '../../src/log/logger.js';
import { TopicSubscriber } from '../../src/sources/mqtt/topic-subscriber.js';
import type { BrokerCase } from './broker-case.js';
import { heraldSourceRun } from './herald-source.js';
import { privateServer, type PrivateServer } from './private-server.js';

/*
 * A private mosquitto (no persistence: the bench measures the clients, not the disk). Publishes are
 * QoS 1, 512 in flight, every PUBACK awaited; consumers hold a persistent session (clean=false) that is
 * made before the bodies are seeded, so the broker queues them all, and acknowledge at QoS 1.
 */

let server: PrivateServer | undefined;
let runs = 0;
const WINDOW = 512;

const url = () => `mqtt://127.0.0.1:${server!.port}`;

async function publishAll(bodies: readonly string[], topic: string): Promise<void> {
  const client = await connectAsync(url(), { clean: true });
  for (let i = 0; i < bodies.length; i += WINDOW) await Promise.all(bodies.slice(i, i + WINDOW).map((body) => client.publishAsync(topic, body, { qos: 1 })));
  await client.endAsync();
}

/** Makes the persistent session `clientId` with its QoS 1 subscription, so what is published next is queued for it. */
async function session(clientId: string, topic: string): Promise<void> {
  const client = await connectAsync(url(), { clientId, clean: false });
  await client.subscribeAsync(topic, { qos: 1 });
  await client.endAsync();
}

export const mqttCase: BrokerCase = {
  name: 'mqtt',
  async prepare() {
    const started = await privateServer('mosquitto', (port, dir) => {
      const config = join(dir, 'mosquitto.conf');
      writeFileSync(config, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', `user ${userInfo().username}`, 'max_queued_messages 0', ''].join('\n'));
      return ['-c', config];
    });
    if (typeof started === 'string') return started;
    server = started;
    return undefined;
  },
  socket: () => `${url()}/bench/herald/{type}?qos=1`,
  rawPublish: (bodies) => publishAll(bodies, 'bench/raw'),
  async seed(bodies) {
    runs++;
    await session(`bench-${runs}`, `bench/seed${runs}`);
    await publishAll(bodies, `bench/seed${runs}`);
  },
  async rawConsume(count) {
    let seen = 0;
    const client = connect(url(), { clientId: `bench-${runs}`, clean: false });
    await new Promise<void>((resolve, reject) => {
      // mqtt.js sends each PUBACK once the message was handled (its default handleMessage): the same ack mode.
      client.on('message', (_topic, message) => {
        JSON.parse(message.toString('utf8'));
        if (++seen === count) resolve();
      });
      client.on('error', reject);
    });
    await client.endAsync();
  },
  async heraldConsume(count) {
    const { bus, kit, accepted } = await heraldSourceRun('mqtt');
    const source = new TopicSubscriber({
      url: url(), topic: `bench/seed${runs}`, clientId: `bench-${runs}`, clean: false, connectTimeoutMs: 5000, reconnectMs: 100, retryMs: 20,
      intake: kit, logger: silentLogger(),
    });
    source.start();
    await accepted(count);
    await source.close();
    await bus.close();
  },
  async cleanup() {
    server?.stop();
  },
};
