import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WRITE_OK, type Backend, type WriteResult } from '../../src/bus/backend.js';
import { DeliveryRunner } from '../../src/bus/delivery-runner.js';
import { createEvent, type HeraldEvent } from '../../src/events/event.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';

// Issue 13 (delivery cost): the batch runner takes batches from the head of its queue by an index, not by splicing
// (O(queue) per batch); the queue is compacted as it goes. Order, retries and counts must be as before.
test('a long queue is written in order, batch by batch, with a retried batch back at the head', async () => {
  const seen: number[] = [];
  let writes = 0;
  const backend: Backend = {
    open: async () => {},
    write: async (batch: readonly HeraldEvent[]): Promise<WriteResult> => {
      writes++;
      if (writes === 3 || writes === 40) return { status: 'retryable', error: new Error('once') };
      for (const event of batch) seen.push(event.params.time as number);
      return WRITE_OK;
    },
    flush: async () => {},
    close: async () => {},
  };
  const count = 20_000;
  const runner = new DeliveryRunner(backend, { maxQueueEvents: count, maxBatchEvents: 100, writeTimeoutMs: 10_000, retryBaseMs: 1, retryMaxMs: 2, lingerMs: 0 });
  for (let i = 0; i < count; i++) assert.equal(runner.enqueue(createEvent(E_CORE_THRESHOLD, { source: 's', time: i, extra: '' }, undefined, 't')), true);
  assert.equal(runner.enqueue(createEvent(E_CORE_THRESHOLD, { source: 's', time: -1, extra: '' }, undefined, 't')), false, 'full');
  await runner.idle();
  assert.deepEqual(seen, Array.from({ length: count }, (_, i) => i));
  assert.deepEqual([runner.counters.delivered, runner.counters.dropped, runner.counters.retries, runner.queueDepth], [count, 1, 2, 0]);
});
