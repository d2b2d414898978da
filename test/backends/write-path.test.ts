import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFlatstoreFactory } from '../../src/backends/flatstore/index.js';
import type { BackendContext } from '../../src/bus/backend.js';
import { parseSocket } from '../../src/bus/socket.js';
import { createEvent } from '../../src/events/event.js';
import { createDefaultCatalogue } from '../../src/events/packs/index.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { silentLogger } from '../../src/log/logger.js';
import { fileBus, tempDir } from './helpers.js';

const PARAMS = { source: 'dns', time: 1, extra: 'x' } as const;
const LINE = 'E_CORE_THRESHOLD,dns,1,x\n';

function context(dir: string): BackendContext {
  return { catalogue: createDefaultCatalogue(), logger: silentLogger(), fileRoots: [dir], dataDir: dir, raise: () => {} };
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await sleep(10);
  }
  assert.fail(`never happened: ${what}`);
}

test('buffered lines reach the file by themselves within flush_interval_ms, without drain or close', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  await bus.subscribe(`flatstore:${join(dir, 'ev.log')}?flush_interval_ms=20`, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, PARAMS);
  await eventually(() => readFileSync(join(dir, 'ev.log'), 'utf8') === LINE, 'the periodic flush');
});

test('close flushes: lines written just before close are in the file', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  await bus.subscribe(`jsonl:${join(dir, 'ev.log')}?flush_interval_ms=60000`, { event: 'E_CORE_THRESHOLD' });
  for (let i = 0; i < 100; i++) bus.raise(E_CORE_THRESHOLD, { ...PARAMS, time: i });
  await bus.close();
  assert.equal(readFileSync(join(dir, 'ev.log'), 'utf8').split('\n').length - 1, 100);
});

test('fsync: true — a write resolves ok only once its lines are in the file (fdatasync per batch)', async (t) => {
  const dir = tempDir(t);
  const backend = createFlatstoreFactory().create(parseSocket(`flatstore:${join(dir, 'ev.log')}?fsync=1&flush_interval_ms=60000`), context(dir));
  await backend.open(new AbortController().signal);
  t.after(() => backend.close());
  const batch = [createEvent(E_CORE_THRESHOLD, PARAMS, undefined, 'h'), createEvent(E_CORE_THRESHOLD, PARAMS, undefined, 'h')];
  assert.deepEqual(await backend.write(batch), { status: 'ok' });
  assert.equal(readFileSync(join(dir, 'ev.log'), 'utf8'), LINE + LINE, 'no flush was asked for: the write itself put the lines on disk');
});

test('a write after close is failed, and close is idempotent', async (t) => {
  const dir = tempDir(t);
  const backend = createFlatstoreFactory().create(parseSocket(`flatstore:${join(dir, 'ev.log')}`), context(dir));
  await backend.open(new AbortController().signal);
  await Promise.all([backend.close(), backend.close()]);
  const result = await backend.write([createEvent(E_CORE_THRESHOLD, PARAMS, undefined, 'h')]);
  assert.equal(result.status, 'failed');
});
