import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventDef } from '../../src/events/define.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { createThresholds } from '../../src/process/thresholds.js';
import { busyWait } from './helpers.js';

interface Raised { readonly name: string; readonly params: Record<string, unknown> }

function recordingBus() {
  const raised: Raised[] = [];
  return { raised, bus: { raise: (def: EventDef, params: unknown) => void raised.push({ name: def.name, params: params as Record<string, unknown> }) } };
}

test('record raises E_CORE_THRESHOLD only when the time is strictly above the threshold', () => {
  const { raised, bus } = recordingBus();
  const thresholds = createThresholds({ bus, thresholdsUs: { dns: 1000 } });
  assert.equal(thresholds.record('dns', 1000, 'equal'), false);
  assert.equal(thresholds.record('dns', 999, 'below'), false);
  assert.equal(thresholds.record('dns', 1001.4, 'above'), true);
  assert.deepEqual(raised, [{ name: E_CORE_THRESHOLD.name, params: { source: 'dns', time: 1001, extra: 'above' } }]);
});

test('a threshold of 0 or an unknown source is off: nothing is timed, extra is never built', () => {
  const { raised, bus } = recordingBus();
  const thresholds = createThresholds({ bus, thresholdsUs: { dns: 0 } });
  let built = 0;
  const extra = () => { built++; return 'x'; };
  assert.equal(thresholds.time('dns', () => { busyWait(5); return 7; }, extra), 7);
  assert.equal(thresholds.record('nosuch', 1e9, extra), false);
  assert.equal(thresholds.active('dns'), false);
  assert.equal(built, 0);
  assert.deepEqual(raised, []);
});

test('time() times a synchronous function, passes its value through and builds extra lazily', () => {
  const { raised, bus } = recordingBus();
  const thresholds = createThresholds({ bus, thresholdsUs: { app: 2000 } });
  assert.equal(thresholds.time('app', () => { busyWait(10); return 'value'; }, () => 'SELECT 1'), 'value');
  assert.equal(raised.length, 1);
  assert.equal(raised[0].params.source, 'app');
  assert.equal(raised[0].params.extra, 'SELECT 1');
  assert.ok((raised[0].params.time as number) >= 10_000);
});

test('time() times a promise until it settles, and keeps its resolution and rejection', async () => {
  const { raised, bus } = recordingBus();
  const thresholds = createThresholds({ bus, thresholdsUs: { store: 20_000 } });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  assert.equal(await thresholds.time('store', async () => { await sleep(60); return 42; }, 'SELECT * FROM sip_trace'), 42);
  await assert.rejects(thresholds.time('store', async () => { await sleep(60); throw new Error('db down'); }, 'INSERT'), /db down/);
  assert.deepEqual(raised.map((r) => r.params.extra), ['SELECT * FROM sip_trace', 'INSERT']);
  assert.ok(raised.every((r) => (r.params.time as number) >= 50_000));
});

test('a synchronous throw is timed and rethrown', () => {
  const { raised, bus } = recordingBus();
  const thresholds = createThresholds({ bus, thresholdsUs: { app: 1000 } });
  assert.throws(() => thresholds.time('app', () => { busyWait(5); throw new Error('bad'); }, 'boom'), /bad/);
  assert.equal(raised.length, 1);
});

test('start/stop: stop returns the elapsed µs, raises once, and may replace extra', () => {
  const { raised, bus } = recordingBus();
  const thresholds = createThresholds({ bus, thresholdsUs: { app: 1000 } });
  const stop = thresholds.start('app', 'first');
  busyWait(5);
  assert.ok(stop('final') >= 5000);
  stop();
  assert.deepEqual(raised.map((r) => r.params.extra), ['final']);
});

test('extra is cut to the configured length (default 256)', () => {
  const { raised, bus } = recordingBus();
  const long = 'x'.repeat(1000);
  createThresholds({ bus, thresholdsUs: { a: 1 } }).record('a', 5, long);
  createThresholds({ bus, thresholdsUs: { a: 1 }, extraMaxLength: 10 }).record('a', 5, long);
  assert.deepEqual(raised.map((r) => (r.params.extra as string).length), [256, 10]);
});

test('an extra builder that throws gives an empty extra, not a broken operation', () => {
  const { raised, bus } = recordingBus();
  const thresholds = createThresholds({ bus, thresholdsUs: { a: 1 } });
  assert.equal(thresholds.record('a', 5, () => { throw new Error('no'); }), true);
  assert.equal(raised[0].params.extra, '');
});

test('setThresholdUs switches a source on at runtime and refuses negative values', () => {
  const { raised, bus } = recordingBus();
  const thresholds = createThresholds({ bus });
  assert.equal(thresholds.record('late', 100, 'x'), false);
  thresholds.setThresholdUs('late', 50);
  assert.equal(thresholds.thresholdUs('late'), 50);
  assert.equal(thresholds.record('late', 100, 'x'), true);
  assert.throws(() => thresholds.setThresholdUs('late', -1), RangeError);
  assert.equal(raised.length, 1);
});
