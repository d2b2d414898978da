import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SegmentLog } from '../../src/bus/spool/segment-log.js';
import { tempDir } from '../backends/helpers.js';

const payload = (i: number) => Buffer.from(`{"n":${i},"pad":"${'x'.repeat(40)}"}`);

// Issue 13 (spool cost): appendMany says where each record ends, so the spool can match what it reads back to
// what it appended; the cursor file is written on saveCursor(), or at once when whole segments are deleted.
test('segment log: append ends match the records read back; the cursor reaches the disk on save or when segments go', (t) => {
  const dir = tempDir(t, 'herald-segment-log-');
  const log = new SegmentLog(dir, { segmentBytes: 1024, fsync: false });
  log.open();
  const ends = log.appendMany(Array.from({ length: 40 }, (_, i) => payload(i)));
  const records = log.readNext(100);
  assert.deepEqual(records.map((record) => record.next), ends);
  assert.deepEqual(records.map((record) => JSON.parse(record.payload.toString()).n), Array.from({ length: 40 }, (_, i) => i));
  assert.ok(ends[ends.length - 1].segment > 1, 'the records span segments');

  const cursorFile = join(dir, 'cursor');
  log.acknowledge(ends[0]);
  assert.equal(existsSync(cursorFile), false, 'a move within the first segment waits for saveCursor()');
  log.saveCursor();
  assert.deepEqual(JSON.parse(readFileSync(cursorFile, 'utf8')), ends[0]);
  const inSecond = ends.findIndex((end) => end.segment === 2);
  log.acknowledge(ends[inSecond]);
  assert.deepEqual(JSON.parse(readFileSync(cursorFile, 'utf8')), ends[inSecond], 'saved before segment 1 was deleted');
  assert.equal(existsSync(join(dir, '00000001.seg')), false);
  log.close();

  // A new run replays from the saved cursor: everything after ends[inSecond], once each.
  const again = new SegmentLog(dir, { segmentBytes: 1024, fsync: false });
  again.open();
  const replayed = again.readNext(100).map((record) => JSON.parse(record.payload.toString()).n as number);
  assert.deepEqual(replayed, Array.from({ length: 40 - inSecond - 1 }, (_, i) => inSecond + 1 + i));
  again.close();
});
