import assert from 'node:assert/strict';
import { test } from 'node:test';
import { natsBackend } from '../../../src/backends/nats/index.js';
import { parseSocket } from '../../../src/bus/socket.js';

const NO_CHILDREN = { destinationsOf: () => [] };

/* `nats:` sockets with `servers=`: more nodes of one cluster (the scale-out collectors' event socket uses it). */

test('servers= adds every node to the destinations the allow-list checks; a bad entry is refused by name', () => {
  const socket = 'nats://10.0.0.1:4222/herald.ev.{category}.{type}?servers=10.0.0.2:4222,[::1]:4223';
  assert.deepEqual(natsBackend.destinations?.(parseSocket(socket), NO_CHILDREN), [
    { host: '10.0.0.1', port: 4222 }, { host: '10.0.0.2', port: 4222 }, { host: '::1', port: 4223 },
  ]);
  for (const [servers, why] of [['nats-2', /servers=nats-2/], ['a:1,,b:2', /servers/], ['a:99999', /servers=a:99999/]] as const) {
    assert.throws(() => natsBackend.destinations?.(parseSocket(`nats:herald.x?servers=${servers}`), NO_CHILDREN), why);
  }
});
