import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TraceIngest } from '../../src/trace/ingest.js';
import { openTraceStore, type StoreWriteResult, type TraceRow, type TraceStore } from '../../src/trace/store/index.js';
import { makeRow } from './store-suite.js';

/** A store double: records batches, answers what the test scripts. */
class ScriptedStore implements TraceStore {
  readonly kind = 'sqlite';
  readonly table = 'sip_trace';
  readonly location = 'memory';
  readonly batches: TraceRow[][] = [];
  answer: (batch: readonly TraceRow[]) => StoreWriteResult = () => ({ status: 'ok' });
  async open() {}
  async insertBatch(rows: readonly TraceRow[]): Promise<StoreWriteResult> {
    const result = this.answer(rows);
    if (result.status === 'ok') this.batches.push([...rows]);
    return result;
  }
  async search() { return []; }
  async byCallId() { return []; }
  async count() { return this.batches.flat().length; }
  async applyRetention() { return { deletedRows: 0, droppedPartitions: [] }; }
  async close() {}
}

test('rows are written in batches of at most maxBatchRows, and flush writes the rest', async () => {
  const store = new ScriptedStore();
  const ingest = new TraceIngest({ store, maxBatchRows: 100, flushIntervalMs: 60_000 });
  for (let i = 0; i < 250; i++) ingest.accept([makeRow()]);
  await ingest.flush();
  assert.deepEqual(store.batches.map((b) => b.length), [100, 100, 50]);
  assert.equal(ingest.counters().stored, 250);
  assert.equal(ingest.counters().queued, 0);
});

test('a lone row is written after the flush interval', async () => {
  const store = new ScriptedStore();
  const ingest = new TraceIngest({ store, flushIntervalMs: 20 });
  ingest.accept([makeRow({ callid: 'lone' })]);
  assert.equal(store.batches.length, 0, 'not written at once');
  for (let i = 0; i < 200 && store.batches.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(store.batches[0][0].callid, 'lone');
});

test('a retryable failure retries the same batch until it is stored', async () => {
  const store = new ScriptedStore();
  let failures = 3;
  store.answer = () => (failures-- > 0 ? { status: 'retryable', error: new Error('connection refused') } : { status: 'ok' });
  const errors: boolean[] = [];
  const ingest = new TraceIngest({ store, retryBaseMs: 1, retryMaxMs: 5, onWriteError: (_e, _n, retrying) => errors.push(retrying) });
  ingest.accept([makeRow({ callid: 'a' }), makeRow({ callid: 'b' })]);
  await ingest.flush();
  assert.deepEqual(store.batches.map((b) => b.map((r) => r.callid)), [['a', 'b']]);
  assert.equal(ingest.counters().retries, 3);
  assert.deepEqual(errors, [true, true, true]);
});

test('a refused batch is split until only the bad rows are dropped', async () => {
  const store = new ScriptedStore();
  store.answer = (batch) => (batch.some((r) => r.callid.startsWith('bad')) ? { status: 'failed', error: new Error('data too long') } : { status: 'ok' });
  const ingest = new TraceIngest({ store });
  const rows = Array.from({ length: 37 }, (_, i) => makeRow({ callid: i === 5 || i === 30 ? `bad-${i}` : `good-${i}` }));
  ingest.accept(rows);
  await ingest.flush();
  const stored = store.batches.flat().map((r) => r.callid);
  assert.equal(stored.length, 35);
  assert.ok(!stored.some((c) => c.startsWith('bad')));
  assert.equal(ingest.counters().dropped_rejected, 2);
});

test('a full queue drops new rows and counts them', async () => {
  const store = new ScriptedStore();
  store.answer = () => ({ status: 'retryable', error: new Error('down') });
  const ingest = new TraceIngest({ store, maxBatchRows: 10, maxQueueRows: 30, retryBaseMs: 60_000 });
  for (let i = 0; i < 50; i++) ingest.accept([makeRow()]);
  const counters = ingest.counters();
  assert.equal(counters.accepted, 30);
  assert.equal(counters.dropped_queue_full, 20);
  await ingest.stop(50);
  assert.equal(ingest.counters().dropped_shutdown, 30, 'what the store never took is counted at the deadline');
  assert.equal(ingest.accept([makeRow()]), false);
  assert.equal(ingest.counters().dropped_stopped, 1);
});

test('a graceful stop stores everything already accepted (real SQLite)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-ingest-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = await openTraceStore(`sqlite:${join(dir, 'trace.db')}`);
  const ingest = new TraceIngest({ store, maxBatchRows: 500, flushIntervalMs: 60_000 });
  for (let i = 0; i < 5_003; i++) ingest.accept([makeRow({ callid: `drain-${i % 7}` })]);
  await ingest.stop();
  assert.equal(await store.count(), 5_003);
  assert.equal(ingest.counters().stored, 5_003);
  await store.close();
});

test('the queue is bounded by bytes too: rows past maxQueueBytes are dropped and counted, and the bytes come back when stored', async () => {
  const store = new ScriptedStore();
  const message = 'x'.repeat(10_000); // counted as 11,024 bytes a row
  const ingest = new TraceIngest({ store, maxBatchRows: 1000, maxQueueRows: 1000, maxQueueBytes: 65_536, flushIntervalMs: 60_000 });
  let accepted = 0;
  for (let i = 0; i < 10; i++) if (ingest.accept([makeRow({ msg: message })])) accepted++;
  assert.equal(accepted, 5, 'five rows fit in 64 KiB, the sixth would not');
  assert.equal(ingest.counters().dropped_queue_full, 5);
  assert.equal(ingest.counters().queued_bytes, 5 * 11_024);
  assert.equal(ingest.congested, true, 'over half the bytes held');
  await ingest.flush();
  assert.equal(ingest.counters().queued_bytes, 0);
  assert.equal(ingest.congested, false);
  assert.equal(ingest.accept([makeRow({ msg: message })]), true, 'room again once stored');
});
