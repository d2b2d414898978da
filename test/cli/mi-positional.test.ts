import assert from 'node:assert/strict';
import test from 'node:test';
import { startTestDaemon } from '../mi/helpers.js';
import { runCli } from './mi-cli-helpers.js';

// Issue 12, point 23: `herald mi sip_trace on` failed with `"on" is not key=value`.
test('herald mi COMMAND value… passes positional params in the order the command declares them', async (t) => {
  const d = await startTestDaemon(t);
  const env = d.cliEnv;
  const off = await runCli(['mi', 'sip_trace', 'off'], env);
  assert.equal(off.code, 0, off.stderr);
  assert.equal(JSON.parse(off.stdout).global, 'off');
  const on = await runCli(['mi', 'sip_trace', 'on'], env);
  assert.equal(JSON.parse(on.stdout).global, 'on');
  const [subscribed, tooMany] = await Promise.all([
    runCli(['mi', 'evi:subscribe', 'E_CORE_LOG', 'memory:cli-positional', '60'], env),
    runCli(['mi', 'version', 'extra'], env),
  ]);
  assert.equal(subscribed.code, 0, subscribed.stderr);
  assert.deepEqual(JSON.parse(subscribed.stdout), { action: 'subscribed', socket: 'memory:cli-positional', event: 'E_CORE_LOG', expire: 60, ttl: 60 });
  assert.equal(tooMany.code, 1);
  assert.match(tooMany.stderr, /\(position 1\)" expected no params/);
});

