import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { HeraldEvent } from '../../src/events/event.js';
import { Intake } from '../../src/sources/ingest/intake.js';
import { OffsetStore } from '../../src/sources/ome/offset-store.js';
import { OmeFollower } from '../../src/sources/ome/follower.js';
import { testBus } from '../helpers/bus.js';
import { ingestContext } from './ingest-helpers.js';

function omeLine(n: number): string {
  return JSON.stringify({
    time: '2025-03-26T05:21:46.315+00:00', level: 'Info', category: 'StreamEvent', type: 'StreamCreated',
    sourceId: `#default#app/s${n}`, summary: `Stream created. Id: ${n}, StreamType: Rtmp, SourceUrl: TCP://10.0.0.1:${1000 + n}`,
  });
}

function setup(t: { after(fn: () => void | Promise<void>): void }) {
  const root = mkdtempSync(join(tmpdir(), 'herald-ome-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'logs');
  const bus = testBus(t);
  const seen: HeraldEvent[] = [];
  bus.tap((event) => seen.push(event));
  const intake = new Intake(bus);
  const store = new OffsetStore(join(root, 'data', 'ingest', 'ome-offset.json'));
  const follower = () => new OmeFollower({
    dir, base: 'events.log', ctx: ingestContext('ovenmediaengine', ['ovenmediaengine']), intake, store, maxLineBytes: 4096, pollMs: 60_000,
  });
  return { dir, seen, intake, follower };
}

test('events.log with a torn last line, a daily roll and a restart in the middle: every line lands exactly once', async (t) => {
  const { dir, seen, intake, follower } = setup(t);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir);
  const log = join(dir, 'events.log');
  writeFileSync(log, `${omeLine(1)}\n${omeLine(2)}\n${omeLine(3).slice(0, 40)}`);
  let f = follower();
  await f.start();
  assert.deepEqual(seen.map((e) => e.params.streamId), [1, 2], 'the torn line waits');
  appendFileSync(log, `${omeLine(3).slice(40)}\n${omeLine(4)}\n`);
  await f.poll();
  assert.deepEqual(seen.map((e) => e.params.streamId), [1, 2, 3, 4]);
  appendFileSync(log, `${omeLine(5)}\n${omeLine(6).slice(0, 30)}`);
  await f.close();

  // Down while OME rolls the day: the old file is renamed, the new one starts, both grow.
  appendFileSync(log, `${omeLine(6).slice(30)}\n${omeLine(7)}\n`);
  renameSync(log, join(dir, 'events.log.20250326'));
  writeFileSync(log, `${omeLine(8)}\n`);
  f = follower();
  await f.start();
  assert.deepEqual(seen.map((e) => e.params.streamId), [1, 2, 3, 4, 5, 6, 7, 8]);
  // OSS OME writes to dated names directly: a newer dated file is followed the same way.
  appendFileSync(log, omeLine(9));
  writeFileSync(join(dir, 'events.log.20250327'), '');
  await f.poll();
  await f.close();
  f = follower();
  await f.start();
  await f.close();
  assert.deepEqual(seen.map((e) => e.params.streamId), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(seen[0].def.name, 'StreamCreated');
  assert.equal(seen[0].sourceId, '#default#app/s1');
  assert.equal(intake.stats.get('accepted'), 8);
});

test('a bad line is refused with its file and byte offset and counted; an over-long line is skipped as too_large', async (t) => {
  const { dir, seen, intake, follower } = setup(t);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir);
  writeFileSync(join(dir, 'events.log'), `${omeLine(1)}\nnot json\n${'x'.repeat(10_000)}\n${omeLine(2)}\n`);
  const f = follower();
  await f.start();
  await f.close();
  assert.deepEqual(seen.map((e) => e.params.streamId), [1, 2]);
  assert.equal(intake.stats.get('rejected.malformed'), 1);
  assert.equal(intake.stats.get('rejected.too_large'), 1);
});
