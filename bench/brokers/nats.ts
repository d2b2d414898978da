import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { BackendRegistry } from '../../src/bus/backend-registry.js';
import { registerShippedBackends } from '../../src/backends/index.js';
import { Bus } from '../../src/bus/bus.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { createDefaultCatalogue } from '../../src/events/packs/index.js';
import { UntypedDefs } from '../../src/events/untyped.js';
import { reachable } from '../../src/testing/services.js';
import { BrokerIntake } from '../../src/sources/broker/broker-intake.js';
import { Intake } from '../../src/sources/ingest/intake.js';
import { pullLoop } from '../../src/sources/nats/pull-loop.js';
import type { BrokerCase } from './broker-case.js';

/** A private nats-server (file storage in a temp dir), so the bench never loads the shared one. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let child: ChildProcess | undefined;
let dir = '';
let port = 0;
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
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'herald-bench-nats-'));
    child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: 'ignore' });
    child.on('error', () => undefined);
    for (let i = 0; i < 100 && !(await reachable('127.0.0.1', port)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    if (!(await reachable('127.0.0.1', port))) return 'nats-server did not start';
    connection = await connect({ servers: `127.0.0.1:${port}` });
    js = jetstream(connection);
    const jsm = await jetstreamManager(connection);
    await jsm.streams.add({ name: 'BENCH', subjects: ['bench.>'] });
    return undefined;
  },
  socket: () => `nats://127.0.0.1:${port}/bench.herald.{type}`,
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
    const bus = new Bus({ catalogue: createDefaultCatalogue(), backends: registerShippedBackends(new BackendRegistry()) });
    await bus.subscribe('memory:bench-nats-source', { event: E_CORE_THRESHOLD.name });
    const intake = new Intake(bus);
    const kit = new BrokerIntake(bus, intake, { catalogue: bus.catalogue, untyped: new UntypedDefs(), unknown: 'accept', source: 'nats' },
      { format: 'auto', maxMessageBytes: 1 << 20, dedupIds: 100_000, dedupWindowMs: 600_000 });
    const stop = new AbortController();
    const loop = pullLoop(connection!, {
      stream: 'BENCH', consumer: `herald${consumers}`, filterSubject: `bench.seed${consumers}`, batch: 256, ackWaitMs: 30_000, intake: kit, logger: bus.logger,
    }, stop.signal);
    while (intake.stats.get('accepted') < count) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    await loop;
    await bus.close();
  },
  async cleanup() {
    await connection?.close();
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  },
};
