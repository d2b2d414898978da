import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import type { Backend, WriteResult } from '../../src/bus/backend.js';
import type { HeraldEvent } from '../../src/events/event.js';
import { E_CORE_LOG, E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';
import { until } from '../helpers/until.js';

const LOG = { time: 't', pid: 1, level: 'INFO', module: 'm', function: 'f', prefix: '', message: 'x' } as const;

function backendOf(write: (batch: readonly HeraldEvent[]) => Promise<WriteResult>): Backend {
  return { open: async () => {}, write, flush: async () => {}, close: async () => {} };
}

test('a throwing backend and a never-resolving backend neither block raise() nor starve a healthy subscriber', async (t) => {
  const bus = testBus(t, { delivery: { writeTimeoutMs: 50, maxQueueEvents: 300 } });
  let throwingCalls = 0;
  bus.backends.register({ transport: 'throwing', description: 'test', create: () => backendOf(async () => { throwingCalls++; throw new Error('boom'); }) });
  bus.backends.register({ transport: 'hanging', description: 'test', create: () => backendOf(() => new Promise<WriteResult>(() => {})) });
  const healthy = uniqueMemorySocket('healthy');
  await bus.subscribe('throwing:x', { event: 'E_CORE_LOG' });
  await bus.subscribe('hanging:x', { event: 'E_CORE_LOG' });
  await bus.subscribe(healthy, { event: 'E_CORE_LOG' });

  for (let i = 0; i < 1000; i++) {
    // raise() returns synchronously and must not throw whatever the backends do.
    assert.equal(bus.raise(E_CORE_LOG, { ...LOG, message: String(i) }), undefined);
    // Let the event loop turn between bursts, as a server would between requests.
    if (i % 100 === 99) await new Promise(setImmediate);
  }
  const store = memoryStore(healthy.slice('memory:'.length));
  await store.waitFor(1000);
  // The store sees the events inside write(); counters move when the write settles, a microtask later.
  await new Promise(setImmediate);
  assert.deepEqual(store.events.map((e) => e.params.message), Array.from({ length: 1000 }, (_, i) => String(i)));

  // Each subscriber delivers at its own pace: the throwing one may still be settling its last batch.
  const throwingFailed = () => bus.subscribers().find((s) => s.socket === 'throwing:x')?.failed ?? 0;
  await until('the throwing backend\'s last batch to settle', () => throwingFailed() >= 1000);
  const bySocket = Object.fromEntries(bus.subscribers().map((s) => [s.socket, s]));
  assert.equal(bySocket[healthy].delivered, 1000);
  assert.equal(bySocket[healthy].dropped, 0);
  assert.ok(throwingCalls >= 1);
  assert.equal(bySocket['throwing:x'].failed, 1000, 'every event the throwing backend got is counted as failed');
  assert.match(bySocket['throwing:x'].lastError ?? '', /boom/);
  assert.equal(bySocket['hanging:x'].delivered, 0);
  assert.equal(bySocket['hanging:x'].dropped, 700, 'the hung subscriber keeps 300 queued and drops the rest');
  assert.equal(bySocket['hanging:x'].queueDepth, 300);
});

test('queue overflow is counted per subscriber and per event', async (t) => {
  const bus = testBus(t, { delivery: { maxQueueEvents: 10 } });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => { release = resolve; });
  bus.backends.register({ transport: 'gated', description: 'test', create: () => backendOf(async () => { await gate; return { status: 'ok' }; }) });
  await bus.subscribe('gated:x', { event: 'E_CORE_LOG' });
  for (let i = 0; i < 25; i++) bus.raise(E_CORE_LOG, LOG);
  const [sub] = bus.subscribers();
  assert.equal(sub.dropped, 15);
  assert.equal(sub.queueDepth, 10);
  assert.equal(bus.statistics().events.E_CORE_LOG.dropped, 15);
  release();
  await bus.drain();
  assert.equal(bus.subscribers()[0].delivered, 10);
  assert.deepEqual(bus.statistics().events.E_CORE_LOG, { raised: 25, dropped: 15, delivered: 10, failed: 0 });
});

