import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFlatstoreFactory } from '../../src/backends/flatstore/index.js';
import { rotateFiles } from '../../src/backends/shared/file-registry.js';
import { parseSize } from '../../src/backends/shared/option-parse.js';
import { strftime } from '../../src/backends/shared/strftime.js';
import type { HeraldEvent } from '../../src/events/event.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { fileBus, rotationEvents, tempDir } from './helpers.js';

const raiseN = (bus: ReturnType<typeof fileBus>, n: number, from = 0) => {
  for (let i = from; i < from + n; i++) bus.raise(E_CORE_THRESHOLD, { source: 's', time: i, extra: 'x' });
};

function thresholdLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.startsWith('E_CORE_THRESHOLD'));
}

function rotationParams(events: readonly HeraldEvent[]) {
  return events.map((event) => event.params as { timestamp: number; reason: string; filename: string; old_filename: string });
}

test('mv then rotate: lines before the command are in the moved file, later ones in the new file; E_FLATSTORE_ROTATION says so', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  const rotations = await rotationEvents(bus);
  const path = join(dir, 'ev.log');
  await bus.subscribe(`flatstore:${path}`, { event: 'E_CORE_THRESHOLD' });
  raiseN(bus, 3);
  await bus.drain();
  await rename(path, `${path}.1`);
  raiseN(bus, 2, 3); // Written after mv, before rotate: logrotate's contract puts them in the moved file.
  await bus.drain();
  const [info] = await rotateFiles(path);
  raiseN(bus, 4, 5);
  await bus.drain();
  assert.deepEqual(thresholdLines(`${path}.1`).map((l) => l.split(',')[2]), ['0', '1', '2', '3', '4']);
  assert.deepEqual(thresholdLines(path).map((l) => l.split(',')[2]), ['5', '6', '7', '8']);
  assert.deepEqual({ ...info, timestampS: typeof info.timestampS }, { timestampS: 'number', reason: 'command', filename: path, oldFilename: path });
  await rotations.waitFor(1);
  const [event] = rotationParams(rotations.events);
  assert.equal(typeof event.timestamp, 'number');
  assert.deepEqual({ ...event, timestamp: 0 }, { timestamp: 0, reason: 'command', filename: path, old_filename: path });
  await assert.rejects(rotateFiles(join(dir, 'not-open.log')), (error: Error & { code?: string }) => error.code === 'HERALD_ERR_NOT_FOUND');
});

test('rotate_count moves each full file aside; rotation lines written to the same file do not count (no loop)', async (t) => {
  const dir = tempDir(t);
  const now = Date.UTC(2026, 10, 22, 5, 15, 0);
  const bus = fileBus(t, dir);
  bus.backends.register(createFlatstoreFactory({ now: () => now, config: { timezone: 'utc' } }));
  const rotations = await rotationEvents(bus);
  await bus.subscribe(`flatstore:${join(dir, 'ev.log')}?rotate_count=3`, { filter: 'level>=trace' });
  raiseN(bus, 7);
  await rotations.waitFor(2);
  await bus.drain();
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['ev.log', 'ev.log.20261122-051500', 'ev.log.20261122-051500.1']);
  assert.deepEqual([files[1], files[2], files[0]].map((name) => thresholdLines(join(dir, name)).length), [3, 3, 1]);
  assert.deepEqual(rotationParams(rotations.events).map((p) => [p.reason, p.old_filename]), [
    ['count', join(dir, 'ev.log.20261122-051500')], ['count', join(dir, 'ev.log.20261122-051500.1')],
  ]);
  assert.equal(rotations.events.length, 2, 'rotation events logged into the file did not trigger more rotations');
});

