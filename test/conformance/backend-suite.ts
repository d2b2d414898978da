import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, type TestContext } from 'node:test';
import type { Backend, BackendContext, BackendFactory, WriteResult } from '../../src/bus/backend.js';
import { parseSocket } from '../../src/bus/socket.js';
import { createEvent, type HeraldEvent } from '../../src/events/event.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { createDefaultCatalogue } from '../../src/events/packs/index.js';
import { silentLogger } from '../../src/log/logger.js';

/*
 * The backend conformance suite (issue 10, "Guard rails"): what every backend owes
 * the bus, checked through its factory against a real destination. A backend's test
 * file calls `backendConformance` with a setup that makes one destination per test:
 *
 *   open ─▶ write (results, order, no mutation) ─▶ flush ─▶ close (idempotent, in time)
 *                 │                                           ▲
 *                 ├─ broken destination: retryable, never failed or a throw; healed: each accepted event once
 *                 └─ write after close: failed          destroy (open signal aborted): writes fail, close in time
 *
 * Every event is E_CORE_THRESHOLD with a marker in `extra` (`e0`, `e1`, …), so
 * `received()` can say what reached the destination, in order.
 */

/** One destination for one test. */
export interface ConformanceSetup {
  readonly factory: BackendFactory;
  readonly socket: string;
  /** Context fields the backend needs (file roots, data dir); the rest is filled in. */
  readonly context?: Partial<BackendContext>;
  /** The markers of the events the destination holds, in the order it received them. */
  received(): Promise<readonly string[]>;
  /**
   * Breaks the destination the way the backend must answer `retryable` (a full disk, a
   * peer gone), with the backend already open; resolves to a function that heals it.
   * Leave it out for a transport that has no such failure, and say why in `noRetryableReason`.
   */
  breakRetryable?(backend: Backend): Promise<() => Promise<void>>;
}

export interface ConformanceTarget {
  /** Names the tests: `flatstore conformance: …`. */
  readonly name: string;
  setup(t: TestContext): Promise<ConformanceSetup>;
  readonly noRetryableReason?: string;
}

/** How long close may take: a hang check, far above what a healthy close needs. */
const CLOSE_DEADLINE_MS = 10_000;

let sequence = 0;

/** `count` fresh events, frozen (a backend must not mutate them), with markers `e<n>`. */
export function conformanceEvents(count: number): readonly HeraldEvent[] {
  const events: HeraldEvent[] = [];
  for (let i = 0; i < count; i++) {
    const marker = `e${sequence++}`;
    events.push(Object.freeze(createEvent(E_CORE_THRESHOLD, { source: 'conformance', time: i, extra: marker }, undefined, 'herald')));
  }
  return Object.freeze(events);
}

function markersOf(events: readonly HeraldEvent[]): string[] {
  return events.map((event) => String(event.params.extra));
}

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${CLOSE_DEADLINE_MS} ms`)), CLOSE_DEADLINE_MS);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function opened(t: TestContext, setup: ConformanceSetup): Promise<{ backend: Backend; abort: AbortController }> {
  const context: BackendContext = {
    catalogue: createDefaultCatalogue(), logger: silentLogger(), fileRoots: [], dataDir: process.cwd(), raise: () => {}, ...setup.context,
  };
  const backend = setup.factory.create(parseSocket(setup.socket), context);
  const abort = new AbortController();
  t.after(() => backend.close());
  await backend.open(abort.signal);
  return { backend, abort };
}

/** Writes `events` until the backend takes them (ok), as the bus would retry; fails on `failed`. */
async function writeUntilOk(backend: Backend, events: readonly HeraldEvent[]): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const result = await backend.write(events);
    assert.notEqual(result.status, 'failed', `a healed destination refused a batch for good: ${result.status === 'failed' ? result.error.message : ''}`);
    if (result.status === 'ok') return;
    await sleep(20);
  }
  assert.fail('the healed destination never took the batch again');
}

/** Registers the conformance tests of one backend. */
export function backendConformance(target: ConformanceTarget): void {
  const name = `${target.name} conformance`;

  test(`${name}: open, then each write is ok, in order, without touching the batch; flush makes it visible`, async (t) => {
    const setup = await target.setup(t);
    const { backend } = await opened(t, setup);
    const first = conformanceEvents(3);
    const second = conformanceEvents(2);
    assert.deepEqual(await backend.write(first), { status: 'ok' });
    assert.deepEqual(await backend.write(second), { status: 'ok' });
    assert.deepEqual(await backend.write([]), { status: 'ok' }, 'an empty batch is a no-op');
    await backend.flush();
    assert.deepEqual(await setup.received(), markersOf([...first, ...second]));
  });

  test(`${name}: close flushes, settles in time and is idempotent; a write after close is failed, not thrown`, async (t) => {
    const setup = await target.setup(t);
    const { backend } = await opened(t, setup);
    const events = conformanceEvents(2);
    assert.equal((await backend.write(events)).status, 'ok');
    await within(Promise.all([backend.close(), backend.close()]), 'close');
    assert.deepEqual(await setup.received(), markersOf(events), 'close wrote what was acknowledged');
    const late: WriteResult = await backend.write(conformanceEvents(1));
    assert.equal(late.status, 'failed');
    await within(backend.close(), 'a third close');
  });

  test(`${name}: a broken destination gives retryable (never failed, never a throw); healed, each accepted event arrives once, in order`, async (t) => {
    const setup = await target.setup(t);
    if (setup.breakRetryable === undefined) {
      t.skip(target.noRetryableReason ?? 'the transport has no retryable failure');
      return;
    }
    const { backend } = await opened(t, setup);
    const before = conformanceEvents(2);
    assert.equal((await backend.write(before)).status, 'ok');
    await backend.flush();
    const heal = await setup.breakRetryable(backend);
    const accepted: HeraldEvent[] = [...before];
    let pending: readonly HeraldEvent[] | undefined;
    for (let attempt = 0; attempt < 50 && pending === undefined; attempt++) {
      const batch = conformanceEvents(1);
      const result = await backend.write(batch);
      assert.notEqual(result.status, 'failed', 'a broken destination is retryable, not a permanent failure');
      if (result.status === 'ok') accepted.push(...batch);
      else pending = batch;
      await backend.flush();
    }
    assert.ok(pending !== undefined, 'writes to the broken destination came back retryable');
    await heal();
    await writeUntilOk(backend, pending);
    accepted.push(...pending);
    await backend.flush();
    assert.deepEqual(await setup.received(), markersOf(accepted));
  });

  test(`${name}: destroy (the open signal aborts): writes fail at once and close settles in time, even with the destination broken`, async (t) => {
    const setup = await target.setup(t);
    const { backend, abort } = await opened(t, setup);
    assert.equal((await backend.write(conformanceEvents(1))).status, 'ok');
    if (setup.breakRetryable !== undefined) await setup.breakRetryable(backend);
    abort.abort();
    assert.equal((await backend.write(conformanceEvents(1))).status, 'failed');
    await within(backend.close(), 'close after destroy');
  });
}
