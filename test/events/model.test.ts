import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { startOperation } from '../../src/bus/operation.js';
import { Catalogue } from '../../src/events/catalogue.js';
import { defineEvent, defineOperation } from '../../src/events/define.js';
import { param } from '../../src/events/params.js';
import { validateParams } from '../../src/events/validate.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';

const CONNECTED = defineEvent({
  name: 'test_connection_connected', pack: 'test', category: 'net', level: 'info', description: 'parent',
  params: { remote_ip: param.ip('peer'), remote_port: param.port('peer port'), service: param.string('svc') },
});
const COMMAND = defineEvent({
  name: 'test_command_finished', pack: 'test', category: 'imap', level: 'debug', description: 'child',
  parent: CONNECTED,
  params: { service: param.int('overridden: a number now'), tag: param.string('tag') },
});

test('a child inherits its parent params in catalogue order, and an override replaces the parent spec', () => {
  assert.deepEqual(COMMAND.paramNames, ['remote_ip', 'remote_port', 'service', 'tag']);
  assert.equal(COMMAND.params.service.kind, 'int');
  assert.equal(COMMAND.params.remote_ip.kind, 'ip');
  assert.equal(COMMAND.parent, CONNECTED);
  assert.equal(CONNECTED.params.service.kind, 'string', 'the parent is not changed');
});

test('inherited params are validated at run time like own ones', () => {
  const bad = validateParams(COMMAND, { remote_ip: '1.2.3.4', remote_port: 143, service: 'imap', tag: 'a1' });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.deepEqual(bad.problems.map((p) => [p.param, p.received]), [['service', '"imap"']]);
  const good = validateParams(COMMAND, { remote_ip: '::1', remote_port: 143, service: 7, tag: 'a1' });
  assert.equal(good.ok, true);
});

test('every param kind accepts its values and refuses others, with text parsing for the CLI', () => {
  const ALL = defineEvent({
    name: 'E_TEST_ALL_KINDS', pack: 'test', category: 't', level: 'info', description: 'all kinds',
    params: {
      i: param.int(''), f: param.float(''), b: param.bool(''), s: param.string(''), ip: param.ip(''), p: param.port(''),
      d: param.duration(''), ts: param.timestamp(''), l: param.stringList(''), j: param.json(''),
    },
  });
  const text = validateParams(ALL, {
    i: '9223372036854775807', f: '1.5e3', b: 'true', s: 'x', ip: 'fe80::1', p: '5060', d: '100', ts: '1700000000.25', l: 'a,b', j: '{"k":[1]}',
  }, true);
  assert.ok(text.ok);
  if (text.ok) {
    assert.equal(text.params.i, 9223372036854775807n, 'beyond 2^53 an int stays exact as a bigint');
    assert.deepEqual(text.params, { ...text.params, f: 1500, b: true, p: 5060, d: 100, ts: 1700000000.25, l: ['a', 'b'], j: { k: [1] } });
  }
  const wrong = validateParams(ALL, {
    i: 1.5, f: Number.NaN, b: 'yes', s: 1, ip: '300.1.1.1', p: -1, d: -5, ts: 'soon', l: [1], j: () => 1,
  });
  assert.equal(wrong.ok, false);
  if (!wrong.ok) assert.deepEqual(wrong.problems.map((p) => p.param), ['i', 'f', 'b', 's', 'ip', 'p', 'd', 'ts', 'l', 'j']);
  const tooBig = validateParams(ALL, { ...Object.fromEntries(ALL.paramNames.map((n) => [n, undefined])), i: '9223372036854775808' }, true);
  assert.equal(tooBig.ok, false);
  if (!tooBig.ok) assert.match(tooBig.problems[0].message, /param "i" expected int \(64-bit integer\), received "9223372036854775808"/);
});

test('a timed operation raises _started then _finished with duration in µs and both param sets', async (t) => {
  const OP = defineOperation({
    name: 'test_lookup', pack: 'test', category: 'dns', level: 'debug', description: 'lookup',
    params: { hostname: param.string('name') },
    finishedParams: { error: param.string('why').optional() },
  });
  const bus = testBus(t, { catalogue: new Catalogue([OP.started, OP.finished]) });
  const socket = uniqueMemorySocket('op');
  await bus.subscribe(socket, { filter: 'event=test_lookup_*' });
  const handle = startOperation(bus, OP, { hostname: 'example.org' });
  const until = performance.now() + 5;
  while (performance.now() < until) { /* let a measurable amount of time pass */ }
  handle.finish({ error: 'NXDOMAIN' });
  handle.finish({});
  const store = memoryStore(socket.slice('memory:'.length));
  await bus.drain();
  assert.deepEqual(store.events.map((e) => e.name), ['test_lookup_started', 'test_lookup_finished'], 'finish twice raises once');
  const [started, finished] = store.events;
  assert.deepEqual(finished.params.hostname, 'example.org');
  assert.equal(finished.params.error, 'NXDOMAIN');
  assert.equal(finished.params.duration, finished.timeUs - started.timeUs);
  assert.ok((finished.params.duration as number) >= 5000, 'a 5 ms wait is at least 5000 µs');
  assert.equal(OP.started.pairedWith, 'test_lookup_finished');
  assert.equal(OP.finished.pairedWith, 'test_lookup_started');
});

test('the catalogue refuses two different events with one name', () => {
  const a = defineEvent({ name: 'E_TEST_DUP', pack: 'a', category: 'c', level: 'info', description: '', params: {} });
  const b = defineEvent({ name: 'E_TEST_DUP', pack: 'b', category: 'c', level: 'info', description: '', params: {} });
  const catalogue = new Catalogue([a]);
  catalogue.add([a]);
  assert.throws(() => catalogue.add([b]), { code: 'HERALD_ERR_DUPLICATE_EVENT' });
});
