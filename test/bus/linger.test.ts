// Delivery batching: the first event after a quiet spell is written on the next
// turn; later ones wait for the linger, which a drain, a full batch or a
// half-full queue ends early. Lingers here are a minute long, so nothing below
// depends on how fast the machine is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveryOptions } from '../../src/bus/delivery-runner.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { testBus } from '../helpers/bus.js';

const turn = () => new Promise(setImmediate);

async function recordingBus(t: Parameters<typeof testBus>[0], delivery: Partial<DeliveryOptions>) {
  const bus = testBus(t, { delivery });
  const batches: number[][] = [];
  bus.backends.register({
    transport: 'recording',
    description: 'test',
    create: () => ({
      open: async () => {},
      write: async (batch) => {
        batches.push(batch.map((e) => e.params.time as number));
        return { status: 'ok' };
      },
      flush: async () => {},
      close: async () => {},
    }),
  });
  await bus.subscribe('recording:x', { event: 'E_CORE_THRESHOLD' });
  const raise = (time: number) => bus.raise(E_CORE_THRESHOLD, { source: 's', time, extra: '' });
  return { bus, batches, raise };
}

test('after a write, events raised over several turns wait for the linger and go out as one batch', async (t) => {
  const { bus, batches, raise } = await recordingBus(t, { lingerMs: 60_000 });
  raise(0);
  await turn();
  assert.deepEqual(batches, [[0]], 'the first event after a quiet spell is written on the next turn');
  for (let i = 1; i <= 5; i++) {
    raise(i);
    await turn();
  }
  assert.deepEqual(batches, [[0]], 'events raised during the linger wait');
  await bus.drain();
  assert.deepEqual(batches, [[0], [1, 2, 3, 4, 5]], 'drain() ends the linger at once');
});

test('a half-full queue ends the linger, so waiting never drops an event', async (t) => {
  const { bus, batches, raise } = await recordingBus(t, { lingerMs: 60_000, maxQueueEvents: 8 });
  raise(0);
  await turn();
  for (let i = 1; i <= 40; i++) {
    raise(i);
    if (i % 3 === 0) await turn();
  }
  await bus.drain();
  assert.deepEqual(batches.flat(), Array.from({ length: 41 }, (_, i) => i));
  assert.ok(batches.slice(1).every((b) => b.length <= 8), `batches ${JSON.stringify(batches)}`);
  assert.equal(bus.subscribers()[0].dropped, 0);
});

test('a full batch ends the linger', async (t) => {
  const { batches, raise } = await recordingBus(t, { lingerMs: 60_000, maxBatchEvents: 4 });
  raise(0);
  await turn();
  for (let i = 1; i <= 4; i++) raise(i);
  await turn();
  assert.deepEqual(batches, [[0], [1, 2, 3, 4]]);
});

test('lingerMs 0 writes on every turn', async (t) => {
  const { batches, raise } = await recordingBus(t, { lingerMs: 0 });
  for (let i = 0; i < 3; i++) {
    raise(i);
    await turn();
    await turn();
  }
  assert.deepEqual(batches, [[0], [1], [2]]);
});

test('a drain waiting for more than one batch does not wait for a linger between them', { timeout: 20_000 }, async (t) => {
  const { bus, batches, raise } = await recordingBus(t, { lingerMs: 60_000, maxBatchEvents: 4 });
  raise(0);
  await turn();
  for (let i = 1; i <= 6; i++) raise(i);
  await bus.drain();
  assert.deepEqual(batches, [[0], [1, 2, 3, 4], [5, 6]]);
});
