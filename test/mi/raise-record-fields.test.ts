// Issue 12, point 24: `herald raise` / MI `raise_event` could not set sourceId,
// level, cause or snapshot, so every external OME-style event said
// "sourceId":"herald" at the catalogue's level.
import assert from 'node:assert/strict';
import test from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { runCli } from '../cli/mi-cli-helpers.js';
import { startTestDaemon } from './helpers.js';

const THRESHOLD = { source: 'dns', time: 5, extra: '' };

test('raise_event and herald raise set sourceId, level, cause and snapshot, validated', async (t) => {
  const d = await startTestDaemon(t);
  await d.result('event_subscribe', { socket: 'memory:raise-fields', event: 'E_CORE_THRESHOLD' });
  await d.result('raise_event', {
    event: 'E_CORE_THRESHOLD', params: THRESHOLD, source_id: 'edge-7', level: 'crit', cause: 'resolver down', snapshot: { queue: 3 },
  });
  const cli = await runCli(['raise', 'E_CORE_THRESHOLD', 'source=dns', 'time=6', 'extra=', '--source-id', 'cli-1', '--level', 'warn',
    '--cause', 'slow', '--snapshot', '{"rtt_ms":900}'], d.cliEnv);
  assert.equal(cli.code, 0, cli.stderr);
  await d.daemon.runtime.bus.drain();
  const events = memoryStore('raise-fields').events;
  assert.deepEqual(events.map((e) => [e.sourceId, e.level, e.cause, e.snapshot]), [
    ['edge-7', 'critical', 'resolver down', { queue: 3 }],
    ['cli-1', 'warning', 'slow', { rtt_ms: 900 }],
  ]);

  const plain = await d.call('raise_event', { event: 'E_CORE_THRESHOLD', params: THRESHOLD });
  assert.equal(plain.error, undefined);
  const bad = await Promise.all([
    d.call('raise_event', { event: 'E_CORE_THRESHOLD', params: THRESHOLD, level: 'loud' }),
    d.call('raise_event', { event: 'E_CORE_THRESHOLD', params: THRESHOLD, source_id: ' ' }),
    d.call('raise_event', { event: 'E_CORE_THRESHOLD', params: THRESHOLD, source_id: 'x'.repeat(257) }),
    d.call('raise_event', { event: 'E_CORE_THRESHOLD', params: THRESHOLD, snapshot: '[1,2]' }),
    d.call('raise_event', { event: 'E_CORE_THRESHOLD', params: THRESHOLD, cause: 7 }),
  ]);
  for (const [index, reply] of bad.entries()) assert.equal(reply.error?.code, -32602, `case ${index}: ${JSON.stringify(reply)}`);
  assert.match(bad[0].error?.message ?? '', /"level" expected one of trace, debug/);
  assert.match(bad[1].error?.message ?? '', /"source_id"/);
  await d.daemon.runtime.bus.drain();
  assert.equal(memoryStore('raise-fields').events.at(-1)?.sourceId, 'herald', 'the default stays herald');
  assert.equal(memoryStore('raise-fields').events.length, 3, 'no refused raise was delivered');
});
