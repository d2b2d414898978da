import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { E_CORE_THRESHOLD } from '../../../src/events/packs/core.js';
import { tempDir } from '../helpers.js';
import { testBus } from '../../helpers/bus.js';
import { privateNats } from '../../helpers/private-nats.js';

const EVENTS = 2000;

test('nats: at-least-once loses nothing when the server is SIGKILLed mid-stream and restarted; JetStream keeps one copy per event id', async (t) => {
  const nats = await privateNats(t);
  if (nats === undefined) return;
  await nats.stream('RESTART', ['restart.>']);
  const dir = tempDir(t, 'herald-nats-restart-');
  const bus = testBus(t, { dataDir: dir, fileRoots: [dir], delivery: { retryBaseMs: 20, retryMaxMs: 200, maxQueueEvents: EVENTS + 1 } });
  await bus.subscribe(`nats://${nats.server}/restart.{type}?ack_timeout_ms=300&connect_timeout_ms=300`, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
  const raise = (from: number, to: number) => {
    for (let i = from; i < to; i++) bus.raise(E_CORE_THRESHOLD, { source: 'restart', time: i, extra: `e${i}` });
  };
  raise(0, EVENTS / 2);
  // Let part of the first half reach the stream, then crash the server with the rest in flight.
  while ((bus.subscribers()[0].delivered) < EVENTS / 10) await new Promise((resolve) => setTimeout(resolve, 5));
  await nats.kill();
  raise(EVENTS / 2, EVENTS);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await nats.start();
  await bus.drain();

  const [info] = bus.subscribers();
  assert.deepEqual([info.delivered, info.dropped, info.failed], [EVENTS, 0, 0]);
  const jsm = await jetstreamManager(await nats.client());
  const state = (await jsm.streams.info('RESTART')).state;
  assert.equal(state.messages, EVENTS, 'one message per raised event: retries were de-duplicated by Nats-Msg-Id');
  const extras = new Set<string>();
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const message = await jsm.streams.getMessage('RESTART', { seq });
    if (message !== null) extras.add(message.json<{ params: { extra: string } }>().params.extra);
  }
  assert.equal(extras.size, EVENTS);
});