test('rotate_size (k/m/g units) rotates once the file reaches the size; suffix names the active file by the clock', async (t) => {
  assert.deepEqual(['512', '2k', '10m', '1G'].map(parseSize), [512, 2048, 10 * 1024 ** 2, 1024 ** 3]);
  assert.throws(() => parseSize('10x'), /byte count/);
  const dir = tempDir(t);
  let now = Date.UTC(2026, 10, 22, 5, 0, 0);
  const bus = fileBus(t, dir);
  bus.backends.register(createFlatstoreFactory({ now: () => now, config: { timezone: 'utc' } }));
  const rotations = await rotationEvents(bus);
  await bus.subscribe(`flatstore:${join(dir, 'ev.log')}?rotate_size=60&suffix=.%25Y%25m%25d-%25H%25M`, { event: 'E_CORE_THRESHOLD' });
  raiseN(bus, 2); // 2 × 25 bytes: under the size.
  await bus.drain();
  now += 60_000;
  raiseN(bus, 2, 2); // The third line reaches 75 bytes: rotate after it.
  await rotations.waitFor(1);
  await bus.drain();
  const first = join(dir, 'ev.log.20261122-0500');
  const second = join(dir, 'ev.log.20261122-0501');
  assert.deepEqual(thresholdLines(first).map((l) => l.split(',')[2]), ['0', '1', '2']);
  assert.deepEqual(thresholdLines(second).map((l) => l.split(',')[2]), ['3']);
  assert.deepEqual(rotationParams(rotations.events).map((p) => [p.reason, p.old_filename, p.filename]), [['size', first, second]]);
  assert.equal(strftime('%Y-%m-%d %H:%M:%S %s %%', Date.UTC(2026, 0, 2, 3, 4, 5), 'utc'), '2026-01-02 03:04:05 1767323045 %');
});

test('rotate_period rotates on wall-clock multiples of the period', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  const rotations = await rotationEvents(bus);
  await bus.subscribe(`flatstore:${join(dir, 'ev.log')}?rotate_period=1`, { event: 'E_CORE_THRESHOLD' });
  // File timers are unref'd (a quiet file never keeps a process up): keep this one up while waiting.
  const alive = setInterval(() => {}, 1000);
  t.after(() => clearInterval(alive));
  raiseN(bus, 1);
  await rotations.waitFor(1);
  const [first] = rotationParams(rotations.events);
  assert.equal(first.reason, 'period');
  assert.equal(Number.isInteger(first.timestamp), true);
});

/** Keeps the process up while a test waits on unref'd file timers. */
function keepAlive(t: { after(fn: () => void): void }): void {
  const alive = setInterval(() => {}, 1000);
  t.after(() => clearInterval(alive));
}

// Issue 12, point 16: rotate_period=1 made an empty file every second for an idle file (61 a minute).
test('rotate_period leaves an idle file alone: no empty rotated file, no event, while a busy file rotates', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  const rotations = await rotationEvents(bus);
  const busy = join(dir, 'busy.log');
  const idle = join(dir, 'idle.log');
  await bus.subscribe(`flatstore:${busy}?rotate_period=1`, { event: 'E_CORE_THRESHOLD' });
  await bus.subscribe(`flatstore:${idle}?rotate_period=1`, { event: 'E_CORE_LOG' }); // Not raised here: the file stays idle.
  keepAlive(t);
  raiseN(bus, 1);
  await rotations.waitFor(1);
  raiseN(bus, 1, 1);
  await rotations.waitFor(2); // Two boundaries of the busy file passed, so the idle file's timer fired at least once.
  await bus.drain();
  const names = readdirSync(dir).sort();
  assert.deepEqual(names.filter((name) => name.startsWith('idle.log')), ['idle.log'], 'the idle file was never rotated');
  assert.deepEqual(rotationParams(rotations.events).map((p) => p.filename), [busy, busy], 'rotation events name only the busy file');
  assert.equal(names.filter((name) => name.startsWith('busy.log.')).length, 2);
});

test('rotate_period with a suffix: the next name is taken once the file clock reaches the boundary, never the same name again', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  // Timers run on a monotonic clock, names on the wall clock; here the wall clock steps back 150 ms once the
  // period timer is armed, so the timer fires before the boundary on the clock that names files. Old code then
  // reopened the same name and rotated a second time for the same boundary.
  let lagMs = 0;
  bus.backends.register(createFlatstoreFactory({ now: () => Date.now() - lagMs }));
  const rotations = await rotationEvents(bus);
  const path = join(dir, 'ev.log');
  await bus.subscribe(`flatstore:${path}?rotate_period=1&suffix=.%25s`, { event: 'E_CORE_THRESHOLD' });
  lagMs = 150;
  keepAlive(t);
  raiseN(bus, 1);
  await rotations.waitFor(1);
  const [first] = rotationParams(rotations.events);
  const second = (name: string) => Number(name.slice(`${path}.`.length));
  assert.notEqual(first.filename, first.old_filename);
  assert.ok(second(first.filename) > second(first.old_filename), `${first.filename} is named after a later second than ${first.old_filename}`);
});
