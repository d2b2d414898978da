import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFileService } from '../../src/backends/files-service.js';
import { startMiService } from '../../src/mi/service.js';
import { startCoreEventsService } from '../../src/process/service.js';
import { serviceOrder } from '../../src/runtime/order.js';
import { defineService, type ServiceStarter } from '../../src/runtime/service.js';
import { SERVICES } from '../../src/serve/services.js';
import { startHepService } from '../../src/sources/hep/service.js';
import { startSipService } from '../../src/sources/sip/service.js';
import { startSipParsePoolService } from '../../src/trace/sip-pool/service.js';
import { startTraceService } from '../../src/trace/tracer-service.js';

declare module '../../src/runtime/slots.js' {
  interface Slots {
    'test.x': number;
    'test.y': number;
    'test.z': number;
  }
}

type TestSlot = 'test.x' | 'test.y' | 'test.z';

const names = (starters: readonly ServiceStarter[]) => starters.map((s) => s.declaration.name);

/** A starter that only declares; the order never calls it. */
function declared(name: string, slots: { provides?: TestSlot[]; needs?: TestSlot[]; uses?: TestSlot[] }): ServiceStarter {
  return defineService({ name, ...slots, start: async () => undefined });
}

test('the shipped services start in the order their declarations derive', () => {
  assert.deepEqual(names(serviceOrder(SERVICES, ['runtime.status'])), ['files', 'metrics', 'mi', 'core-events', 'sip-parse-pool', 'trace', 'hep', 'sip', 'ingest-http', 'ingest-opensips', 'ingest-nats', 'ingest-ome', 'ingest-rabbitmq', 'ingest-mqtt', 'ingest-redis']);
});

test('core-events before trace and the parse pool before hep and sip are derived, not listed', () => {
  // Regression: the listed order was a silent contract; core-events after trace left store writes untimed,
  // the parse pool after hep left it unused.
  const reversed = [startSipService, startHepService, startTraceService, startSipParsePoolService, startCoreEventsService, startMiService, startFileService];
  const order = names(serviceOrder(reversed));
  const before = (first: string, later: string) => assert.ok(order.indexOf(first) < order.indexOf(later), `${first} before ${later}: ${order.join(', ')}`);
  before('core-events', 'trace');
  for (const collector of ['hep', 'sip']) {
    before('sip-parse-pool', collector);
    before('trace', collector);
  }
  assert.deepEqual(order, ['sip-parse-pool', 'core-events', 'trace', 'sip', 'hep', 'mi', 'files'], 'otherwise the listed order is kept');
});

test('a service whose needed slot nobody provides fails, naming the slot and the service', () => {
  assert.throws(() => serviceOrder([startFileService, startHepService]), {
    code: 'HERALD_ERR_SLOT_MISSING',
    message: /Service "hep" needs slot "trace\.tracer", but no service provides it/,
  });
  assert.throws(() => serviceOrder([declared('a', { needs: ['test.x'] })]), { code: 'HERALD_ERR_SLOT_MISSING', message: /"a" needs slot "test\.x"/ });
  assert.deepEqual(names(serviceOrder([declared('a', { needs: ['test.x'] })], ['test.x'])), ['a'], 'a slot the runtime sets itself');
});

test('a used slot with no provider is fine; with one, its provider starts first', () => {
  assert.deepEqual(names(serviceOrder([declared('a', { uses: ['test.x'] })])), ['a']);
  assert.deepEqual(names(serviceOrder([declared('a', { uses: ['test.x'] }), declared('b', { provides: ['test.x'] })])), ['b', 'a']);
});

test('services that wait on each other fail start-up, naming the cycle', () => {
  const cycle = [
    declared('free', {}),
    declared('a', { provides: ['test.x'], needs: ['test.z'] }),
    declared('b', { provides: ['test.y'], needs: ['test.x'] }),
    declared('c', { provides: ['test.z'], uses: ['test.y'] }),
  ];
  assert.throws(() => serviceOrder(cycle), { code: 'HERALD_ERR_SERVICE_CYCLE', message: /a → c → b → a/ });
});
