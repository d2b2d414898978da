// The batch runner's failure policies, through its public interface, in front of real
// backends (a jsonl: file, memory:). A gate between runner and backend plays the part
// of a sink that fails: it answers what the test scripts, else hands the batch on.
// Retry waits are driven by node:test's mock timers, so nothing here depends on how
// fast the machine is.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createJsonlFactory } from '../../src/backends/jsonl/index.js';
import { parseJsonl } from '../../src/backends/jsonl/reader.js';
import { memoryBackend, memoryStore } from '../../src/backends/memory/index.js';
import type { Backend, BackendContext, BackendFactory, WriteResult } from '../../src/bus/backend.js';
import type { FailurePolicy } from '../../src/bus/batch-policy.js';
import { BatchRunner, type BatchRunnerOptions } from '../../src/bus/batch-runner.js';
import { parseSocket } from '../../src/bus/socket.js';
import { createEvent, type HeraldEvent } from '../../src/events/event.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { createDefaultCatalogue } from '../../src/events/packs/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { tempDir } from '../backends/helpers.js';
import { uniqueMemorySocket } from '../helpers/bus.js';

const turn = () => new Promise(setImmediate);

function events(markers: readonly string[]): HeraldEvent[] {
  return markers.map((extra, time) => createEvent(E_CORE_THRESHOLD, { source: 'runner', time, extra }, undefined, 'herald'));
}

async function openBackend(t: TestContext, factory: BackendFactory, socket: string, context: Partial<BackendContext> = {}): Promise<Backend> {
  const ctx: BackendContext = { catalogue: createDefaultCatalogue(), logger: silentLogger(), fileRoots: [], dataDir: process.cwd(), raise: () => {}, ...context };
  const backend = factory.create(parseSocket(socket), ctx);
  t.after(() => backend.close());
  await backend.open(new AbortController().signal);
  return backend;
}

/** Answers `script(batch)` when it returns a result, else writes the batch to the real backend. */
function gate(backend: Backend, script: (batch: readonly HeraldEvent[], attempt: number) => WriteResult | undefined) {
  const attempts: string[][] = [];
  return {
    attempts,
    write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
      attempts.push(batch.map((e) => String(e.params.extra)));
      return Promise.resolve(script(batch, attempts.length) ?? backend.write(batch));
    },
  };
}

function options(policy: FailurePolicy, overrides: Partial<BatchRunnerOptions> = {}): BatchRunnerOptions {
  return { maxQueue: 1000, maxBatch: 100, lingerMs: 0, retryBaseMs: 1, retryMaxMs: 2, policy, ...overrides };
}

async function memory(t: TestContext) {
  const socket = uniqueMemorySocket('runner');
  const backend = await openBackend(t, memoryBackend, socket);
  const store = memoryStore(socket.slice('memory:'.length));
  return { backend, received: () => store.events.map((e) => String(e.params.extra)) };
}

test('retry waits at least the retryAfterMs the sink asks for, then delivers the batch once, in order', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { backend, received } = await memory(t);
  const sink = gate(backend, (_batch, attempt) => (attempt === 1 ? { status: 'retryable', error: new Error('busy'), retryAfterMs: 60_000 } : undefined));
  const delays: number[] = [];
  const runner = new BatchRunner(sink, options({ retryable: 'retry', failed: 'drop' }), { onRetry: (_b, _e, _a, delayMs) => delays.push(delayMs) });
  for (const event of events(['a', 'b', 'c'])) runner.enqueue(event);
  await turn();
  await turn();
  assert.equal(sink.attempts.length, 1);
  assert.ok(delays[0] >= 60_000, `retry delay ${delays[0]} ms is shorter than the 60000 ms asked for`);
  t.mock.timers.tick(59_999);
  await turn();
  assert.equal(sink.attempts.length, 1, 'not retried before retryAfterMs');
  assert.equal(runner.queueDepth, 3, 'the batch is still held while it waits');
  t.mock.timers.tick(1);
  await runner.idle();
  assert.deepEqual(received(), ['a', 'b', 'c']);
  assert.deepEqual(sink.attempts, [['a', 'b', 'c'], ['a', 'b', 'c']]);
  assert.deepEqual({ ...runner.counters }, { delivered: 3, dropped: 0, failed: 0, retries: 1, lastError: 'busy' });
});

test('a retryAfterMs shorter than the backoff does not shorten it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { backend, received } = await memory(t);
  const sink = gate(backend, (_batch, attempt) => (attempt === 1 ? { status: 'retryable', error: new Error('busy'), retryAfterMs: 1 } : undefined));
  const delays: number[] = [];
  const runner = new BatchRunner(sink, options({ retryable: 'retry', failed: 'drop' }, { retryBaseMs: 10_000, retryMaxMs: 10_000 }), {
    onRetry: (_b, _e, _a, delayMs) => delays.push(delayMs),
  });
  runner.enqueue(events(['x'])[0]);
  await turn();
  await turn();
  assert.ok(delays[0] >= 5_000, `retry delay ${delays[0]} ms is below the jittered backoff's floor (half of 10000)`);
  t.mock.timers.tick(10_000);
  await runner.idle();
  assert.deepEqual(received(), ['x']);
});

