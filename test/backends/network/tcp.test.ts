import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryStore } from '../../../src/backends/memory/index.js';
import { isEventId } from '../../../src/events/event-id.js';
import { JsonObjectSplitter, type StreamPiece } from '../../../src/runtime/json-object-splitter.js';
import { testBus, uniqueMemorySocket } from '../../helpers/bus.js';
import { Bare, Blocked, tcpPeer } from './helpers.js';

function busWithTestEvents(t: Parameters<typeof testBus>[0]) {
  const bus = testBus(t, { delivery: { lingerMs: 0, retryBaseMs: 10, retryMaxMs: 50 } });
  bus.catalogue.add([Blocked, Bare]);
  return bus;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('tcp: back-to-back compact JSON-RPC notifications, no framing (consumer check); /method and event_param', async (t) => {
  const bus = busWithTestEvents(t);
  const peer = await tcpPeer(t);
  await bus.subscribe(`tcp:127.0.0.1:${peer.port}?event_id=false`, { event: Blocked.name });
  bus.raise(Blocked, { ip: '192.0.2.7', count: 3 });
  bus.raise(Blocked, { ip: '192.0.2.8', count: 4, note: '{"}' });
  await peer.waitForRequests(2);
  assert.equal(peer.text(),
    '{"jsonrpc":"2.0","method":"E_TEST_NET_BLOCKED","params":{"ip":"192.0.2.7","count":3}}'
    + '{"jsonrpc":"2.0","method":"E_TEST_NET_BLOCKED","params":{"ip":"192.0.2.8","count":4,"note":"{\\"}"}}');
  await bus.subscribe(`tcp:127.0.0.1:${peer.port}/notify?event_param=event`, { event: Bare.name });
  bus.raise(Bare, {});
  await peer.waitForRequests(3);
  const third = peer.requests[2] as { method: string; params: Record<string, string> };
  assert.equal(third.method, 'notify');
  assert.deepEqual(Object.keys(third.params), ['event', 'event_id']);
  assert.equal(third.params.event, 'E_TEST_NET_BARE');
  assert.ok(isEventId(third.params.event_id));
});

test('tcp reliable: requests carry integer ids first; a reply with error fails that event only', async (t) => {
  const bus = busWithTestEvents(t);
  const peer = await tcpPeer(t, (request) => ((request.params as { count: number }).count === 2
    ? { jsonrpc: '2.0', error: { code: 500, message: 'refused by peer' }, id: request.id }
    : { jsonrpc: '2.0', result: 'ok', id: request.id }));
  const socket = `tcp:127.0.0.1:${peer.port}?reliable=1`;
  await bus.subscribe(socket, { event: Blocked.name });
  for (let count = 1; count <= 3; count++) bus.raise(Blocked, { ip: '192.0.2.1', count });
  await bus.drain();
  assert.match(peer.text(), /^\{"id":\d+,"jsonrpc":"2\.0","method":"E_TEST_NET_BLOCKED","params":\{/);
  const ids = peer.requests.map((request) => request.id);
  assert.ok(ids.every((id) => Number.isInteger(id)));
  assert.equal(new Set(ids).size, 3);
  const [info] = bus.subscribers({ socket });
  assert.deepEqual([info.delivered, info.failed], [2, 1]);
  assert.match(info.lastError ?? '', /500 refused by peer/);
});

test('tcp: a dead peer blocks nothing; events wait in the queue and go out once it listens again', async (t) => {
  const bus = busWithTestEvents(t);
  const gone = await tcpPeer(t);
  const port = gone.port;
  await gone.close();
  const socket = `tcp:127.0.0.1:${port}?connect_timeout_ms=200`;
  const other = uniqueMemorySocket('tcp-other');
  await bus.subscribe(socket, { event: Blocked.name });
  await bus.subscribe(other, { event: Blocked.name });
  for (let count = 0; count < 5; count++) bus.raise(Blocked, { ip: '192.0.2.1', count });
  // The memory subscriber is served while the TCP one keeps failing to connect.
  await memoryStore(other.slice('memory:'.length)).waitFor(5);
  await until(() => (bus.subscribers({ socket })[0]?.retries ?? 0) >= 2);
  assert.match(bus.subscribers({ socket })[0].lastError ?? '', /cannot connect/);
  const back = await tcpPeer(t, undefined, port);
  await back.waitForRequests(5);
  assert.deepEqual(back.requests.map((request) => (request.params as { count: number }).count), [0, 1, 2, 3, 4]);
});

test('tcp reliable: a peer that never answers times out, the connection is dropped and the batch retried', async (t) => {
  const bus = busWithTestEvents(t);
  let answering = false;
  const peer = await tcpPeer(t, (request) => (answering ? { jsonrpc: '2.0', result: 'ok', id: request.id } : undefined));
  const socket = `tcp:127.0.0.1:${peer.port}?reliable=1&timeout_ms=100`;
  await bus.subscribe(socket, { event: Blocked.name });
  bus.raise(Blocked, { ip: '192.0.2.1', count: 1 });
  await until(() => (bus.subscribers({ socket })[0]?.retries ?? 0) >= 1);
  assert.match(bus.subscribers({ socket })[0].lastError ?? '', /no reply/);
  answering = true;
  await until(() => bus.subscribers({ socket })[0].delivered === 1);
  assert.equal(bus.subscribers({ socket })[0].failed, 0);
});

test('the JSON object stream splits objects across chunk borders, skips noise and refuses an endless object', () => {
  const stream = new JsonObjectSplitter(64);
  const text = '{"a":"}{\\""} \n{"b":[{"c":1}]}x{"d":2}';
  const pieces: StreamPiece[] = [];
  for (const char of text) pieces.push(...stream.push(Buffer.from(char)));
  assert.deepEqual(pieces.flatMap((piece) => (piece.ok ? [piece.text] : [])), ['{"a":"}{\\""}', '{"b":[{"c":1}]}', '{"d":2}']);
  assert.deepEqual(pieces.filter((piece) => !piece.ok).map((piece) => piece.offset), [text.indexOf('x')], 'one stray byte, reported once');
  assert.equal(stream.overLimit, false);
  assert.deepEqual(stream.push(Buffer.from(`{"e":"${'x'.repeat(100)}`)), []);
  assert.equal(stream.overLimit, true, 'an unterminated object past 64 bytes is known at once, before it ends');
});
