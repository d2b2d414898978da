import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { E_CORE_THRESHOLD } from '../../../src/events/packs/core.js';
import type { Bus } from '../../../src/bus/bus.js';
import { tempDir } from '../helpers.js';
import { testBus } from '../../helpers/bus.js';
import { privateRedis, type PrivateDaemon } from '../../helpers/private-daemon.js';

/*
 * At-least-once subscribers of redis:// lose nothing when their broker (a private
 * one on a free port) is SIGKILLed mid-stream and started again: every raised event reaches it,
 * duplicates only where the broker cannot de-duplicate (consumers do it on `id`).
 */

const EVENTS = 2000;

async function raiseAcrossRestart(bus: Bus, broker: PrivateDaemon): Promise<void> {
  const raise = (from: number, to: number) => {
    for (let i = from; i < to; i++) bus.raise(E_CORE_THRESHOLD, { source: 'restart', time: i, extra: `e${i}` });
  };
  raise(0, EVENTS / 2);
  // Let part of the first half reach the broker, then crash it with the rest in flight.
  while (bus.subscribers()[0].delivered < EVENTS / 10) await new Promise((resolve) => setTimeout(resolve, 5));
  await broker.kill();
  raise(EVENTS / 2, EVENTS);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await broker.start();
  await bus.drain();
  const [info] = bus.subscribers();
  assert.deepEqual([info.delivered, info.dropped, info.failed], [EVENTS, 0, 0]);
}

const extrasOf = (bodies: readonly string[]) => new Set(bodies.map((body) => (JSON.parse(body) as { params: { extra: string } }).params.extra));

test('redis: at-least-once loses nothing when redis-server (AOF, fsync always) is SIGKILLed mid-stream and restarted', async (t) => {
  const redis = await privateRedis(t);
  if (redis === undefined) return;
  const dir = tempDir(t, 'herald-redis-restart-');
  const bus = testBus(t, { dataDir: dir, fileRoots: [dir], delivery: { retryBaseMs: 20, retryMaxMs: 200, maxQueueEvents: EVENTS + 1 } });
  await bus.subscribe(`redis://127.0.0.1:${redis.port}/restart?timeout_ms=300&connect_timeout_ms=300`, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
  await raiseAcrossRestart(bus, redis);
  const reader = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
  await reader.connect();
  t.after(() => reader.disconnect());
  const entries = await reader.xrange('restart', '-', '+');
  assert.equal(extrasOf(entries.map(([, fields]) => fields[1])).size, EVENTS, 'every raised event is in the stream');
});
