import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAutoScaleProfile } from '../../src/process/autoscale/profile.js';
import { AutoScaler } from '../../src/process/autoscale/scaler.js';

test('the full OpenSIPS profile parses, with D×10 as the scale-down hold-off', () => {
  assert.deepEqual(parseAutoScaleProfile('scale up to 6 on 70% for 4 cycles within 5 scale down to 2 on 18% for 10 cycles'), {
    maxWorkers: 6, upThresholdPercent: 70, upCyclesNeeded: 4, upCyclesWindow: 5,
    minWorkers: 2, downThresholdPercent: 18, downCycles: 10, downDelayCycles: 100,
  });
});

test('"within W" is optional (W = C), the down part is optional, % may stand apart, case does not matter', () => {
  const p = parseAutoScaleProfile('  SCALE Up to 4 on 80 % for 3 cycles  Scale Down to 1 on 10% for 2 cycles ');
  assert.equal(p.upCyclesWindow, 3);
  assert.equal(p.minWorkers, 1);
  const upOnly = parseAutoScaleProfile('scale up to 3 on 50% for 1 cycle within 2');
  assert.deepEqual([upOnly.minWorkers, upOnly.downCycles, upOnly.downDelayCycles], [0, 0, 0]);
});

test('"scale down to 0" switches scaling down off, as in OpenSIPS', () => {
  const p = parseAutoScaleProfile('scale up to 3 on 50% for 1 cycles scale down to 0 on 10% for 5 cycles');
  assert.deepEqual([p.minWorkers, p.downThresholdPercent, p.downCycles], [0, 0, 0]);
});

const BAD: ReadonlyArray<readonly [string, RegExp]> = [
  ['', /it is empty/],
  ['scale upto 4 on 50% for 2 cycles', /expected "up" at word 2, got "upto"/],
  ['scale up to four on 50% for 2 cycles', /whole number for N \(most workers\) at word 4, got "four"/],
  ['scale up to 4 on 50 for 2 cycles', /expected "%" at word 7, got "for"/],
  ['scale up to 4 on 50% for 2', /expected "cycles" or "cycle" at word 10, got the end/],
  ['scale up to 4 on 50% for 2 cycles within', /whole number for W .* got the end/],
  ['scale up to 4 on 50% for 2 cycles and more', /expected "scale" at word 11, got "and"/],
  ['scale up to 4 on 50% for 2 cycles scale down to 1 on 10% for 2 cycles extra', /unexpected "extra"/],
  ['scale up to 0 on 50% for 2 cycles', /N must be 1–999, got 0/],
  ['scale up to 2 on 50% for 2 cycles scale down to 2 on 10% for 2 cycles', /N \(2\) must be above M \(2\)/],
  ['scale up to 4 on 0% for 2 cycles', /X must be 1–100, got 0/],
  ['scale up to 4 on 101% for 2 cycles', /X must be 1–100, got 101/],
  ['scale up to 4 on 50% for 2 cycles scale down to 1 on 60% for 2 cycles', /X \(50%\) must be above Y \(60%\)/],
  ['scale up to 4 on 50% for 3 cycles within 2', /C \(3\) must be at least 1 and at most W \(2\)/],
  ['scale up to 4 on 50% for 0 cycles', /C \(0\) must be at least 1/],
  ['scale up to 4 on 50% for 2 cycles scale down to 1 on 10% for 0 cycles', /D must be at least 1/],
];

test('bad profiles are refused with HERALD_ERR_CONFIG naming the problem and the expected syntax', () => {
  for (const [profile, message] of BAD) {
    assert.throws(() => parseAutoScaleProfile(profile), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'HERALD_ERR_CONFIG', profile);
      assert.match(error.message, message, profile);
      assert.match(error.message, /Expected: scale up to N on X% for C cycles \[within W\]/);
      return true;
    });
  }
});

function feed(scaler: AutoScaler, loads: readonly number[], workers: () => number, apply: (d: 'up' | 'down') => void): Array<'up' | 'down' | undefined> {
  return loads.map((load) => {
    const decision = scaler.cycle(load, workers());
    if (decision !== undefined) apply(decision);
    return decision;
  });
}

test('up needs C of the last W cycles strictly above X, and stops at N', () => {
  const scaler = new AutoScaler(parseAutoScaleProfile('scale up to 3 on 50% for 2 cycles within 3'));
  let workers = 1;
  const decisions = feed(scaler, [50, 90, 10, 90, 95, 100, 100, 100, 100], () => workers, (d) => { workers += d === 'up' ? 1 : -1; });
  // 50 is not above 50; 90,10,90 gives 2 of 3 → up. The history is rescaled by 1/2,
  // so 45,5,45 + 95 is 1 of 3; 100 makes 2 → up to 3 workers, then N caps it.
  assert.deepEqual(decisions, [undefined, undefined, undefined, 'up', undefined, 'up', undefined, undefined, undefined]);
  assert.equal(workers, 3);
});

test('down needs all of the last D cycles strictly below Y, after the 10×D hold-off, down to M', () => {
  const scaler = new AutoScaler(parseAutoScaleProfile('scale up to 4 on 80% for 1 cycles scale down to 1 on 20% for 2 cycles'));
  let workers = 3;
  const idle = Array.from({ length: 30 }, () => 0);
  const decisions = feed(scaler, idle, () => workers, (d) => { workers += d === 'up' ? 1 : -1; });
  const downAt = decisions.flatMap((d, i) => (d === 'down' ? [i] : []));
  // Hold-off of 20 cycles from start: the first cycle that may scale down is the 21st (index 20).
  assert.deepEqual(downAt, [20, 21]);
  assert.equal(workers, 1);
});

test('a busy cycle inside the down window, or a load too high for one worker fewer, prevents scaling down', () => {
  const profile = parseAutoScaleProfile('scale up to 4 on 60% for 3 cycles scale down to 1 on 40% for 2 cycles');
  const scaler = new AutoScaler(profile);
  for (let i = 0; i < 20; i++) scaler.cycle(50, 2); // the hold-off passes with nothing below 40
  assert.equal(scaler.cycle(35, 2), undefined, 'only 1 of the last 2 cycles is below Y');
  assert.equal(scaler.cycle(35, 2), undefined, '35% on 2 workers would be 70% on 1: above X, so keep both');
  assert.equal(scaler.cycle(35, 3), 'down', '35% on 3 workers is 52.5% on 2: below X, so drop one');
});