test('bisect isolates the poison records, writes the rest to the file and counts only the poison as failed', async (t) => {
  const dir = tempDir(t, 'herald-runner-');
  const path = join(dir, 'events.log');
  const backend = await openBackend(t, createJsonlFactory(), `jsonl:${path}`, { fileRoots: [dir], dataDir: dir });
  const markers = Array.from({ length: 37 }, (_, i) => (i === 5 || i === 30 ? `bad-${i}` : `good-${i}`));
  const poison = (batch: readonly HeraldEvent[]) => batch.some((e) => String(e.params.extra).startsWith('bad'));
  const sink = gate(backend, (batch) => (poison(batch) ? { status: 'failed', error: new Error('value too long') } : undefined));
  const failed: string[][] = [];
  const runner = new BatchRunner(sink, options({ retryable: 'retry', failed: 'bisect' }), {
    onSettled: (batch, outcome, error) => {
      if (outcome === 'failed') failed.push([...batch.map((e) => String(e.params.extra)), error?.message ?? 'no error']);
    },
  });
  assert.equal(runner.enqueueAll(events(markers)), true);
  await runner.idle();
  await backend.flush();
  const written = parseJsonl(readFileSync(path, 'utf8')).map((record) => String(record.params.extra));
  assert.deepEqual(written, markers.filter((m) => !m.startsWith('bad')), 'every good record written once, in order');
  assert.deepEqual(failed, [['bad-5', 'value too long'], ['bad-30', 'value too long']]);
  assert.equal(runner.counters.failed, 2);
  assert.equal(runner.counters.delivered, 35);
  assert.equal(runner.queueDepth, 0);
});

test('drop gives a failed batch up whole and counts it, and the next batch is still delivered', async (t) => {
  const { backend, received } = await memory(t);
  const sink = gate(backend, (batch) => (batch.some((e) => e.params.extra === 'bad') ? { status: 'failed', error: new Error('refused') } : undefined));
  const runner = new BatchRunner(sink, options({ retryable: 'retry', failed: 'drop' }));
  runner.enqueueAll(events(['a', 'bad', 'c']));
  await runner.idle();
  runner.enqueueAll(events(['d', 'e']));
  await runner.idle();
  assert.deepEqual(received(), ['d', 'e']);
  assert.deepEqual({ ...runner.counters }, { delivered: 2, dropped: 0, failed: 3, retries: 0, lastError: 'refused' });
});

test('drop on retryable gives the batch up without retrying; a full queue drops and counts new records', async (t) => {
  const { backend, received } = await memory(t);
  const sink = gate(backend, (_batch, attempt) => (attempt === 1 ? { status: 'retryable', error: new Error('down') } : undefined));
  const runner = new BatchRunner(sink, options({ retryable: 'drop', failed: 'drop' }, { maxQueue: 4 }));
  const accepted = events(['a', 'b', 'c', 'd', 'e', 'f']).map((event) => runner.enqueue(event));
  assert.deepEqual(accepted, [true, true, true, true, false, false]);
  assert.equal(runner.enqueueAll(events(['g'])), false, 'all or nothing: no room for it');
  await runner.idle();
  runner.enqueue(events(['h'])[0]);
  await runner.idle();
  assert.deepEqual(sink.attempts, [['a', 'b', 'c', 'd'], ['h']]);
  assert.deepEqual(received(), ['h']);
  assert.deepEqual({ ...runner.counters }, { delivered: 1, dropped: 3, failed: 4, retries: 0, lastError: 'down' });
});

test('close() discards a batch whose retry would end past the deadline, and counts it', async (t) => {
  const { backend, received } = await memory(t);
  const sink = gate(backend, () => ({ status: 'retryable', error: new Error('down'), retryAfterMs: 3_600_000 }));
  const runner = new BatchRunner(sink, options({ retryable: 'retry', failed: 'drop' }));
  runner.enqueueAll(events(['a', 'b']));
  assert.equal(await runner.close(60_000), 2);
  assert.deepEqual(received(), []);
  assert.equal(runner.counters.dropped, 2);
  assert.equal(runner.queueDepth, 0);
});

test('bounds that cannot work are refused with an error naming them', async (t) => {
  const { backend } = await memory(t);
  for (const bad of [{ maxBatch: 0 }, { maxQueue: 0 }, { lingerMs: -1 }, { retryBaseMs: Number.NaN }]) {
    assert.throws(() => new BatchRunner(backend, options({ retryable: 'retry', failed: 'drop' }, bad)), (error: Error) => {
      const [name] = Object.keys(bad);
      assert.match(error.message, new RegExp(`${name}[^,]*\\(?${String(Object.values(bad)[0])}`));
      return (error as { code?: string }).code === 'HERALD_ERR_CONFIG';
    });
  }
});

test('until() resolves once its condition holds after a write, or at discard; a waiter ends the linger', async (t) => {
  const { backend, received } = await memory(t);
  let open = false;
  const sink = gate(backend, () => (open ? undefined : { status: 'retryable', error: new Error('down') }));
  const runner = new BatchRunner(sink, options({ retryable: 'retry', failed: 'drop' }, { lingerMs: 60_000, lingerFirst: true, maxBatch: 2 }));
  runner.enqueueAll(events(['a']));
  let relieved = false;
  const below = runner.until(() => runner.queueDepth === 0).then(() => { relieved = true; });
  await turn();
  assert.equal(sink.attempts.length, 1, 'the waiter ended the linger: written on the next turn');
  open = true;
  await below;
  assert.equal(relieved, true);
  assert.deepEqual(received(), ['a']);
  runner.enqueueAll(events(['b', 'c', 'd']));
  const never = runner.until(() => false);
  runner.discard();
  await never;
  assert.equal(runner.counters.dropped, 3);
});