test('a retryable result keeps the batch queued and delivers it once the backend recovers', async (t) => {
  const bus = testBus(t, { delivery: { retryBaseMs: 1, retryMaxMs: 5 } });
  const written: string[] = [];
  let failuresLeft = 3;
  bus.backends.register({
    transport: 'flaky', description: 'test', create: () => backendOf(async (batch) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        return { status: 'retryable', error: new Error('disk full') };
      }
      written.push(...batch.map((e) => String(e.params.message)));
      return { status: 'ok' };
    }),
  });
  await bus.subscribe('flaky:x', { event: 'E_CORE_LOG' });
  for (let i = 0; i < 5; i++) bus.raise(E_CORE_LOG, { ...LOG, message: String(i) });
  await bus.drain();
  assert.deepEqual(written, ['0', '1', '2', '3', '4']);
  const [sub] = bus.subscribers();
  assert.equal(sub.retries, 3);
  assert.equal(sub.dropped, 0);
  assert.equal(sub.failed, 0);
});

test('raise delivers typed params, level override, source id and rendered summary', async (t) => {
  const bus = testBus(t);
  const socket = uniqueMemorySocket('record');
  await bus.subscribe(socket, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, { source: 'dns', time: 1500, extra: 'example.org' }, { sourceId: '#default#app/stream', level: 'error' });
  const store = memoryStore(socket.slice('memory:'.length));
  await store.waitFor(1);
  const [event] = store.events;
  assert.equal(event.name, 'E_CORE_THRESHOLD');
  assert.equal(event.level, 'error');
  assert.equal(event.sourceId, '#default#app/stream');
  assert.equal(event.summary, 'dns took 1500 µs: example.org');
  assert.ok(Math.abs(event.timeUs / 1000 - Date.now()) < 60_000, 'time is µs since the epoch');
});

test('enabled() is false until someone listens, then true, and a level filter enables every event (any raise may override its level)', async (t) => {
  const bus = testBus(t);
  assert.equal(bus.enabled(E_CORE_LOG), false);
  assert.equal(bus.enabled('E_CORE_LOG'), false);
  assert.equal(bus.enabled('E_NO_SUCH'), false);
  await bus.subscribe(uniqueMemorySocket('en'), { event: 'E_CORE_LOG' });
  assert.equal(bus.enabled(E_CORE_LOG), true);
  assert.equal(bus.enabled(E_CORE_THRESHOLD), false);
  await bus.subscribe(uniqueMemorySocket('en-filter'), { filter: 'level>=error' });
  assert.equal(bus.enabled(E_CORE_THRESHOLD), true);
});

test('filter subscribers receive only matching events', async (t) => {
  const bus = testBus(t);
  const socket = uniqueMemorySocket('filtered');
  await bus.subscribe(socket, { filter: 'event=E_CORE_* AND level>=warning AND NOT source=dns' });
  bus.raise(E_CORE_THRESHOLD, { source: 'dns', time: 1, extra: '' });
  bus.raise(E_CORE_THRESHOLD, { source: 'http_server', time: 2, extra: '' });
  bus.raise(E_CORE_LOG, LOG);
  await bus.drain();
  assert.deepEqual(memoryStore(socket.slice('memory:'.length)).events.map((e) => e.params.time), [2]);
});

test('raiseUntyped validates against the catalogue and reports every problem', async (t) => {
  const bus = testBus(t);
  await bus.subscribe(uniqueMemorySocket('untyped'), { event: 'E_CORE_TCP_DISCONNECT' });
  const bad = bus.raiseUntyped('E_CORE_TCP_DISCONNECT', { src_ip: 'not-an-ip', src_port: 70000, dst_ip: '10.0.0.1', dst_port: 5060, proto: 'tcp', bogus: 1 });
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.match(bad.error.message, /Event E_CORE_TCP_DISCONNECT: param "src_ip" expected ip \(IPv4 or IPv6 address\), received "not-an-ip"/);
    assert.match(bad.error.message, /param "src_port" expected port \(integer 0-65535\), received 70000/);
    assert.match(bad.error.message, /param "bogus" expected no such param/);
  }
  const missing = bus.raiseUntyped('E_CORE_TCP_DISCONNECT', { src_ip: '10.0.0.1' });
  assert.equal(missing.ok, false);
  if (!missing.ok) assert.match(missing.error.message, /param "dst_ip" expected ip .*\(required\), received nothing/);
  assert.deepEqual(bus.raiseUntyped('E_NOPE', {}).ok, false);
  const text = bus.raiseUntyped('E_CORE_TCP_DISCONNECT', { src_ip: '10.0.0.1', src_port: '5060', dst_ip: '::1', dst_port: '5061', proto: 'tls' }, { fromText: true });
  assert.deepEqual(text, { ok: true, subscribers: 1 });
});
