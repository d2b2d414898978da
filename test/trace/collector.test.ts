import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { encodeHep3 } from '../../src/trace/hep/index.js';
import { openTraceStore, type TraceRecord } from '../../src/trace/store/index.js';
import { uniqueMemorySocket } from '../helpers/bus.js';
import { sendTcp, sendUdp, startCollector, type TestDaemon } from './collector-daemon.js';
import { loadFixtures, until } from './tracer-fixtures.js';

interface HepIndex {
  file: string;
  call_id: string;
  hep: { src_ip: string; dst_ip: string; src_port: number; dst_port: number; ts_sec: number; ts_usec: number; capture_id: number };
}

const FIXTURES = loadFixtures('hep');
const INDEX = readFileSync(new URL('../fixtures/hep/index.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HepIndex);

async function storedRows(d: TestDaemon, count: number): Promise<TraceRecord[]> {
  await until(async () => (await d.store.count()) >= count);
  return d.store.search({ limit: 10_000 });
}

/** Every fixture is in the store once, with the values its HEP chunks carried. */
async function assertAllFixturesStored(d: TestDaemon): Promise<void> {
  const rows = await storedRows(d, FIXTURES.length);
  assert.equal(rows.length, FIXTURES.length, '100% of the packets, no duplicates');
  for (const [i, entry] of INDEX.entries()) {
    const payload = FIXTURES[i].bytes.subarray(FIXTURES[i].bytes.length - (FIXTURES[i].bytes.length - FIXTURES[i].bytes.indexOf(FIXTURES[i].firstLine)));
    const row = rows.find((r) => r.msg === payload.toString('utf8'));
    assert.ok(row, `${entry.file} stored`);
    assert.equal(row.callid, entry.call_id);
    assert.deepEqual([row.fromIp, row.fromPort, row.toIp, row.toPort], [entry.hep.src_ip, entry.hep.src_port, entry.hep.dst_ip, entry.hep.dst_port]);
    assert.equal(row.timeUs, entry.hep.ts_sec * 1e6 + entry.hep.ts_usec);
    assert.equal(row.captureId, entry.hep.capture_id);
    assert.equal(row.fromProto, 'udp');
  }
}

test('herald serve stores every HEP fixture sent over UDP, with addresses, time and capture id from the chunks', async (t) => {
  const d = await startCollector(t);
  await sendUdp(d.hep.port, FIXTURES.map((f) => f.bytes));
  await assertAllFixturesStored(d);
  assert.equal(d.counters('hep').sip, FIXTURES.length);
});

test('herald serve stores every HEP packet sent over TCP, split at awkward boundaries and coalesced', async (t) => {
  const d = await startCollector(t);
  const stream = Buffer.concat(FIXTURES.map((f) => f.bytes));
  // Cut inside the magic, inside the length, inside chunk headers, across packet boundaries…
  const sizes = [1, 2, 3, 1, 4, 7, 11, 2, 600, 13, 1, 1, 700, 5, 999, 3];
  const pieces: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    pieces.push(stream.subarray(at, at + size));
    at += size;
  }
  pieces.push(stream.subarray(at)); // …then the remaining ~20 packets coalesced in one write
  assert.ok(stream.length - at > 10_000, 'the last write holds many packets');
  await sendTcp(d.hep.port, pieces);
  await assertAllFixturesStored(d);
  assert.equal(d.counters('hep').tcp_connections, 1);
  assert.equal(Object.keys(d.counters('hep')).filter((k) => k.startsWith('malformed')).length, 0);
});

test('malformed packets are counted by reason and never stop the collector', async (t) => {
  const d = await startCollector(t);
  const good = FIXTURES[0].bytes;
  const truncated = good.subarray(0, 100);
  const notSip = encodeHep3({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 1, dstPort: 2, timeSec: 1, timeUsec: 0, payload: 'hello, not SIP' });
  const badChunk = Buffer.from(good);
  badChunk.writeUInt16BE(3, 6 + 4); // first chunk claims 3 bytes: shorter than its own header
  await sendUdp(d.hep.port, [Buffer.from('GET / HTTP/1.1\r\n\r\n'), truncated, notSip, badChunk, Buffer.alloc(0), good]);
  await sendTcp(d.hep.port, [Buffer.from('garbage before the stream '), FIXTURES[1].bytes]);
  await storedRows(d, 2);
  const counters = d.counters('hep');
  assert.equal(counters.malformed_bad_magic, 2, 'UDP garbage and the TCP garbage run');
  assert.equal(counters.malformed_bad_total_length, 1);
  assert.equal(counters.malformed_chunk_too_short, 1);
  assert.equal(counters.sip_not_sip, 1);
  assert.equal(counters.sip, 2);
});

test('HEP log records (proto type 100) are raised as E_HEP_LOG; other proto types are counted', async (t) => {
  const socket = uniqueMemorySocket('hep-log');
  const d = await startCollector(t, { subscribers: [{ socket, event: 'E_HEP_LOG' }] });
  const base = { srcIp: '192.0.2.1', dstIp: '192.0.2.2', srcPort: 5060, dstPort: 9060, timeSec: 1_795_317_185, timeUsec: 250_000, captureId: 42 };
  await sendUdp(d.hep.port, [
    encodeHep3({ ...base, protoType: 100, correlationId: '1-19411@127.0.0.1', payload: 'ERROR: no route to bob' }),
    encodeHep3({ ...base, protoType: 5, payload: '{"rtcp":1}' }),
  ]);
  const events = memoryStore(socket.slice('memory:'.length));
  await events.waitFor(1);
  assert.deepEqual(events.events[0].params, {
    message: 'ERROR: no route to bob', capture_id: 42, src_ip: '192.0.2.1', src_port: 5060, dst_ip: '192.0.2.2', dst_port: 9060,
    time: 1_795_317_185.25, correlation_id: '1-19411@127.0.0.1',
  });
  await until(() => d.counters('hep').proto_type_5 === 1);
  assert.equal(await d.store.count(), 0);
});

test('with hep.auth_key set, only packets carrying that key are stored', async (t) => {
  const d = await startCollector(t, { hep: { auth_key: 's3cret' } });
  const base = { srcIp: '192.0.2.1', dstIp: '192.0.2.2', srcPort: 5060, dstPort: 5070, timeSec: 1_795_317_185, timeUsec: 0, payload: FIXTURES[0].bytes.subarray(FIXTURES[0].bytes.indexOf('INVITE')) };
  await sendUdp(d.hep.port, [FIXTURES[0].bytes, encodeHep3({ ...base, authKey: 'wrong' }), encodeHep3({ ...base, authKey: 's3cret' })]);
  await storedRows(d, 1);
  await until(() => d.counters('hep').auth_failed === 2);
  assert.equal(d.counters('hep').sip, 1);
});

test('a graceful stop stores every packet already received', async (t) => {
  // Nothing would be written for a minute: only the shutdown drain can store these rows.
  const d = await startCollector(t, { trace: { flush_interval_ms: 60_000, max_batch_rows: 100_000, max_queue_rows: 100_000 } });
  await sendTcp(d.hep.port, [Buffer.concat(FIXTURES.map((f) => f.bytes))]);
  await until(() => d.counters('hep').sip === FIXTURES.length);
  assert.equal(d.counters('trace').stored ?? 0, 0);
  await d.daemon.stop();
  const store = await openTraceStore(`sqlite:${join(d.dir, 'data', 'trace.db')}`, { mode: 'read' });
  t.after(() => store.close());
  assert.equal(await store.count(), FIXTURES.length);
});
