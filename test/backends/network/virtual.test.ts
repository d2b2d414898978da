import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryStore } from '../../../src/backends/memory/index.js';
import { testBus, uniqueMemorySocket } from '../../helpers/bus.js';
import { Bare, Blocked, tcpPeer } from './helpers.js';

const answer = (request: Record<string, unknown>) => ({ jsonrpc: '2.0', result: 'ok', id: request.id });

function busWithTestEvents(t: Parameters<typeof testBus>[0]) {
  const bus = testBus(t, { delivery: { lingerMs: 0, retryBaseMs: 10, retryMaxMs: 50 } });
  bus.catalogue.add([Blocked, Bare]);
  return bus;
}

function store(socket: string) {
  return memoryStore(socket.slice('memory:'.length));
}

test('virtual FAILOVER: a dead child is passed over on its real write result; it takes events again once it answers', async (t) => {
  const bus = busWithTestEvents(t);
  const gone = await tcpPeer(t, answer);
  const port = gone.port;
  await gone.close();
  const backup = uniqueMemorySocket('failover');
  const socket = `virtual:FAILOVER tcp:127.0.0.1:${port}?reliable=1&connect_timeout_ms=100 ${backup} failover_timeout=0`;
  await bus.subscribe(socket, { event: Blocked.name });
  for (let count = 0; count < 3; count++) bus.raise(Blocked, { ip: '192.0.2.1', count });
  await bus.drain();
  assert.deepEqual(store(backup).events.map((event) => event.params.count), [0, 1, 2]);
  const [info] = bus.subscribers({ socket });
  assert.deepEqual([info.delivered, info.failed, info.retries], [3, 0, 0]);
  const peer = await tcpPeer(t, answer, port);
  bus.raise(Blocked, { ip: '192.0.2.1', count: 3 });
  await peer.waitForRequests(1);
  assert.equal(store(backup).events.length, 3);
});

test('virtual ROUND-ROBIN starts each batch at the next child; PARALLEL gives every child every event', async (t) => {
  const bus = busWithTestEvents(t);
  const [a, b] = [uniqueMemorySocket('rr'), uniqueMemorySocket('rr')];
  await bus.subscribe(`virtual:ROUND-ROBIN ${a} ${b}`, { event: Blocked.name });
  for (let count = 0; count < 4; count++) {
    bus.raise(Blocked, { ip: '192.0.2.1', count });
    await bus.drain();
  }
  assert.deepEqual(store(a).events.map((event) => event.params.count), [0, 2]);
  assert.deepEqual(store(b).events.map((event) => event.params.count), [1, 3]);
  const [c, d] = [uniqueMemorySocket('par'), uniqueMemorySocket('par')];
  await bus.subscribe(`virtual:PARALLEL ${c} ${d}`, { event: Bare.name });
  bus.raise(Bare, {});
  await bus.drain();
  assert.deepEqual([store(c).events.length, store(d).events.length], [1, 1]);
  assert.equal(store(c).events[0].id, store(d).events[0].id);
});

test('virtual: when no child takes a batch it is retried, not lost', async (t) => {
  const bus = busWithTestEvents(t);
  const gone = await tcpPeer(t, answer);
  await gone.close();
  const socket = `virtual:FAILOVER tcp:127.0.0.1:${gone.port}?reliable=1&connect_timeout_ms=100 failover_timeout=0`;
  await bus.subscribe(socket, { event: Bare.name });
  bus.raise(Bare, {});
  while ((bus.subscribers({ socket })[0]?.retries ?? 0) < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.match(bus.subscribers({ socket })[0].lastError ?? '', /no child took the batch/);
  const peer = await tcpPeer(t, answer, gone.port);
  await peer.waitForRequests(1);
});

test('virtual: bad sockets are refused at subscribe', async (t) => {
  const bus = busWithTestEvents(t);
  for (const [socket, why] of [
    ['virtual:SOMETIMES memory:a', /policy must be one of FAILOVER, ROUND-ROBIN, PARALLEL/],
    ['virtual:FAILOVER', /at least one child/],
    ['virtual:FAILOVER virtual:PARALLEL memory:a', /cannot contain another/],
    ['virtual:FAILOVER nope:x', /Unknown transport "nope"/],
  ] as const) {
    await assert.rejects(bus.subscribe(socket, { event: Bare.name }), why, socket);
  }
});
