import assert from 'node:assert/strict';
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFlatstoreFactory } from '../../src/backends/flatstore/index.js';
import { parseConfig } from '../../src/config/load.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { fileBus, tempDir } from './helpers.js';

const PARAMS = { source: 'dns', time: 1, extra: 'x' } as const;

function withUmask(t: { after(fn: () => void): void }, mask: number): void {
  const previous = process.umask(mask);
  t.after(() => process.umask(previous));
}

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

test('files are created with file_permissions whatever the umask (0640 under umask 022, 0664 under 077)', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  withUmask(t, 0o022);
  await bus.subscribe(`flatstore:${join(dir, 'a.log')}?file_permissions=640`, { event: 'E_CORE_THRESHOLD' });
  process.umask(0o077);
  await bus.subscribe(`jsonl:${join(dir, 'b.log')}?file_permissions=0664`, { event: 'E_CORE_THRESHOLD' });
  await bus.subscribe(`flatstore:${join(dir, 'c.log')}`, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, PARAMS);
  await bus.drain();
  assert.equal(modeOf(join(dir, 'a.log')).toString(8), '640');
  assert.equal(modeOf(join(dir, 'b.log')).toString(8), '664');
  assert.equal(modeOf(join(dir, 'c.log')).toString(8), '644', 'default "644"');
});

test('a file that already exists keeps its own mode; files opened by rotation get the configured one', async (t) => {
  const dir = tempDir(t);
  const existing = join(dir, 'kept.log');
  writeFileSync(existing, '');
  chmodSync(existing, 0o600);
  const bus = fileBus(t, dir);
  withUmask(t, 0o022);
  await bus.subscribe(`flatstore:${existing}?file_permissions=664&rotate_count=1`, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, PARAMS);
  await bus.drain();
  const moved = readdirSync(dir).filter((name) => name.startsWith('kept.log.'));
  assert.equal(moved.length, 1, 'the first line filled the count, so the old file was moved aside');
  assert.equal(modeOf(join(dir, moved[0])).toString(8), '600', 'appending did not change the existing file\'s mode');
  assert.equal(modeOf(existing).toString(8), '664', 'the file reopened after rotation is new, with the configured mode');
});

test('an invalid file_permissions is a config error naming the key, and a socket error naming the option', async (t) => {
  for (const bad of ['999', 'abc', '64']) {
    assert.throws(() => parseConfig({ flatstore: { file_permissions: bad } }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'HERALD_ERR_CONFIG');
      assert.match(error.message, /flatstore\.file_permissions/);
      assert.match(error.message, new RegExp(`"${bad}"`));
      return true;
    });
  }
  assert.throws(() => parseConfig({ jsonl: { file_permissions: '8' } }), /jsonl\.file_permissions/);
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  await assert.rejects(bus.subscribe(`flatstore:${join(dir, 'x.log')}?file_permissions=999&delimiter=n&bogus=1`, { event: 'E_CORE_THRESHOLD' }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HERALD_ERR_BAD_SOCKET');
    assert.match(error.message, /file_permissions.*"999"/);
    assert.match(error.message, /delimiter/);
    assert.match(error.message, /unknown option "bogus"/);
    return true;
  });
  assert.deepEqual(parseConfig({}).flatstore.file_permissions, '644');
});

// Issue 12, point 7: `?file_permissions=7777` created -rwsrwsrwt files owned by root.
test('file_permissions takes permission bits only, capped by files.max_permissions (default 0664)', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  const refused = (pattern: RegExp) => (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HERALD_ERR_BAD_SOCKET');
    assert.match(error.message, pattern);
    return true;
  };
  for (const mode of ['7777', '4644', '2644', '1644']) {
    await assert.rejects(bus.subscribe(`flatstore:${join(dir, `m${mode}.log`)}?file_permissions=${mode}`, { event: 'E_CORE_THRESHOLD' }), refused(/setuid, setgid and sticky/));
  }
  await assert.rejects(bus.subscribe(`jsonl:${join(dir, 'wide.log')}?file_permissions=666`, { event: 'E_CORE_THRESHOLD' }), refused(/0666 allows more than files\.max_permissions \(0664\)/));
  assert.deepEqual(readdirSync(dir), [], 'no refused file was created');

  bus.backends.register(createFlatstoreFactory({ maxPermissions: 0o666 }));
  withUmask(t, 0o022);
  await bus.subscribe(`flatstore:${join(dir, 'shared.log')}?file_permissions=666`, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, PARAMS);
  await bus.drain();
  assert.equal(modeOf(join(dir, 'shared.log')).toString(8), '666', 'an operator who raised the cap gets the wider mode');
});

test('in the config, file_permissions beyond files.max_permissions or with special bits is an error naming both keys', () => {
  const configError = (pattern: RegExp) => (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HERALD_ERR_CONFIG');
    assert.match(error.message, pattern);
    return true;
  };
  assert.throws(() => parseConfig({ flatstore: { file_permissions: '7777' } }), configError(/flatstore\.file_permissions/));
  assert.throws(() => parseConfig({ files: { max_permissions: '4777' } }), configError(/files\.max_permissions/));
  assert.throws(() => parseConfig({ jsonl: { file_permissions: '0666' } }), configError(/jsonl\.file_permissions: "0666" allows more than files\.max_permissions \("0664"\)/));
  assert.equal(parseConfig({ files: { max_permissions: '0666' }, jsonl: { file_permissions: '0666' } }).jsonl.file_permissions, '0666');
  assert.equal(parseConfig({}).files.max_permissions, '0664');
});
