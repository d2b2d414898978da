import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isEventId } from '../../../src/events/event-id.js';
import { testBus } from '../../helpers/bus.js';
import { Bare, Blocked, udpReceiver } from './helpers.js';

function busWithTestEvents(t: Parameters<typeof testBus>[0]) {
  const bus = testBus(t, { delivery: { lingerMs: 0 } });
  bus.catalogue.add([Blocked, Bare]);
  return bus;
}

test('udp: each datagram is exactly OpenSIPS 3.1+\'s compact JSON-RPC notification (consumer check)', async (t) => {
  const bus = busWithTestEvents(t);
  const peer = await udpReceiver(t);
  const socket = `udp:127.0.0.1:${peer.port}?event_id=false`;
  await bus.subscribe(socket, { event: Blocked.name });
  await bus.subscribe(socket, { event: Bare.name });
  bus.raise(Blocked, { ip: '192.0.2.7', count: 3, note: 'tab\there "q"' });
  assert.equal((await peer.next()).toString(),
    '{"jsonrpc":"2.0","method":"E_TEST_NET_BLOCKED","params":{"ip":"192.0.2.7","count":3,"note":"tab\\there \\"q\\""}}');
  bus.raise(Blocked, { ip: '::1', count: -1, ok: true });
  // An optional param left out is omitted, as OpenSIPS skips a param without a value.
  assert.equal((await peer.next()).toString(), '{"jsonrpc":"2.0","method":"E_TEST_NET_BLOCKED","params":{"ip":"::1","count":-1,"ok":true}}');
  bus.raise(Bare, {});
  // No params: the member is left out entirely, and a notification has no "id" (not "id":null).
  assert.equal((await peer.next()).toString(), '{"jsonrpc":"2.0","method":"E_TEST_NET_BARE"}');
});

test('udp: by default the event id rides as the last param, and the body stays a notification', async (t) => {
  const bus = busWithTestEvents(t);
  const peer = await udpReceiver(t);
  await bus.subscribe(`udp:127.0.0.1:${peer.port}`, { event: Bare.name });
  bus.raise(Bare, {});
  const body = JSON.parse((await peer.next()).toString()) as { id?: unknown; params: { event_id: string } };
  assert.equal(body.id, undefined);
  assert.deepEqual(Object.keys(body), ['jsonrpc', 'method', 'params']);
  assert.ok(isEventId(body.params.event_id));
});

test('udp: format=text writes OpenSIPS 3.0\'s name::value lines, quoting values with newlines', async (t) => {
  const bus = busWithTestEvents(t);
  const peer = await udpReceiver(t);
  await bus.subscribe(`udp:127.0.0.1:${peer.port}?format=text&event_id=0`, { event: Blocked.name });
  bus.raise(Blocked, { ip: '192.0.2.7', count: 3, note: 'two\nlines "q"' });
  assert.equal((await peer.next()).toString(), 'E_TEST_NET_BLOCKED\nip::192.0.2.7\ncount::3\nnote::"two\nlines \\"q\\""\n\n');
});

test('udp: an event larger than max_datagram_bytes is refused and counted as failed, never truncated', async (t) => {
  const bus = busWithTestEvents(t);
  const peer = await udpReceiver(t);
  const socket = `udp:127.0.0.1:${peer.port}?max_datagram_bytes=200&event_id=false`;
  await bus.subscribe(socket, { event: Blocked.name });
  bus.raise(Blocked, { ip: '192.0.2.1', count: 1, note: 'x'.repeat(300) });
  bus.raise(Blocked, { ip: '192.0.2.2', count: 2 });
  const small = JSON.parse((await peer.next()).toString()) as { params: { ip: string } };
  await bus.drain();
  assert.equal(small.params.ip, '192.0.2.2');
  assert.equal(peer.received.length, 1);
  const [info] = bus.subscribers({ socket });
  assert.deepEqual([info.delivered, info.failed], [1, 1]);
  assert.match(info.lastError ?? '', /larger than max_datagram_bytes=200 .*refused, not truncated/);
  assert.equal(bus.statistics().events[Blocked.name].failed, 1);
});

test('udp: bad sockets are refused at subscribe, naming what is wrong', async (t) => {
  const bus = busWithTestEvents(t);
  const cases: ReadonlyArray<readonly [string, RegExp]> = [
    ['udp:127.0.0.1', /host:port/],
    ['udp:127.0.0.1:0', /port from 1 to 65535/],
    ['udp:127.0.0.1:9/x', /host:port /],
    ['udp:127.0.0.1:9?bogus=1', /unknown option "bogus"/],
    ['udp:127.0.0.1:9?format=xml', /option "format"/],
    ['udp:127.0.0.1:9?max_datagram_bytes=70000', /option "max_datagram_bytes"/],
    ['udp:no-such-host.invalid:9', /cannot resolve/],
  ];
  for (const [socket, why] of cases) {
    await assert.rejects(bus.subscribe(socket, { event: Bare.name }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'HERALD_ERR_BAD_SOCKET', socket);
      assert.match(error.message, why, socket);
      return true;
    });
  }
});
