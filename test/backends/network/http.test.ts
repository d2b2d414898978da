import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryAfterMs } from '../../../src/backends/http/response-outcome.js';
import { isEventId } from '../../../src/events/event-id.js';
import { testBus } from '../../helpers/bus.js';
import { Bare, Blocked, httpPeer } from './helpers.js';

function busWithTestEvents(t: Parameters<typeof testBus>[0]) {
  const bus = testBus(t, { delivery: { lingerMs: 0, retryBaseMs: 10, retryMaxMs: 50 } });
  bus.catalogue.add([Blocked, Bare]);
  return bus;
}

test('http: one POST per event with its JSON record (id first), custom headers, over a keep-alive pool', async (t) => {
  const bus = busWithTestEvents(t);
  const peer = await httpPeer(t);
  const socket = `${peer.url}/hook?header.Authorization=Bearer%20s3cret&header.X-Tenant=a&connections=2`;
  await bus.subscribe(socket, { event: Blocked.name });
  for (let count = 0; count < 20; count++) bus.raise(Blocked, { ip: '192.0.2.1', count });
  await bus.drain();
  assert.equal(peer.hits.length, 20);
  for (const hit of peer.hits) {
    assert.deepEqual([hit.method, hit.url, hit.headers['content-type'], hit.headers.authorization, hit.headers['x-tenant']],
      ['POST', '/hook', 'application/json', 'Bearer s3cret', 'a']);
  }
  const records = peer.hits.map((hit) => JSON.parse(hit.body) as { id: string; type: string; params: { count: number } });
  assert.deepEqual(Object.keys(records[0]).slice(0, 2), ['id', 'time']);
  assert.ok(records.every((record) => isEventId(record.id) && record.type === Blocked.name));
  assert.deepEqual(records.map((record) => record.params.count).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  // Keep-alive: twenty events did not need twenty connections.
  assert.ok(new Set(peer.hits.map((hit) => hit.connection)).size <= 2);
  assert.equal(bus.subscribers({ socket })[0].delivered, 20);
});

test('http format=ndjson: a batch is one POST, one record per line', async (t) => {
  const bus = busWithTestEvents(t);
  const peer = await httpPeer(t);
  const socket = `${peer.url}/batch?format=ndjson`;
  await bus.subscribe(socket, { event: Blocked.name });
  for (let count = 0; count < 50; count++) bus.raise(Blocked, { ip: '192.0.2.1', count });
  await bus.drain();
  const lines = peer.hits.flatMap((hit) => hit.body.split('\n').filter((line) => line !== ''));
  assert.ok(peer.hits.length < 50);
  assert.equal(peer.hits[0].headers['content-type'], 'application/x-ndjson');
  assert.ok(peer.hits.every((hit) => hit.body.endsWith('}\n')));
  assert.deepEqual(lines.map((line) => (JSON.parse(line) as { params: { count: number } }).params.count), Array.from({ length: 50 }, (_, i) => i));
});

test('http: 503 and 429 are retried until a 2xx, nothing lost', async (t) => {
  const bus = busWithTestEvents(t);
  const peer = await httpPeer(t, (_, count) => (count === 1 ? { status: 503, headers: { 'retry-after': '0' } } : count === 2 ? { status: 429 } : { status: 200 }));
  const socket = `${peer.url}/?format=ndjson`;
  await bus.subscribe(socket, { event: Bare.name });
  bus.raise(Bare, {});
  await bus.drain();
  const [info] = bus.subscribers({ socket });
  assert.deepEqual([info.delivered, info.failed, info.retries], [1, 0, 2]);
  assert.equal(peer.hits.length, 3);
  assert.equal(peer.hits[0].body, peer.hits[2].body);
});

test('http: another 4xx fails the events for good, counted, with the status and the server\'s words', async (t) => {
  const bus = busWithTestEvents(t);
  const peer = await httpPeer(t, (hit) => (hit.body.includes('"count":2') ? { status: 422, body: 'count 2 is not allowed' } : { status: 201 }));
  const socket = `${peer.url}/`;
  await bus.subscribe(socket, { event: Blocked.name });
  for (let count = 1; count <= 3; count++) bus.raise(Blocked, { ip: '192.0.2.1', count });
  await bus.drain();
  const [info] = bus.subscribers({ socket });
  assert.deepEqual([info.delivered, info.failed, info.retries], [2, 1, 0]);
  assert.match(info.lastError ?? '', /HTTP 422: count 2 is not allowed/);
});

test('http: a server that is down is retried until it is up', async (t) => {
  const bus = busWithTestEvents(t);
  const socket = 'http://127.0.0.1:1/?timeout_ms=500';
  await bus.subscribe(socket, { event: Bare.name });
  bus.raise(Bare, {});
  while ((bus.subscribers({ socket })[0]?.retries ?? 0) < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.match(bus.subscribers({ socket })[0].lastError ?? '', /ECONNREFUSED|connect/i);
  assert.equal(bus.subscribers({ socket })[0].delivered, 0);
});

test('Retry-After: seconds or an HTTP date, capped; garbage ignored', () => {
  const now = Date.UTC(2026, 11, 5, 12, 0, 0);
  assert.equal(retryAfterMs('3', now), 3000);
  assert.equal(retryAfterMs(new Date(now + 7000).toUTCString(), now), 7000);
  assert.equal(retryAfterMs('999999', now), 600_000);
  assert.equal(retryAfterMs('soon', now), undefined);
  assert.equal(retryAfterMs(undefined, now), undefined);
});

test('http: bad sockets are refused at subscribe, naming what is wrong', async (t) => {
  const bus = busWithTestEvents(t);
  const cases: ReadonlyArray<readonly [string, RegExp]> = [
    ['http://127.0.0.1:9/?bogus=1', /unknown option "bogus"/],
    ['http://127.0.0.1:9/?header.X-A=a%0D%0AX-B:%20b', /must not contain CR, LF or NUL/],
    ['http://127.0.0.1:9/?header.Content-Length=1', /sets this header itself/],
    ['http://127.0.0.1:9/?header.Bad%20Name=1', /HTTP token/],
    ['http://user:pw@127.0.0.1:9/', /credentials/],
    ['http://127.0.0.1:9/?format=xml', /option "format"/],
    ['http:nohost', /not a URL/],
  ];
  for (const [socket, why] of cases) {
    await assert.rejects(bus.subscribe(socket, { event: Bare.name }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'HERALD_ERR_BAD_SOCKET', socket);
      assert.match(error.message, why, socket);
      return true;
    });
  }
});
