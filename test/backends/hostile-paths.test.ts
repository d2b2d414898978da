import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { listOpenFiles, rotateFiles } from '../../src/backends/shared/file-registry.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { fileBus, tempDir } from './helpers.js';

/*
 * Issue 12, points 5 and 6: a reopen (after `mv`, on `herald rotate`) followed a
 * symlink placed at the path out of the roots, and an open of a FIFO blocked a
 * libuv thread until a reader came (four of them stopped all file I/O).
 */

const raise = (bus: ReturnType<typeof fileBus>, extra: string) => bus.raise(E_CORE_THRESHOLD, { source: 's', time: 1, extra });

function extras(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '').map((line) => line.split(',')[3]);
}

function failingOf(path: string): string | undefined {
  return listOpenFiles().find((file) => file.path === path)?.failing;
}

/** A FIFO at `path`; after the test a reader is opened once, so an open stuck on it (old code) is released. */
function fifo(t: { after(fn: () => void): void }, path: string): void {
  execFileSync('mkfifo', [path]);
  t.after(() => {
    try {
      closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
    } catch {
      // Already replaced by the test.
    }
  });
}

/** A subscribed file with one line written, then moved aside as logrotate does. */
async function writtenThenMoved(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  const path = join(dir, 'ev.log');
  await bus.subscribe(`flatstore:${path}`, { event: 'E_CORE_THRESHOLD' });
  raise(bus, 'before');
  await bus.drain();
  await rename(path, `${path}.1`);
  return { bus, path };
}

test('mv, a symlink put at the path, rotate: nothing is written through the link; lines stay owed and land once it is gone', async (t) => {
  const outside = tempDir(t, 'herald-outside-');
  const target = join(outside, 'victim.log');
  writeFileSync(target, '');
  const { bus, path } = await writtenThenMoved(t);
  symlinkSync(target, path);
  await rotateFiles(path);
  raise(bus, 'after');
  await bus.drain();
  assert.equal(readFileSync(target, 'utf8'), '', 'not a byte went through the symlink, out of the roots');
  assert.match(failingOf(path) ?? '', /symlink/, 'the file reports why it cannot be written');
  unlinkSync(path);
  await rotateFiles(path);
  await bus.drain();
  assert.deepEqual(extras(`${path}.1`), ['before']);
  assert.deepEqual(extras(path), ['after'], 'the owed line was written once the path was a plain file again');
});

test('a FIFO inside the root is refused at subscribe, at once, as not a regular file', { timeout: 10_000 }, async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'pipe.log');
  fifo(t, path);
  const bus = fileBus(t, dir);
  for (const transport of ['flatstore', 'jsonl']) {
    await assert.rejects(bus.subscribe(`${transport}:${path}`, { event: 'E_CORE_THRESHOLD' }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'HERALD_ERR_BAD_SOCKET');
      assert.match(error.message, /FIFO, not a regular file/);
      return true;
    });
  }
});

test('mv, a FIFO put at the path, rotate: the reopen does not block; the FIFO is refused and later lines are kept', { timeout: 10_000 }, async (t) => {
  const { bus, path } = await writtenThenMoved(t);
  fifo(t, path);
  await rotateFiles(path); // Old code: open(2) on the FIFO never returned.
  raise(bus, 'after');
  await bus.drain();
  assert.match(failingOf(path) ?? '', /FIFO/);
  unlinkSync(path);
  await rotateFiles(path);
  await bus.drain();
  assert.deepEqual(extras(path), ['after']);
  assert.equal(existsSync(`${path}.1`), true);
});
