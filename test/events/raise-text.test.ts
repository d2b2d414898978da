import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testBus } from '../helpers/bus.js';
import { collect } from '../process/helpers.js';
import { CLI_ENTRY } from '../../bench/cli-entry.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOG_PARAMS = { pid: '1', level: 'INFO', module: 'demo', function: 'main', prefix: '', message: 'hello' };

// Issue 12, point 25: the README's `herald raise E_CORE_LOG time=now …` stored the literal "now".
test('a time param given as text takes now: E_CORE_LOG time=now is the current ISO 8601 time', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_LOG' });
  const before = Date.now();
  const outcome = bus.raiseUntyped('E_CORE_LOG', { time: 'now', ...LOG_PARAMS }, { fromText: true });
  assert.deepEqual(outcome, { ok: true, subscribers: 1 });
  await bus.drain();
  const time = String(store.events[0].params.time);
  assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(Date.parse(time) >= before - 1000, `${time} is now, not a fixed date`);
  // Typed JSON (not text) keeps a string as given: only text input reads `now`.
  bus.raiseUntyped('E_CORE_LOG', { time: 'now', ...LOG_PARAMS, pid: 1 });
  await bus.drain();
  assert.equal(store.events[1].params.time, 'now');
});

// Issue 12, point 25: OpenSIPS sends `details` only when one was given.
test('E_CORE_SR_STATUS_CHANGED takes no details', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_SR_STATUS_CHANGED' });
  const outcome = bus.raiseUntyped('E_CORE_SR_STATUS_CHANGED', { group: 'g', identifier: 'main', status: 1, old_status: -1 });
  assert.deepEqual(outcome, { ok: true, subscribers: 1 });
  await bus.drain();
  assert.equal(store.events[0].params.details, undefined);
});

// Issue 12, point 25: `herald events` hid the param types a raise must match.
test('herald events shows each param with its type, optional ones marked', () => {
  const result = spawnSync(process.execPath, [...CLI_ENTRY, 'events', '--pack', 'core'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const line = result.stdout.split('\n').find((row) => row.startsWith('E_CORE_SR_STATUS_CHANGED '));
  assert.match(line ?? '', /group:string identifier:string status:int details\?:string old_status:int$/);
  assert.match(result.stdout, /\nE_CORE_LOG .* time:string pid:int level:string/);
});
