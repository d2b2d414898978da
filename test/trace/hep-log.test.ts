// Issue 12, point 13: HEP log packets (proto type 100) became E_HEP_LOG at info
// with the payload twice (summary and message), so 171k packets made a 398 MB
// events.log through the default `level>=info` subscriber.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { encodeHep3 } from '../../src/trace/hep/index.js';
import { uniqueMemorySocket } from '../helpers/bus.js';
import { sendUdp, startCollector } from './collector-daemon.js';

const BASE = { srcIp: '192.0.2.1', dstIp: '192.0.2.2', srcPort: 5060, dstPort: 9060, timeSec: 1_795_317_185, timeUsec: 0, captureId: 42, protoType: 100 };
const TEXT = 'ERROR: no route to bob-7f3a';

test('E_HEP_LOG carries the payload once, at debug, out of a level>=info log', async (t) => {
  const socket = uniqueMemorySocket('hep-log-level');
  const infoLog = uniqueMemorySocket('hep-log-info');
  const d = await startCollector(t, { subscribers: [{ socket, event: 'E_HEP_LOG' }, { socket: infoLog, filter: 'level>=info' }] });
  await sendUdp(d.hep.port, [encodeHep3({ ...BASE, payload: TEXT })]);
  const events = memoryStore(socket.slice('memory:'.length));
  await events.waitFor(1);
  const [event] = events.events;
  assert.equal(event.level, 'debug');
  assert.equal(event.params.message, TEXT);
  assert.ok(!(event.summary ?? '').includes(TEXT), `summary without the payload: ${event.summary}`);
  assert.equal(JSON.stringify(event).split(TEXT).length - 1, 1, 'the payload once in the record');
  await d.daemon.runtime.bus.drain();
  assert.ok(!memoryStore(infoLog.slice('memory:'.length)).events.some((e) => e.name === 'E_HEP_LOG'), 'not in a level>=info log');
});

test('hep.log_level sets the level E_HEP_LOG is raised at', async (t) => {
  const socket = uniqueMemorySocket('hep-log-warn');
  const d = await startCollector(t, { hep: { log_level: 'warn' }, subscribers: [{ socket, filter: 'level>=warning' }] });
  await sendUdp(d.hep.port, [encodeHep3({ ...BASE, payload: TEXT })]);
  const events = memoryStore(socket.slice('memory:'.length));
  await events.waitFor(1);
  assert.deepEqual([events.events[0].name, events.events[0].level], ['E_HEP_LOG', 'warning']);
  assert.equal(JSON.stringify(events.events[0]).split(TEXT).length - 1, 1, 'the payload once in the record');
});
