import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, type TestContext } from 'node:test';
import { parseFlatstore } from '../../src/backends/flatstore/reader.js';
import { listOpenFiles } from '../../src/backends/shared/file-registry.js';
import type { Bus } from '../../src/bus/bus.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { createLogger } from '../../src/log/logger.js';
import { fileBus } from './helpers.js';

/*
 * Tests run as root, where chmod does not stop writes. Two real failures that do:
 * a full filesystem (a 1 MiB tmpfs → ENOSPC) and an immutable file
 * (chattr +i → EPERM on the open fd). Each is skipped where the machine cannot
 * make it (no mount permission, a filesystem without attributes).
 */

function run(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function capturingLogger(lines: string[]) {
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done(); } });
  return createLogger({ level: 'info', destination: sink });
}

async function waitForFileError(path: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((listOpenFiles().find((file) => file.path === path)?.writeErrors ?? 0) > 0) return;
    await sleep(10);
  }
  assert.fail(`${path} never failed a write`);
}

async function waitForRetries(bus: Bus): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((bus.subscribers()[0]?.retries ?? 0) > 0) return;
    await sleep(10);
  }
  assert.fail('the subscriber never retried');
}

function raiseSeq(bus: Bus, from: number, count: number): void {
  for (let seq = from; seq < from + count; seq++) bus.raise(E_CORE_THRESHOLD, { source: 'seq', time: seq, extra: 'x'.repeat(40) });
}

/** Every seq 0..count-1 exactly once, in order, and no torn line. */
function assertComplete(path: string, count: number): void {
  const text = readFileSync(path, 'utf8');
  assert.ok(text.endsWith('\n'), 'no torn last line');
  const seqs = parseFlatstore(text).map((record) => Number(record.values[1]));
  assert.deepEqual(seqs, Array.from({ length: count }, (_, i) => i));
}

async function mountTinyTmpfs(t: TestContext): Promise<string | undefined> {
  const mount = mkdtempSync(join(tmpdir(), 'herald-tiny-'));
  // One hook, in this order: a lazy umount lets the backend still holding the fd close later.
  t.after(() => {
    run('umount', ['-l', mount]);
    rmSync(mount, { recursive: true, force: true });
  });
  if (!run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount])) {
    t.skip('cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)');
    return undefined;
  }
  return mount;
}

test('disk full (ENOSPC): the error is counted and logged, events stay queued and are all delivered once space returns', async (t) => {
  const mount = await mountTinyTmpfs(t);
  if (mount === undefined) return;
  const filler = join(mount, 'filler');
  try {
    writeFileSync(filler, Buffer.alloc(1024 * 1024));
  } catch {
    // ENOSPC: the filler took what it could, which is the point.
  }
  const logs: string[] = [];
  const bus = fileBus(t, mount, { logger: capturingLogger(logs), delivery: { retryBaseMs: 5, retryMaxMs: 40 } });
  const path = join(mount, 'ev.log');
  await bus.subscribe(`flatstore:${path}?flush_interval_ms=5`, { event: 'E_CORE_THRESHOLD' });
  // Lines already handed to the file stay owed there (acknowledged, kept in order, retried first);
  // once the file knows it is failing, later events are refused and wait in the bus queue.
  raiseSeq(bus, 0, 3000);
  await waitForFileError(path);
  raiseSeq(bus, 3000, 1000);
  await waitForRetries(bus);
  const [stuck] = bus.subscribers();
  assert.ok(stuck.queueDepth > 0, 'events wait in the queue while the disk is full');
  assert.match(stuck.lastError ?? '', /ENOSPC|no space/i);
  assert.ok((listOpenFiles().find((f) => f.path === path)?.writeErrors ?? 0) > 0, 'the file counts its write errors');
  assert.ok(logs.some((line) => line.includes('Cannot write events file')), 'the failure is logged');

  rmSync(filler);
  await bus.drain();
  const [recovered] = bus.subscribers();
  assert.equal(recovered.dropped, 0);
  assert.equal(recovered.delivered, 4000);
  assertComplete(path, 4000);
});

test('access denied on the open file (chattr +i → EPERM): retried until writable again, nothing lost or doubled', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-immutable-'));
  const path = join(dir, 'ev.log');
  // One hook, in this order: an immutable file cannot be removed.
  t.after(() => {
    run('chattr', ['-i', path]);
    rmSync(dir, { recursive: true, force: true });
  });
  const bus = fileBus(t, dir, { delivery: { retryBaseMs: 5, retryMaxMs: 40 } });
  await bus.subscribe(`flatstore:${path}?flush_interval_ms=5`, { event: 'E_CORE_THRESHOLD' });
  raiseSeq(bus, 0, 10);
  await bus.drain();
  if (!run('chattr', ['+i', path])) {
    t.skip('chattr +i is not available on this filesystem');
    return;
  }
  raiseSeq(bus, 10, 250);
  await waitForFileError(path);
  raiseSeq(bus, 260, 250);
  await waitForRetries(bus);
  assert.match(bus.subscribers()[0].lastError ?? '', /EPERM|not permitted/i);
  run('chattr', ['-i', path]);
  await bus.drain();
  assert.equal(bus.subscribers()[0].dropped, 0);
  assertComplete(path, 510);
});
