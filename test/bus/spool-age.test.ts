import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WRITE_OK, type Backend, type WriteResult } from '../../src/bus/backend.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { tempDir } from '../backends/helpers.js';
import { testBus } from '../helpers/bus.js';

// Issue 13: herald stats showed an at-least-once subscriber's spool bytes but not how far behind it was.
test('an at-least-once subscriber reports the age of its oldest unacknowledged event, and 0 once all are acknowledged', async (t) => {
  const dir = tempDir(t, 'herald-spool-age-');
  const nowMs = 1_800_000_000_000;
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => { open = resolve; });
  const gated: Backend = {
    open: async () => {},
    write: async (): Promise<WriteResult> => { await gate; return WRITE_OK; },
    flush: async () => {},
    close: async () => {},
  };
  const bus = testBus(t, { dataDir: dir, now: () => nowMs });
  bus.backends.register({ transport: 'gated', description: 'test', destinations: () => [], create: () => gated });
  await bus.subscribe('gated:x', { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
  bus.raise(E_CORE_THRESHOLD, { source: 'old', time: 1, extra: 'a' }, { timeUs: (nowMs - 7000) * 1000 });
  bus.raise(E_CORE_THRESHOLD, { source: 'new', time: 2, extra: 'b' }, { timeUs: (nowMs - 1000) * 1000 });
  await bus.persisted();
  const [waiting] = bus.subscribers();
  assert.equal(waiting.spoolOldestAgeMs, 7000, 'the oldest event, not the newest');
  assert.ok((waiting.spoolBytes ?? 0) > 0);
  open();
  await bus.drain();
  const [done] = bus.subscribers();
  assert.deepEqual([done.delivered, done.spoolOldestAgeMs], [2, 0]);
});
