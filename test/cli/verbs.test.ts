import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { type Backend, type WriteResult } from '../../src/bus/backend.js';
import { startTestDaemon } from '../mi/helpers.js';
import { runCli } from './mi-cli-helpers.js';

test('status prints every status identifier as a table; --json gives the sr_list_status result', async (t) => {
  const d = await startTestDaemon(t);
  const [table, json] = await Promise.all([runCli(['status'], d.cliEnv), runCli(['status', '--json'], d.cliEnv)]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^GROUP\s+IDENTIFIER\s+READY\s+STATUS\s+DETAILS\ncore\s+main\s+ready\s+1\s+running\n$/);
  assert.deepEqual(JSON.parse(json.stdout), [{ Name: 'core', Identifiers: [{ Name: 'main', Readiness: true, Status: 1, Details: 'running' }] }]);
});

test('stats prints totals, events and subscribers; --json gives get_statistics', async (t) => {
  const d = await startTestDaemon(t);
  await d.result('event_subscribe', { socket: 'memory:cli-stats', event: 'E_CORE_THRESHOLD' });
  await d.result('raise_event', { event: 'E_CORE_THRESHOLD', params: { source: 'dns', time: 1, extra: '' } });
  await d.daemon.runtime.bus.drain();
  const [table, json] = await Promise.all([runCli(['stats'], d.cliEnv), runCli(['stats', '--json'], d.cliEnv)]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^RAISED\s+DELIVERED\s+DROPPED\s+FAILED\s+QUEUED\s+DISCARDED \(UNSUBSCRIBE\/EXPIRY\/SHUTDOWN\)\s+REFUSED\n1\s+1\s+0\s+0\s+0\s+0\/0\/0\s+0\n/);
  assert.match(table.stdout, /\nEVENT\s+RAISED\s+DELIVERED\s+DROPPED\s+FAILED\nE_CORE_THRESHOLD\s+1\s+1\s+0\s+0\n/);
  assert.match(table.stdout, /\nmemory:cli-stats\s+E_CORE_THRESHOLD\s+at-most-once\s+1\s+1\s+0\s+0\s+0\s+0\s+-\s+-\n/);
  assert.equal(JSON.parse(json.stdout).totals.delivered, 1);
});

test('rotate reopens a file and says so; --json gives the evi_flat_rotate result', async (t) => {
  const d = await startTestDaemon(t);
  const path = join(d.root, 'cli-rotate.log');
  await d.result('event_subscribe', { socket: `flatstore:${path}`, event: 'E_CORE_LOG' });
  const human = await runCli(['rotate', path], d.cliEnv);
  assert.equal(human.code, 0, human.stderr);
  assert.equal(human.stdout, `rotated ${path} (1 file reopened)\n`);
  const json = await runCli(['rotate', path, '--json'], d.cliEnv);
  assert.equal(JSON.parse(json.stdout).rotated, 1);
  const missing = await runCli(['rotate', join(d.root, 'nope.log')], d.cliEnv);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No open events file matches/);
});

test('subscribe and raise with --json print the command results', async (t) => {
  const d = await startTestDaemon(t);
  const env = d.cliEnv;
  const sub = await runCli(['subscribe', 'memory:cli-json', '--filter', 'level>=warning', '--json'], env);
  assert.deepEqual(JSON.parse(sub.stdout), { action: 'subscribed', socket: 'memory:cli-json', filter: 'level>=warning', expire: 3600, ttl: 3600 });
  const raised = await runCli(['raise', 'E_CORE_THRESHOLD', 'source=dns', 'time=5', 'extra=x', '--json'], env);
  assert.deepEqual(JSON.parse(raised.stdout), { event: 'E_CORE_THRESHOLD', subscribers: 1 });
  const listed = await runCli(['subscribers'], env);
  assert.match(listed.stdout, /memory:cli-json\s+filter level>=warning\s+at-most-once\s+3600\s+\d+/);
});

// Issue 13: herald subscribers showed expiry only; it now shows each subscriber's delivery (mode, counters, spool).
test('subscribers shows mode, delivered, retried, failed, dropped and an at-least-once spool\'s bytes and oldest age', async (t) => {
  const d = await startTestDaemon(t, { extra: { delivery: { memory_transport: true, retry_base_ms: 1, retry_max_ms: 5, write_timeout_ms: 300 } } });
  const bus = d.daemon.runtime.bus;
  let writes = 0;
  const stuck: Backend = {
    open: async () => {},
    // The first write fails retryably, later ones never settle (abandoned after write_timeout_ms): retries and a spool to show.
    write: (): Promise<WriteResult> => (++writes === 1 ? Promise.resolve({ status: 'retryable', error: new Error('peer away') }) : new Promise<WriteResult>(() => {})),
    flush: async () => {},
    close: async () => {},
  };
  bus.backends.register({ transport: 'stuck', description: 'test', destinations: () => [], create: () => stuck });
  await bus.subscribe('stuck:spooled', { event: 'E_CORE_THRESHOLD', delivery: 'at-least-once' });
  await d.result('event_subscribe', { socket: 'memory:cli-listed', event: 'E_CORE_THRESHOLD' });
  for (const time of [1, 2]) await d.result('raise_event', { event: 'E_CORE_THRESHOLD', params: { source: 'dns', time, extra: '' } });
  await bus.persisted();
  const delivered = () => bus.subscribers({ socket: 'memory:cli-listed' })[0].delivered;
  for (let i = 0; i < 500 && (writes < 2 || delivered() < 2); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(writes >= 2, 'the spooled batch was retried');
  const [table, json] = await Promise.all([runCli(['subscribers'], d.cliEnv), runCli(['subscribers', '--json'], d.cliEnv)]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^SOCKET\s+TARGET\s+MODE\s+EXPIRE\s+TTL\s+DELIVERED\s+RETRIED\s+FAILED\s+DROPPED\s+SPOOL BYTES\s+SPOOL AGE MS\n/);
  assert.match(table.stdout, /\nmemory:cli-listed\s+E_CORE_THRESHOLD\s+at-most-once\s+3600\s+\d+\s+2\s+0\s+0\s+0\s+-\s+-\n/);
  assert.match(table.stdout, /\nstuck:spooled\s+E_CORE_THRESHOLD\s+at-least-once\s+never\s+never\s+0\s+[1-9]\d*\s+0\s+0\s+[1-9]\d*\s+\d+\n/);
  const listed = JSON.parse(json.stdout) as { Events: Array<{ Subscribers: Array<Record<string, unknown>> }> };
  const spooled = listed.Events[0].Subscribers.find((sub) => sub.socket === 'stuck:spooled');
  assert.equal(spooled?.mode, 'at-least-once');
  assert.ok((spooled.spool_bytes as number) > 0);
  assert.equal(typeof spooled.spool_oldest_age_ms, 'number');
});

test('--version prints the version in package.json, not the one npm puts in the environment of another package', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const run = await runCli(['--version'], { npm_package_version: '9.9.9-consumer' });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${version}\n`);
});
