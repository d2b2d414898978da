import assert from 'node:assert/strict';
import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { startTestDaemon } from '../mi/helpers.js';
import { runCli } from './mi-cli-helpers.js';

interface Listed {
  Events: Array<{ name: string; Subscribers: Array<{ socket: string; expire: number | 'never'; ttl: number | 'never' }> }>;
  Filters: unknown[];
}

async function ttlOf(env: Record<string, string>, socket: string): Promise<number> {
  const run = await runCli(['subscribers', '--json'], env);
  assert.equal(run.code, 0, run.stderr);
  const listed = JSON.parse(run.stdout) as Listed;
  const entry = listed.Events.flatMap((e) => e.Subscribers).find((s) => s.socket === socket);
  assert.ok(entry !== undefined, `${socket} is listed`);
  return entry.ttl as number;
}

test('subscribe flatstore, raise writes the line, subscribers shows the TTL, --expire 0 removes it', async (t) => {
  const d = await startTestDaemon(t);
  const env = d.cliEnv;
  const socket = `flatstore:${join(d.root, 'x.log')}`;
  const subscribed = await runCli(['subscribe', socket, '--event', 'E_CORE_LOG', '--expire', '60'], env);
  assert.equal(subscribed.code, 0, subscribed.stderr);
  assert.equal(subscribed.stdout, `subscribed ${socket} to E_CORE_LOG; expires in 60 s\n`);

  const raised = await runCli(['raise', 'E_CORE_LOG', 'time=2026-11-22T05:21:46Z', 'pid=1', 'level=INFO', 'module=m', 'function=f', 'prefix=', 'message=hi'], env);
  assert.equal(raised.code, 0, raised.stderr);
  assert.equal(raised.stdout, 'raised E_CORE_LOG to 1 subscriber\n');
  await d.daemon.runtime.bus.drain();
  assert.equal(await readFile(join(d.root, 'x.log'), 'utf8'), 'E_CORE_LOG,2026-11-22T05:21:46Z,1,INFO,m,f,,hi\n');

  const ttl = await ttlOf(env, socket);
  assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
  const table = await runCli(['subscribers'], env);
  assert.match(table.stdout, /^SOCKET\s+TARGET\s+MODE\s+EXPIRE\s+TTL\s/);
  assert.match(table.stdout, new RegExp(`${socket.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s+E_CORE_LOG\\s+at-most-once\\s+60\\s+\\d+`));

  const refreshed = await runCli(['subscribe', socket, '--event', 'E_CORE_LOG', '--expire', '30'], env);
  assert.match(refreshed.stdout, /^refreshed .* expires in 30 s\n$/);
  const shorter = await ttlOf(env, socket);
  assert.ok(shorter > 0 && shorter <= 30, `ttl ${shorter} after refreshing with --expire 30`);

  const removed = await runCli(['subscribe', socket, '--event', 'E_CORE_LOG', '--expire', '0'], env);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(removed.stdout, `unsubscribed ${socket} (1 removed)\n`);
  const none = await runCli(['subscribers'], env);
  assert.equal(none.stdout, 'no subscribers\n');
});

test('subscribing a file outside files.roots is refused, naming the allowed roots', async (t) => {
  const d = await startTestDaemon(t);
  const run = await runCli(['subscribe', 'flatstore:/etc/passwd', '--event', 'E_CORE_LOG'], d.cliEnv);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /\/etc\/passwd .*outside the allowed roots: /);
  assert.ok(run.stderr.includes(await realpath(d.root)), 'the message names the root');
});

test('unsubscribe removes a socket\'s subscriptions', async (t) => {
  const d = await startTestDaemon(t);
  const env = d.cliEnv;
  await d.result('event_subscribe', { socket: 'memory:cli-unsub', event: 'E_CORE_LOG' });
  await d.result('event_subscribe', { socket: 'memory:cli-unsub', filter: 'level>=error' });
  const one = await runCli(['unsubscribe', 'memory:cli-unsub', '--event', 'E_CORE_LOG'], env);
  assert.equal(one.stdout, 'removed 1 subscription of memory:cli-unsub\n');
  const rest = await runCli(['unsubscribe', 'memory:cli-unsub', '--json'], env);
  assert.deepEqual(JSON.parse(rest.stdout), { socket: 'memory:cli-unsub', removed: 1 });
});
