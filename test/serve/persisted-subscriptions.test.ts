import assert from 'node:assert/strict';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { startDaemon } from '../../src/serve/serve.js';
import { writeTestConfig } from '../mi/helpers.js';

// Issue 12 point 26: run-time subscriptions vanished on restart.
test('run-time subscriptions survive a restart with what is left of their expiry; lapsed ones and config ones are not doubled', async (t) => {
  const { dir, root, configPath } = await writeTestConfig();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
  await writeFile(configPath, JSON.stringify({ ...config, subscribers: [{ socket: `jsonl:${join(root, 'config.log')}`, event: 'E_CORE_LOG' }] }));
  const start = () => startDaemon({ configPath, env: {}, announce: () => undefined });
  const first = await start();
  const bus = first.runtime.bus;
  await bus.subscribe(`jsonl:${root}/runtime.log`, { event: 'E_CORE_THRESHOLD', expire: 600 });
  await bus.subscribe(`jsonl:${root}/forever.log`, { filter: 'level>=error' });
  await bus.subscribe(`jsonl:${root}/gone.log`, { event: 'E_CORE_LOG', expire: 600 });
  await bus.unsubscribe(`jsonl:${root}/gone.log`);
  await first.stop();
  const file = join(dir, 'data', 'subscriptions.json');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const saved = JSON.parse(await readFile(file, 'utf8')) as { subscriptions: Array<{ socket: string; expiresAtMs: number | null }> };
  assert.deepEqual(saved.subscriptions.map((s) => s.socket).sort(), [`jsonl:${root}/forever.log`, `jsonl:${root}/runtime.log`]);
  // One more, already lapsed: it must not come back.
  saved.subscriptions.push({ socket: `jsonl:${root}/lapsed.log`, event: 'E_CORE_LOG', mode: 'at-most-once', expiresAtMs: Date.now() - 1000 } as never);
  await writeFile(file, JSON.stringify(saved));
  const second = await start();
  t.after(() => second.stop());
  const listed = second.runtime.bus.subscribers();
  assert.deepEqual(listed.map((s) => s.socket).sort(), [`jsonl:${join(root, 'config.log')}`, `jsonl:${root}/forever.log`, `jsonl:${root}/runtime.log`].sort());
  const runtime = listed.find((s) => s.socket.endsWith('runtime.log'));
  assert.ok(typeof runtime?.ttl === 'number' && runtime.ttl > 0 && runtime.ttl <= 600, `ttl ${String(runtime?.ttl)}`);
  assert.equal(listed.find((s) => s.socket.endsWith('forever.log'))?.expire, 'never');
});
