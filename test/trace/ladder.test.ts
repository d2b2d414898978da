import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHep } from '../../src/trace/hep/index.js';
import { buildLadder } from '../../src/trace/ladder.js';
import { renderLadder } from '../../src/trace/ladder-render.js';
import { parseSip } from '../../src/trace/sip/index.js';
import { rowsFromSip } from '../../src/trace/store/rows.js';
import type { TraceRecord } from '../../src/trace/store/index.js';
import { loadFixtures } from './tracer-fixtures.js';

/** The stored form of Kamailio's HEP mirror of one call, as the collector would write it. */
export function recordsOfCall(callId: string): TraceRecord[] {
  return loadFixtures('hep').filter((f) => f.callId === callId).map((fixture, i) => {
    const decoded = decodeHep(fixture.bytes);
    assert.ok(decoded.ok);
    const p = decoded.packet;
    const parsed = parseSip(p.payload);
    assert.ok(parsed.ok);
    const [row] = rowsFromSip(parsed.message, p.payload.toString('utf8'), {
      timeUs: p.timeSec * 1e6 + p.timeUsec, direction: '', fromProto: 'udp', fromIp: p.srcIp, fromPort: p.srcPort,
      toProto: 'udp', toIp: p.dstIp, toPort: p.dstPort, captureId: p.captureId, node: '', users: [], attrs: null,
    });
    return { ...row, id: i + 1 };
  });
}

const arrows = (callId: string, records: TraceRecord[]) =>
  buildLadder(callId, records).entries.map((e) => `${e.label} ${e.from.split(':')[1]}>${e.to.split(':')[1]}`);

/** Kamailio mirrored the ACK (5080→5060) 269 µs before the 200 OK it acknowledges (5060→5080). */
const CAUSAL_CALL_1 = [
  'INVITE 5080>5060',
  '100 trying -- your call is important to us 5060>5080',
  'INVITE 5060>5070',
  '180 Ringing 5070>5060',
  '180 Ringing 5060>5080',
  '200 OK 5070>5060',
  '200 OK 5060>5080',
  'ACK 5080>5060',
  'ACK 5060>5070',
];

test('the ACK is placed after the 200 OK it acknowledges, though it was stamped earlier', () => {
  const records = recordsOfCall('1-19411@127.0.0.1');
  const ack = records.find((r) => r.method === 'ACK' && r.fromPort === 5080);
  const ok = records.find((r) => r.status === '200' && r.toPort === 5080);
  assert.ok(ack && ok && ack.timeUs < ok.timeUs, 'the fixture really has the ACK stamped first');
  assert.deepEqual(arrows('1-19411@127.0.0.1', records), CAUSAL_CALL_1);
});

test('arrival order does not matter: a shuffled call gives the same ladder', () => {
  const records = recordsOfCall('1-19411@127.0.0.1');
  const shuffled = [...records].reverse();
  assert.deepEqual(arrows('1-19411@127.0.0.1', shuffled), CAUSAL_CALL_1);
});

test('a reply stamped before its request is moved after it', () => {
  const records = recordsOfCall('2-19411@127.0.0.1');
  const invite = records.find((r) => r.method === 'INVITE' && r.status === '' && r.fromPort === 5080);
  assert.ok(invite);
  const skewed = records.map((r) => (r.status === '100' ? { ...r, timeUs: invite.timeUs - 5_000 } : r));
  const order = arrows('2-19411@127.0.0.1', skewed);
  assert.ok(order.indexOf('INVITE 5080>5060') < order.indexOf('100 trying -- your call is important to us 5060>5080'));
  assert.equal(order[0], 'INVITE 5080>5060');
});

test('columns are host:port in order of first appearance; times are relative to the first message', () => {
  const ladder = buildLadder('1-19411@127.0.0.1', recordsOfCall('1-19411@127.0.0.1'));
  assert.deepEqual(ladder.columns, ['127.0.0.1:5080', '127.0.0.1:5060', '127.0.0.1:5070']);
  assert.equal(ladder.entries[0].relativeUs, 0);
  assert.equal(ladder.entries[1].relativeUs, 360208 - 359217);
});

test('the text ladder draws one arrow per message in causal order', () => {
  const text = renderLadder(buildLadder('1-19411@127.0.0.1', recordsOfCall('1-19411@127.0.0.1')));
  const lines = text.trimEnd().split('\n');
  assert.match(lines[0], /^Call-ID 1-19411@127\.0\.0\.1: 9 messages, 3 endpoints$/);
  assert.match(lines[2], /127\.0\.0\.1:5080 +127\.0\.0\.1:5060 +127\.0\.0\.1:5070/);
  const body = lines.slice(3, 12);
  assert.match(lines.at(-1) ?? '', /^\* stamped earlier/);
  assert.match(body[0], /^\+0\.000000 +\|-+INVITE-+>\| +\|$/);
  assert.match(body[1], /^\+0\.000991 +\|<-+100 trying/);
  assert.match(body[6], /\|<-+200 OK-+\|/, '200 OK towards the caller');
  assert.match(body[7], /^\+0\.002649\* +\|-+ACK-+>\|/, 'then the caller\'s ACK, keeping its own time, flagged');
  assert.match(body[8], /\| +\|-+ACK-+>\|$/);
});

test('an empty call says so', () => {
  assert.equal(renderLadder(buildLadder('x', [])), 'Call-ID x: no messages stored.\n');
});
