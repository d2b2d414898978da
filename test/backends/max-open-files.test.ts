import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { listOpenFiles } from '../../src/backends/shared/file-registry.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { fileBus, tempDir } from './helpers.js';

const PARAMS = { source: 'dns', time: 1, extra: 'x' } as const;

test('max_open_files: a new file is refused with a clear error, nothing is evicted, and a slot frees with the last subscriber', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  const limit = listOpenFiles().length + 2;
  const socket = (name: string) => `flatstore:${join(dir, name)}?max_open_files=${limit}`;
  await bus.subscribe(socket('a.log'), { event: 'E_CORE_THRESHOLD' });
  await bus.subscribe(socket('b.log'), { event: 'E_CORE_THRESHOLD' });
  await assert.rejects(bus.subscribe(socket('c.log'), { event: 'E_CORE_THRESHOLD' }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HERALD_ERR_LIMIT');
    assert.match(error.message, /max_open_files \(\d+\)/);
    assert.match(error.message, /Nothing was evicted/);
    assert.match(error.message, /a\.log/);
    return true;
  });
  // Sharing an open file takes no new slot: another event, and another socket spelling of the same path.
  await bus.subscribe(socket('a.log'), { event: 'E_CORE_LOG' });
  await bus.subscribe(`flatstore:${dir}/./a.log?max_open_files=${limit}&delimiter=;`, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, PARAMS);
  await bus.drain();
  assert.equal(await readFile(join(dir, 'a.log'), 'utf8'), 'E_CORE_THRESHOLD,dns,1,x\nE_CORE_THRESHOLD;dns;1;x\n', 'both subscribers of a.log write to one file');
  assert.equal(await readFile(join(dir, 'b.log'), 'utf8'), 'E_CORE_THRESHOLD,dns,1,x\n', 'b.log was not evicted');

  await bus.unsubscribe(socket('b.log'));
  await bus.subscribe(socket('c.log'), { event: 'E_CORE_THRESHOLD' });
  const open = listOpenFiles().map((file) => file.path);
  assert.ok(open.includes(join(dir, 'c.log')) && !open.includes(join(dir, 'b.log')));
  assert.equal(listOpenFiles().find((file) => file.path === join(dir, 'a.log'))?.sockets, 2, 'two socket spellings share a.log');
});

test('subscriptions that disagree on file options for one path are refused', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  await bus.subscribe(`flatstore:${join(dir, 'x.log')}?rotate_count=10`, { event: 'E_CORE_THRESHOLD' });
  await assert.rejects(bus.subscribe(`flatstore:${join(dir, 'x.log')}?rotate_count=20`, { event: 'E_CORE_LOG' }), /already open as flatstore with other file options/);
  await assert.rejects(bus.subscribe(`jsonl:${join(dir, 'x.log')}`, { event: 'E_CORE_LOG' }), /already open as flatstore/);
});
