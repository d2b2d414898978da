import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { startTestDaemon } from './helpers.js';

test('sockets created through the interface obey files.roots: flatstore:/etc/passwd is refused with -32002', async (t) => {
  const d = await startTestDaemon(t);
  const root = await realpath(d.root);
  for (const socket of ['flatstore:/etc/passwd', `flatstore:${d.root}/../escape.log`, 'jsonl:/etc/herald.log']) {
    const reply = await d.call('event_subscribe', { socket, event: 'E_CORE_LOG' });
    assert.equal(reply.error?.code, -32002, `${socket}: ${reply.error?.message}`);
    assert.match(reply.error?.message ?? '', /outside the allowed roots: /);
    assert.ok(reply.error?.message.includes(root), 'the message names the allowed root');
    assert.equal((reply.error?.data as { code: string }).code, 'HERALD_ERR_PATH_NOT_ALLOWED');
  }
  assert.equal(d.daemon.runtime.bus.subscribers().length, 0, 'nothing was created');
  await mkdir(join(d.root, 'sub'));
  const inside = await d.call('event_subscribe', { socket: `flatstore:${d.root}/sub/ok.log`, event: 'E_CORE_LOG' });
  assert.equal(inside.error, undefined);
});

test('evi_flat_rotate and event_flatstore:rotate reopen a moved file; an unknown path is -32001', async (t) => {
  const d = await startTestDaemon(t);
  const path = join(d.root, 'rot.log');
  await d.result('event_subscribe', { socket: `flatstore:${path}`, event: 'E_CORE_THRESHOLD' });
  const raise = (source: string) => d.result('raise_event', { event: 'E_CORE_THRESHOLD', params: { source, time: 1, extra: '' } });
  await raise('before');
  await d.daemon.runtime.bus.drain();
  await rename(path, `${path}.1`);
  const rotated = await d.result<{ path: string; rotated: number; files: Array<{ filename: string }> }>('evi_flat_rotate', { path });
  assert.equal(rotated.rotated, 1);
  assert.equal(rotated.files[0].filename, path);
  await raise('after');
  await d.daemon.runtime.bus.drain();
  assert.equal(await readFile(`${path}.1`, 'utf8'), 'E_CORE_THRESHOLD,before,1,\n');
  assert.equal(await readFile(path, 'utf8'), 'E_CORE_THRESHOLD,after,1,\n');
  const alias = await d.result<{ rotated: number }>('event_flatstore:rotate', { path });
  assert.equal(alias.rotated, 1);
  const missing = await d.call('evi_flat_rotate', { path: join(d.root, 'never-opened.log') });
  assert.equal(missing.error?.code, -32001);
  assert.match(missing.error?.message ?? '', /No open events file matches/);
});

// Issue 12 point 3: the roots were checked after existence, so the error told whether a directory existed.
test('a path outside the roots is refused the same way whether its directory exists or not (no existence oracle)', async (t) => {
  const d = await startTestDaemon(t);
  const answers = [];
  for (const socket of ['flatstore:/etc/herald-probe.log', 'flatstore:/no-such-dir-herald/x/probe.log', 'jsonl:/proc/1/nope/probe.log']) {
    const reply = await d.call('event_subscribe', { socket, event: 'E_CORE_LOG' });
    assert.equal(reply.error?.code, -32002, `${socket}: ${reply.error?.message}`);
    assert.doesNotMatch(reply.error?.message ?? '', /exist/);
    answers.push((reply.error?.message ?? '').replace(/File path \S+/, 'File path P'));
  }
  assert.equal(new Set(answers).size, 1, answers.join('\n'));
  for (const uri of ['file:/etc/herald-probe.trace', 'file:/no-such-dir-herald/probe.trace']) {
    const reply = await d.call('trace_start', { id: 'probe', uri });
    assert.equal(reply.error?.code, -32002, `${uri}: ${reply.error?.message}`);
  }
});

test('a SQLite file under the roots whose -wal, -shm or -journal is a link out of the roots is refused', async (t) => {
  const d = await startTestDaemon(t);
  const outside = await mkdtemp(join(tmpdir(), 'herald-outside-'));
  t.after(() => rm(outside, { recursive: true, force: true }));
  for (const suffix of ['-wal', '-shm', '-journal']) {
    const db = join(d.root, `events${suffix.slice(1)}.db`);
    await writeFile(join(outside, `other-app${suffix}`), '');
    await symlink(join(outside, `other-app${suffix}`), `${db}${suffix}`);
    const reply = await d.call('event_subscribe', { socket: `sqlite:${db}`, event: 'E_CORE_LOG' });
    assert.equal(reply.error?.code, -32002, `${suffix}: ${reply.error?.message}`);
  }
  for (const name of await readdir(outside)) assert.equal((await stat(join(outside, name))).size, 0, `${name} was not written`);
  const clean = await d.call('event_subscribe', { socket: `sqlite:${join(d.root, 'clean.db')}`, event: 'E_CORE_LOG' });
  assert.equal(clean.error, undefined);
});
