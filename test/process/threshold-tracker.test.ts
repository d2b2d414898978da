import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThresholdTracker, usagePercent } from '../../src/process/threshold-tracker.js';

/** Feeds a series of usages and returns the ones that raised. */
function raisedFor(threshold: number, series: readonly number[]): number[] {
  const tracker = new ThresholdTracker(threshold);
  return series.filter((usage) => tracker.update(usage));
}

test('crossing up raises once, at the first sample at or above the threshold', () => {
  assert.deepEqual(raisedFor(80, [10, 50, 79, 80]), [80]);
  assert.deepEqual(raisedFor(80, [10, 95]), [95]);
});

test('while above, every whole-percent change raises and a repeated percent does not', () => {
  assert.deepEqual(raisedFor(80, [81, 81, 82, 82, 82, 81, 90, 90]), [81, 82, 81, 90]);
});

test('fractions are truncated to whole percents before comparing', () => {
  assert.deepEqual(raisedFor(80, [80.2, 80.9, 81.0, 79.99]), [80.2, 81.0, 79.99]);
});

test('dropping back below raises exactly once, then silence while below', () => {
  assert.deepEqual(raisedFor(80, [85, 70, 60, 50, 79]), [85, 70]);
});

test('a crossing that reached exactly the threshold still gets its drop-below event (OpenSIPS misses it)', () => {
  assert.deepEqual(raisedFor(80, [80, 79]), [80, 79]);
});

test('below and staying below never raises, whatever the values', () => {
  assert.deepEqual(raisedFor(80, [0, 10, 79, 42, 79]), []);
});

test('up, down, up again: each crossing raises again', () => {
  assert.deepEqual(raisedFor(50, [10, 60, 40, 40, 55, 55, 56, 20]), [60, 40, 55, 56, 20]);
});

test('threshold 0 disables the event entirely', () => {
  assert.deepEqual(raisedFor(0, [0, 50, 100, 0]), []);
});

test('threshold 100 raises only at 100%', () => {
  assert.deepEqual(raisedFor(100, [99, 100, 100, 99]), [100, 99]);
});

test('every usage 0..100 against every threshold 1..100 follows the rule from a fresh tracker', () => {
  for (let threshold = 1; threshold <= 100; threshold++) {
    for (let usage = 0; usage <= 100; usage++) {
      const tracker = new ThresholdTracker(threshold);
      assert.equal(tracker.update(usage), usage >= threshold, `threshold ${threshold}, usage ${usage}`);
      assert.equal(tracker.above, usage >= threshold);
    }
  }
});

test('thresholds outside 0..100 or fractional are refused', () => {
  for (const bad of [-1, 101, 50.5, Number.NaN]) assert.throws(() => new ThresholdTracker(bad), RangeError);
});

test('usagePercent truncates like OpenSIPS used*100/size and caps at 100', () => {
  assert.equal(usagePercent(799, 1000), 79);
  assert.equal(usagePercent(800, 1000), 80);
  assert.equal(usagePercent(2000, 1000), 100);
  assert.equal(usagePercent(5, 0), 0);
});
