import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { fileBus, tempDir } from './helpers.js';

const PARAMS = { source: 'dns', time: 1, extra: 'x' } as const;

function refusedOutside(root: string) {
  return (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HERALD_ERR_PATH_NOT_ALLOWED');
    assert.ok(error.message.includes(root), `the error names the allowed root: ${error.message}`);
    return true;
  };
}

test('files outside files.roots are refused after resolving .. and symlinks; the error names the roots', async (t) => {
  const root = tempDir(t, 'herald-root-');
  const outside = tempDir(t, 'herald-outside-');
  mkdirSync(join(root, 'sub'));
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync('/etc/passwd', join(root, 'passwd-link'));
  const bus = fileBus(t, root);
  const cases = [
    join(outside, 'x.log'),
    `${root}/sub/../../${outside.split('/').pop()}/dotdot.log`,
    join(root, 'escape', 'through-link.log'),
    join(root, 'passwd-link'),
    '/etc/passwd',
  ];
  for (const path of cases) {
    for (const transport of ['flatstore', 'jsonl']) {
      await assert.rejects(bus.subscribe(`${transport}:${path}`, { event: 'E_CORE_THRESHOLD' }), refusedOutside(root), `${transport}:${path}`);
    }
  }
  assert.equal(existsSync(join(outside, 'x.log')), false, 'nothing was created outside');
  assert.equal(existsSync(join(outside, 'through-link.log')), false);
});

test('the parent directory must exist and the path must not be a directory or a dangling link', async (t) => {
  const root = tempDir(t, 'herald-root-');
  mkdirSync(join(root, 'dir'));
  symlinkSync(join(root, 'nothing-here'), join(root, 'dangling'));
  const bus = fileBus(t, root);
  await assert.rejects(bus.subscribe(`flatstore:${join(root, 'missing', 'x.log')}`, { event: 'E_CORE_THRESHOLD' }), /does not exist/);
  await assert.rejects(bus.subscribe(`flatstore:${join(root, 'dir')}`, { event: 'E_CORE_THRESHOLD' }), /is a directory/);
  await assert.rejects(bus.subscribe(`jsonl:${join(root, 'dangling')}`, { event: 'E_CORE_THRESHOLD' }), /symlink to nothing/);
});

test('a symlink inside the root to a file inside the root is followed and shares that file; relative paths are from the working directory', async (t) => {
  const root = tempDir(t, 'herald-root-');
  writeFileSync(join(root, 'real.log'), '');
  symlinkSync(join(root, 'real.log'), join(root, 'alias.log'));
  const bus = fileBus(t, root);
  await bus.subscribe(`flatstore:${join(root, 'alias.log')}`, { event: 'E_CORE_THRESHOLD' });
  await bus.subscribe(`flatstore:${join(root, 'real.log')}?delimiter=;`, { event: 'E_CORE_THRESHOLD' });
  // As in OpenSIPS, a relative path is taken from the working directory (here outside the root).
  await assert.rejects(bus.subscribe('flatstore:relative.log', { event: 'E_CORE_THRESHOLD' }), refusedOutside(root));
  bus.raise(E_CORE_THRESHOLD, PARAMS);
  await bus.drain();
  assert.equal(readFileSync(join(root, 'real.log'), 'utf8'), 'E_CORE_THRESHOLD,dns,1,x\nE_CORE_THRESHOLD;dns;1;x\n');
});
