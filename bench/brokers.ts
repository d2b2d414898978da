import { registerShippedBackends } from '../src/backends/index.js';
import { brokerBodyEncoder } from '../src/backends/shared/broker-body.js';
import { BackendRegistry } from '../src/bus/backend-registry.js';
import { Bus } from '../src/bus/bus.js';
import { createEvent } from '../src/events/event.js';
import { E_CORE_THRESHOLD } from '../src/events/packs/core.js';
import { createDefaultCatalogue } from '../src/events/packs/index.js';
import type { BrokerCase } from './brokers/broker-case.js';
import { mqttCase } from './brokers/mqtt.js';
import { natsCase } from './brokers/nats.js';
import { rabbitmqCase } from './brokers/rabbitmq.js';
import { redisCase } from './brokers/redis.js';
import { round } from './measure.js';
import type { BenchOptions, BenchReport, BenchResult } from './report.js';

/*
 * npm run bench -- brokers [--json]
 * Per broker, events/s through Herald's backend (raise → bus → backend → broker ack) beside
 * the same client publishing the same bodies with the same ack mode, and Herald's source
 * (pull → decode → type → bus → ack) beside a bare consume loop that parses and acks.
 * Each broker is one module under bench/brokers/ and one line in CASES.
 * HERALD_BENCH_EVENTS sets the count (default 50,000).
 */

const CASES: readonly BrokerCase[] = [natsCase, rabbitmqCase, mqttCase, redisCase];
const EVENTS = Number(process.env.HERALD_BENCH_EVENTS ?? 50_000);

function bodies(): string[] {
  const encode = brokerBodyEncoder('json');
  return Array.from({ length: EVENTS }, (_, i) => encode(createEvent(E_CORE_THRESHOLD, { source: 'bench', time: i, extra: 'example.net' }, undefined, 'herald')));
}

async function perSecond(body: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await body();
  return EVENTS / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function throughBackend(socket: string): Promise<void> {
  const bus = new Bus({ catalogue: createDefaultCatalogue(), backends: registerShippedBackends(new BackendRegistry()), delivery: { maxQueueEvents: EVENTS + 1 } });
  await bus.subscribe(socket, { event: E_CORE_THRESHOLD.name });
  for (let i = 0; i < EVENTS; i++) bus.raise(E_CORE_THRESHOLD, { source: 'bench', time: i, extra: 'example.net' });
  await bus.drain();
  const [info] = bus.subscribers();
  await bus.close();
  if (info.delivered !== EVENTS) throw new Error(`${socket}: delivered ${info.delivered} of ${EVENTS} (${info.lastError ?? ''})`);
}

function pair(name: string, herald: number, anchor: string, raw: number): BenchResult[] {
  return [
    { name: `${name} (Herald)`, value: round(herald), unit: 'events/s', anchor, ratio: round(herald / raw, 2) },
    { name: `${name} (${anchor})`, value: round(raw), unit: 'events/s' },
  ];
}

export async function run(_options: BenchOptions): Promise<BenchReport> {
  const results: BenchResult[] = [];
  const notes: string[] = [`${EVENTS} events per run; brokers are private servers the bench starts on loopback (RabbitMQ: the shared one, queues of the bench's own)`];
  const sample = bodies();
  for (const broker of CASES) {
    const skipped = await broker.prepare();
    try {
      if (skipped !== undefined) {
        notes.push(`${broker.name}: skipped (${skipped})`);
        continue;
      }
      const raw = await perSecond(() => broker.rawPublish(sample));
      const herald = await perSecond(() => throughBackend(broker.socket()));
      results.push(...pair(`${broker.name} backend`, herald, 'raw publish loop', raw));
      if (broker.seed !== undefined && broker.rawConsume !== undefined && broker.heraldConsume !== undefined) {
        await broker.seed(sample);
        const rawConsume = await perSecond(() => broker.rawConsume!(EVENTS));
        await broker.seed(sample);
        const heraldConsume = await perSecond(() => broker.heraldConsume!(EVENTS));
        results.push(...pair(`${broker.name} source`, heraldConsume, 'raw consume loop', rawConsume));
      }
    } finally {
      await broker.cleanup();
    }
  }
  return { suite: 'brokers', results, notes };
}
