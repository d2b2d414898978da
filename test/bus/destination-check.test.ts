import assert from 'node:assert/strict';
import test from 'node:test';
import { WRITE_OK, type Backend, type NetworkDestination } from '../../src/bus/backend.js';
import { subscriberDestinationCheck } from '../../src/runtime/subscriber-destinations.js';
import { testBus } from '../helpers/bus.js';

const idle: Backend = { open: async () => {}, write: async () => WRITE_OK, flush: async () => {}, close: async () => {} };

// Issue 13: a transport that does not say where it connects must not become a way around the allow-list.
test('a transport without a destinations declaration can be subscribed only as trusted while a check is in force', async (t) => {
  const seen: Array<readonly NetworkDestination[]> = [];
  // Records what it is shown, then stops the subscribe, so nothing is opened.
  const bus = testBus(t, { checkDestinations: (_socket, destinations) => { seen.push(destinations); throw new Error('seen'); } });
  let created = 0;
  bus.backends.register({ transport: 'opaque', description: 'test', create: () => { created++; return idle; } });
  await assert.rejects(bus.subscribe('opaque:somewhere', { event: 'E_CORE_LOG' }),
    { code: 'HERALD_ERR_NOT_ALLOWED', message: /opaque: transport does not declare which hosts it connects to/ });
  assert.equal(created, 0, 'nothing was created');
  await bus.subscribe('opaque:somewhere', { event: 'E_CORE_LOG', trusted: true });
  assert.equal(created, 1);
  assert.equal(bus.statistics().totals.refused, 1);
  for (const socket of ['tcp:127.0.0.1:9/method', 'https://[::1]/hook', 'mysql://root@db.example/test']) {
    await assert.rejects(bus.subscribe(socket, { event: 'E_CORE_LOG' }), /seen/);
  }
  assert.deepEqual(seen, [[{ host: '127.0.0.1', port: 9 }], [{ host: '::1', port: 443 }], [{ host: 'db.example', port: 3306 }]]);
});

test('the subscriber check: names and CIDRs from the list, file transports touch no host, virtual children are each checked', async (t) => {
  const bus = testBus(t, { checkDestinations: subscriberDestinationCheck(['10.0.0.0/8:8000-8100', 'collector.example']) });
  const refused = (socket: string) => bus.subscribe(socket, { event: 'E_CORE_LOG' }).then(() => false, (error: { code?: string }) => error.code === 'HERALD_ERR_NOT_ALLOWED');
  assert.equal(await refused('udp:10.1.2.3:8050'), false);
  assert.equal(await refused('udp:10.1.2.3:9000'), true, 'port outside the range');
  assert.equal(await refused('http://collector.example/events'), false, 'a name, matched by name');
  assert.equal(await refused('http://127.0.0.1:8050/events'), true, 'loopback is not in this list');
  assert.equal(await refused('postgres://u@%2Ftmp/db'), true, 'a Unix socket directory matches no pattern');
  assert.equal(await refused('virtual:PARALLEL udp:10.0.0.1:8000 udp:192.0.2.1:8000'), true);
  assert.equal(await refused('memory:anything'), false, 'memory touches no host');
  assert.equal(bus.statistics().totals.refused, 4);
});
