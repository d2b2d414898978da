import assert from 'node:assert/strict';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createJsonlFactory } from '../../src/backends/jsonl/index.js';
import { parseJsonl } from '../../src/backends/jsonl/reader.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { fileBus, rotationEvents, tempDir } from './helpers.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 10, 20, 23, 59, 0);

/** A bus whose jsonl: backend reads `clock.now`. */
function clockedBus(t: Parameters<typeof tempDir>[0], dir: string, config: Parameters<typeof createJsonlFactory>[0] = {}) {
  const clock = { now: START };
  const bus = fileBus(t, dir);
  bus.backends.register(createJsonlFactory({ now: () => clock.now, ...config }));
  return { bus, clock };
}

function extras(path: string): string[] {
  return parseJsonl(readFileSync(path, 'utf8')).filter((r) => r.type === 'E_CORE_THRESHOLD').map((r) => String(r.params.extra));
}

test('daily rolling: when the day changes the finished day becomes PATH.YYYYMMDD and PATH starts afresh', async (t) => {
  const dir = tempDir(t);
  const { bus, clock } = clockedBus(t, dir);
  const rotations = await rotationEvents(bus);
  const path = join(dir, 'events.log');
  await bus.subscribe(`jsonl:${path}?timezone=utc`, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, { source: 's', time: 1, extra: 'day 20' });
  await bus.drain();
  clock.now = START + 2 * 60_000; // 00:01 on the 21st
  bus.raise(E_CORE_THRESHOLD, { source: 's', time: 2, extra: 'day 21' });
  await bus.drain();
  assert.deepEqual(readdirSync(dir).sort(), ['events.log', 'events.log.20261120']);
  assert.deepEqual(extras(join(dir, 'events.log.20261120')), ['day 20']);
  assert.deepEqual(extras(path), ['day 21']);
  await rotations.waitFor(1);
  const [rolled] = rotations.events;
  assert.deepEqual({ ...rolled.params, timestamp: 0 }, { timestamp: 0, reason: 'period', filename: path, old_filename: `${path}.20261120` });
});

test('keep: rolled days older than `keep` days are deleted (injected clock, several days)', async (t) => {
  const dir = tempDir(t);
  const { bus, clock } = clockedBus(t, dir);
  await bus.subscribe(`jsonl:${join(dir, 'events.log')}?timezone=utc&keep=2`, { event: 'E_CORE_THRESHOLD' });
  for (let day = 0; day < 5; day++) {
    clock.now = START + day * DAY_MS + 120_000;
    bus.raise(E_CORE_THRESHOLD, { source: 's', time: day, extra: `day ${day}` });
    await bus.drain();
  }
  // Today is the 25th: the rolled 23rd and 24th are kept, the 21st and 22nd are gone.
  assert.deepEqual(readdirSync(dir).sort(), ['events.log', 'events.log.20261123', 'events.log.20261124']);
});

test('compress: rolled files become valid gzip (PATH.YYYYMMDD.gz), off the write path', async (t) => {
  const dir = tempDir(t);
  const { bus, clock } = clockedBus(t, dir, { config: { compress: true, timezone: 'utc' } });
  await bus.subscribe(`jsonl:${join(dir, 'events.log')}?file_permissions=640`, { event: 'E_CORE_THRESHOLD' });
  for (let i = 0; i < 500; i++) bus.raise(E_CORE_THRESHOLD, { source: 's', time: i, extra: `line ${i}` });
  await bus.drain();
  const before = readFileSync(join(dir, 'events.log'));
  clock.now += DAY_MS;
  bus.raise(E_CORE_THRESHOLD, { source: 's', time: 0, extra: 'next day' });
  await bus.drain(); // drain → flush, which also waits for the upkeep (compression) to finish
  assert.deepEqual(readdirSync(dir).sort(), ['events.log', 'events.log.20261120.gz']);
  assert.deepEqual(gunzipSync(readFileSync(join(dir, 'events.log.20261120.gz'))), before);
});

test('a file left from an earlier day (restart) is rolled before today\'s first line', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'events.log');
  writeFileSync(path, '{"old":true}\n');
  const yesterday = new Date(START - DAY_MS);
  utimesSync(path, yesterday, yesterday);
  const { bus } = clockedBus(t, dir);
  await bus.subscribe(`jsonl:${path}?timezone=utc`, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, { source: 's', time: 1, extra: 'today' });
  await bus.drain();
  assert.equal(readFileSync(`${path}.20261119`, 'utf8'), '{"old":true}\n');
  assert.deepEqual(extras(path), ['today']);
});

// Issue 12, point 17: the event named PATH.YYYYMMDD while the file on disk was PATH.YYYYMMDD.gz.
test('compress: E_FLATSTORE_ROTATION names the rolled file as it is on disk, with .gz', async (t) => {
  const dir = tempDir(t);
  const { bus, clock } = clockedBus(t, dir, { config: { compress: true, timezone: 'utc' } });
  const rotations = await rotationEvents(bus);
  const path = join(dir, 'events.log');
  await bus.subscribe(`jsonl:${path}`, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, { source: 's', time: 1, extra: 'day 20' });
  await bus.drain();
  clock.now += DAY_MS;
  bus.raise(E_CORE_THRESHOLD, { source: 's', time: 2, extra: 'day 21' });
  await bus.drain();
  await rotations.waitFor(1);
  const params = rotations.events[0].params as { old_filename: string };
  assert.equal(params.old_filename, `${path}.20261120.gz`);
  assert.deepEqual(readdirSync(dir).sort(), ['events.log', 'events.log.20261120.gz']);
});

// Issue 12, point 16, for days: an idle day left an empty PATH.YYYYMMDD behind.
test('a day on which the file stayed empty is not rolled: no empty PATH.YYYYMMDD', async (t) => {
  const dir = tempDir(t);
  const { bus, clock } = clockedBus(t, dir, { config: { timezone: 'utc' } });
  const rotations = await rotationEvents(bus);
  const path = join(dir, 'events.log');
  await bus.subscribe(`jsonl:${path}`, { event: 'E_CORE_THRESHOLD' });
  clock.now += DAY_MS;
  bus.raise(E_CORE_THRESHOLD, { source: 's', time: 2, extra: 'day 21' });
  await bus.drain();
  assert.deepEqual(readdirSync(dir).sort(), ['events.log']);
  assert.deepEqual(extras(path), ['day 21']);
  assert.equal(rotations.events.length, 0);
});
