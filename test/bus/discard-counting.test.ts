import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Backend } from '../../src/bus/backend.js';
import type { Bus } from '../../src/bus/bus.js';
import { E_CORE_LOG } from '../../src/events/packs/core.js';
import { createLogger } from '../../src/log/logger.js';
import { testBus } from '../helpers/bus.js';

const LOG = { time: 't', pid: 1, level: 'INFO', module: 'm', function: 'f', prefix: '', message: 'x' } as const;

/** A backend whose writes never finish, so queued events stay queued. */
const stuck = (): Backend => ({ open: async () => {}, write: () => new Promise(() => {}), flush: async () => {}, close: async () => {} });

function loggedBus(t: Parameters<typeof testBus>[0], now?: () => number): { bus: Bus; discardLines: () => Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  const bus = testBus(t, { logger, now, delivery: { maxQueueEvents: 10, writeTimeoutMs: 50 } });
  bus.backends.register({ transport: 'stuck', description: 'test', create: stuck });
  return { bus, discardLines: () => lines.filter((line) => typeof line.discarded === 'number') };
}

// Issue 12 point 12: after two unsubscribes, totals.dropped fell from 376,362 to 0, and queued events vanished uncounted.
test('unsubscribing keeps the totals and counts the queued events it discards, logged once', async (t) => {
  const { bus, discardLines } = loggedBus(t);
  await bus.subscribe('stuck:a', { event: 'E_CORE_LOG' });
  for (let i = 0; i < 25; i++) bus.raise(E_CORE_LOG, LOG);
  const before = bus.statistics().totals;
  assert.equal(before.dropped, 15);
  assert.equal(before.queued, 10);
  await bus.unsubscribe('stuck:a');
  const after = bus.statistics().totals;
  assert.ok(after.dropped >= before.dropped, `dropped went from ${before.dropped} to ${after.dropped}`);
  assert.ok(after.discarded.unsubscribe > 0);
  assert.equal(after.dropped, before.dropped + after.discarded.unsubscribe);
  const logged = discardLines();
  assert.equal(logged.length, 1);
  assert.deepEqual([logged[0].reason, logged[0].discarded], ['unsubscribe', after.discarded.unsubscribe]);
});

test('expiry and the shutdown deadline count their discards under their own reasons', async (t) => {
  let nowMs = 1_700_000_000_000;
  const { bus, discardLines } = loggedBus(t, () => nowMs);
  await bus.subscribe('stuck:lapses', { event: 'E_CORE_LOG', expire: 5 });
  await bus.subscribe('stuck:stays', { event: 'E_CORE_LOG' });
  for (let i = 0; i < 3; i++) bus.raise(E_CORE_LOG, LOG);
  nowMs += 6_000;
  bus.raise(E_CORE_LOG, LOG); // purges the lapsed one
  while (bus.statistics().totals.discarded.expiry === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const lapsed = bus.statistics().totals.discarded;
  assert.ok(lapsed.expiry > 0, JSON.stringify(lapsed));
  await bus.close({ deadlineMs: 50 });
  const closed = bus.statistics().totals;
  assert.ok(closed.discarded.shutdown > 0, JSON.stringify(closed.discarded));
  assert.equal(closed.discarded.expiry, lapsed.expiry);
  assert.deepEqual(discardLines().map((line) => line.discarded), [lapsed.expiry, closed.discarded.shutdown], 'one line per removal, one for the shutdown');
});
