import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { tempDir } from '../backends/helpers.js';
import { tcpPeer } from '../backends/network/helpers.js';
import { memoryStore } from '../../src/backends/memory/index.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const answer = (request: Record<string, unknown>) => ({ jsonrpc: '2.0', result: 'ok', id: request.id });

function extras(requests: ReadonlyArray<Record<string, unknown>>): string[] {
  return requests.map((request) => String((request.params as { extra: string }).extra));
}

async function deadPort(t: Parameters<typeof tcpPeer>[0]): Promise<number> {
  const peer = await tcpPeer(t);
  await peer.close();
  return peer.port;
}

test('at-least-once: events spooled while the peer is down survive a SIGKILL and are delivered, once each, after restart', async (t) => {
  const dir = tempDir(t, 'herald-spool-');
  const port = await deadPort(t);
  const socket = `tcp:127.0.0.1:${port}?reliable=1&connect_timeout_ms=200`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bus/fixtures/spool-child.ts', dir, socket, '500'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      if (out.includes('spooled')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  assert.ok(Number(/spooled (\d+)/.exec(out)?.[1]) > 0, out);
  child.kill('SIGKILL');
  await once(child, 'exit');

  const peer = await tcpPeer(t, answer, port);
  const bus = testBus(t, { dataDir: dir, fileRoots: [dir], delivery: { retryBaseMs: 10, retryMaxMs: 50 } });
  await bus.subscribe(socket, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
  await peer.waitForRequests(500);
  await bus.drain();
  assert.deepEqual(extras(peer.requests), Array.from({ length: 500 }, (_, i) => `e${i}`));
  const [info] = bus.subscribers();
  assert.deepEqual([info.mode, info.delivered, info.dropped], ['at-least-once', 500, 0]);
});

test('at-least-once: nothing is lost across a graceful restart while the peer is down, and a torn record is skipped', async (t) => {
  const dir = tempDir(t, 'herald-spool-');
  const port = await deadPort(t);
  const socket = `tcp:127.0.0.1:${port}?reliable=1&connect_timeout_ms=100`;
  const first = testBus(t, { dataDir: dir, fileRoots: [dir], delivery: { retryBaseMs: 10, retryMaxMs: 20 } });
  await first.subscribe(socket, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
  for (let i = 0; i < 50; i++) first.raise(E_CORE_THRESHOLD, { source: 'spool', time: i, extra: `e${i}` });
  await first.close({ deadlineMs: 200 });
  // A crash mid-append leaves a torn record at the end of a segment.
  const spoolDir = join(dir, 'spool', readdirSync(join(dir, 'spool'))[0]);
  const segment = readdirSync(spoolDir).find((name) => name.endsWith('.seg')) as string;
  appendFileSync(join(spoolDir, segment), Buffer.from([0, 0, 0, 99, 1, 2, 3, 4, 5]));

  const peer = await tcpPeer(t, answer, port);
  const second = testBus(t, { dataDir: dir, fileRoots: [dir], delivery: { retryBaseMs: 10, retryMaxMs: 50 } });
  await second.subscribe(socket, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
  await peer.waitForRequests(50);
  await second.drain();
  assert.deepEqual(extras(peer.requests), Array.from({ length: 50 }, (_, i) => `e${i}`));
  assert.equal(second.subscribers()[0].spoolBytes, 0);
});

test('at-least-once: a full spool refuses new events and counts each one dropped', async (t) => {
  const dir = tempDir(t, 'herald-spool-');
  const port = await deadPort(t);
  const socket = `tcp:127.0.0.1:${port}?reliable=1&connect_timeout_ms=100`;
  const bus = testBus(t, { dataDir: dir, fileRoots: [dir], spool: { maxBytes: 2000 }, delivery: { retryBaseMs: 10, retryMaxMs: 20 } });
  await bus.subscribe(socket, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
  const alarms = uniqueMemorySocket('spool-dropped');
  await bus.subscribe(alarms, { event: 'E_HERALD_SPOOL_DROPPED' });
  for (let i = 0; i < 100; i++) bus.raise(E_CORE_THRESHOLD, { source: 'spool', time: i, extra: `e${i}` });
  await new Promise((resolve) => setImmediate(resolve));
  const [info] = bus.subscribers({ socket });
  // The drop raises an event, once per append round, naming the subscriber and the count.
  await memoryStore(alarms.slice('memory:'.length)).waitFor(1);
  const [alarm] = memoryStore(alarms.slice('memory:'.length)).events;
  assert.deepEqual([alarm.params.socket, alarm.params.dropped, alarm.params.reason], [socket, info.dropped, 'full']);
  assert.ok(info.dropped > 0 && info.dropped < 100, `dropped ${info.dropped}`);
  assert.ok((info.spoolBytes ?? 0) <= 2000);
  // The kept events are the oldest ones: nothing raised before the spool filled is lost.
  const peer = await tcpPeer(t, answer, port);
  await peer.waitForRequests(100 - info.dropped);
  assert.deepEqual(extras(peer.requests), Array.from({ length: 100 - info.dropped }, (_, i) => `e${i}`));
  await bus.drain();
});

test('the spool codec keeps every field, the id and int64 digits', async () => {
  const { encodeSpooled, decodeSpooled } = await import('../../src/bus/spool/event-codec.js');
  const { createEvent } = await import('../../src/events/event.js');
  const { createDefaultCatalogue } = await import('../../src/events/packs/index.js');
  const event = createEvent(E_CORE_THRESHOLD, { source: 'a "b"\n', time: 2n ** 62n + 1n, extra: '\u0000bigint:7' }, { level: 'error', cause: 'c', snapshot: { s: [1] } }, 'src');
  const back = decodeSpooled(encodeSpooled(event), createDefaultCatalogue());
  assert.deepEqual({ ...back, def: undefined }, { ...event, def: undefined });
  const plain = createEvent(E_CORE_THRESHOLD, { source: 's', time: 5, extra: '' }, undefined, 'src');
  assert.deepEqual(decodeSpooled(encodeSpooled(plain), createDefaultCatalogue())?.params, plain.params);
});

test('at-least-once: unsubscribing deletes the spool; closing the bus keeps it for the next run', async (t) => {
  const dir = tempDir(t, 'herald-spool-');
  const port = await deadPort(t);
  const socket = `tcp:127.0.0.1:${port}?reliable=1&connect_timeout_ms=100`;
  const bus = testBus(t, { dataDir: dir, fileRoots: [dir], delivery: { retryBaseMs: 10, retryMaxMs: 20, writeTimeoutMs: 300 } });
  await bus.subscribe(socket, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
  bus.raise(E_CORE_THRESHOLD, { source: 'spool', time: 1, extra: 'e1' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(readdirSync(join(dir, 'spool')).length, 1);
  await bus.unsubscribe(socket);
  assert.deepEqual(readdirSync(join(dir, 'spool')), []);
});
