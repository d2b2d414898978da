import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brokerBodyEncoder } from '../../../src/backends/shared/broker-body.js';
import { memoryStore } from '../../../src/backends/memory/index.js';
import type { Bus } from '../../../src/bus/bus.js';
import { createEvent } from '../../../src/events/event.js';
import { E_CORE_THRESHOLD } from '../../../src/events/packs/core.js';
import { UntypedDefs } from '../../../src/events/untyped.js';
import { BrokerIntake, type BrokerIntakeOptions } from '../../../src/sources/broker/broker-intake.js';
import type { UnknownPolicy } from '../../../src/sources/ingest/context.js';
import { Intake } from '../../../src/sources/ingest/intake.js';
import { tempDir } from '../../backends/helpers.js';
import { tcpPeer } from '../../backends/network/helpers.js';
import { testBus, uniqueMemorySocket } from '../../helpers/bus.js';

const OPTIONS: BrokerIntakeOptions = { format: 'auto', maxMessageBytes: 4096, dedupIds: 1000, dedupWindowMs: 60_000 };

function kit(bus: Bus, unknown: UnknownPolicy = 'accept', options: Partial<BrokerIntakeOptions> = {}): { kit: BrokerIntake; intake: Intake } {
  const intake = new Intake(bus);
  const ctx = { catalogue: bus.catalogue, untyped: new UntypedDefs(), unknown, source: 'broker' };
  return { kit: new BrokerIntake(bus, intake, ctx, { ...OPTIONS, ...options }), intake };
}

function threshold(extra: string) {
  return createEvent(E_CORE_THRESHOLD, { source: 'dns', time: 1, extra }, undefined, 'herald');
}

test('records and JSON-RPC bodies as the broker backends write them land typed with their ids; a redelivery is dropped and counted', async (t) => {
  const bus = testBus(t);
  const socket = uniqueMemorySocket('broker-kit');
  await bus.subscribe(socket, { event: E_CORE_THRESHOLD.name });
  const { kit: intake, intake: counted } = kit(bus);
  const first = threshold('a');
  const second = threshold('b');
  const record = brokerBodyEncoder('json')(first);
  const jsonrpc = brokerBodyEncoder('jsonrpc')(second);
  assert.deepEqual(await intake.take([Buffer.from(record), jsonrpc, record, jsonrpc]), ['ack', 'ack', 'ack', 'ack']);
  await bus.drain();
  const got = memoryStore(socket.slice('memory:'.length)).events;
  assert.deepEqual(got.map((e) => [e.id, e.params.extra]), [[first.id, 'a'], [second.id, 'b']]);
  assert.equal(intake.counters().duplicates, 2);
  assert.equal(counted.stats.get('accepted'), 2);
});

test('bad bodies are acknowledged (redelivery cannot fix them) and counted by reason; unknown events follow the policy', async (t) => {
  const bus = testBus(t);
  await bus.subscribe(uniqueMemorySocket('broker-kit'), { filter: 'level >= trace' });
  const { kit: intake, intake: counted } = kit(bus, 'reject', { maxMessageBytes: 200 });
  const verdicts = await intake.take(['{"type":', '[1]', '{"type":"NoSuchEvent","params":{}}', `{"type":"E_CORE_THRESHOLD","params":{"pad":"${'x'.repeat(300)}"}}`]);
  assert.deepEqual(verdicts, ['ack', 'ack', 'ack', 'ack']);
  const stats = counted.stats.snapshot();
  assert.deepEqual([stats['rejected.malformed'], stats['rejected.not_an_event'], stats['rejected.unknown_event'], stats['rejected.too_large']], [1, 1, 1, 1]);
  assert.equal(stats.accepted, 0);
});

test('an acknowledgement comes only after the event is in the spool of an at-least-once subscriber', async (t) => {
  const dir = tempDir(t, 'herald-broker-kit-');
  const peer = await tcpPeer(t);
  await peer.close();
  const bus = testBus(t, { dataDir: dir, fileRoots: [dir] });
  await bus.subscribe(`tcp:127.0.0.1:${peer.port}?reliable=1&connect_timeout_ms=100`, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
  const { kit: intake } = kit(bus);
  assert.equal(bus.subscribers()[0].spoolBytes, 0);
  assert.deepEqual(await intake.take([brokerBodyEncoder('json')(threshold('kept'))]), ['ack']);
  assert.ok((bus.subscribers()[0].spoolBytes ?? 0) > 0, 'the event is on disk when the ack is given');
});

test('while the bus is full, messages are handed back for redelivery, not dropped, and not remembered as seen', async (t) => {
  const bus = testBus(t, { delivery: { maxQueueEvents: 1 } });
  const peer = await tcpPeer(t);
  await peer.close();
  await bus.subscribe(`tcp:127.0.0.1:${peer.port}?connect_timeout_ms=100`, { event: E_CORE_THRESHOLD.name });
  const { kit: intake } = kit(bus);
  const bodies = [threshold('1'), threshold('2'), threshold('3')].map(brokerBodyEncoder('json'));
  const verdicts = await intake.take(bodies);
  assert.ok(verdicts.includes('retry'), verdicts.join(','));
  assert.equal(intake.counters().retried_busy, verdicts.filter((v) => v === 'retry').length);
  assert.equal(intake.counters().duplicates, 0);
});
