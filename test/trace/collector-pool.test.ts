import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { SIP_PARSE_POOL_SLOT } from '../../src/trace/sip-pool/service.js';
import { SipParsePool } from '../../src/trace/sip-pool/sip-parse-pool.js';
import { encodeHep3 } from '../../src/trace/hep/index.js';
import { openTraceStore, type TraceRecord } from '../../src/trace/store/index.js';
import { sendUdp, startCollector, type TestDaemon } from './collector-daemon.js';
import { loadFixtures, until } from './tracer-fixtures.js';

const HEP = loadFixtures('hep');
const RAW = loadFixtures('rawsip');
const PROFILE = 'scale up to 2 on 70% for 2 cycles within 3 scale down to 1 on 10% for 2 cycles';
const NOT_SIP = encodeHep3({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 1, dstPort: 2, timeSec: 1, timeUsec: 0, payload: 'hello, not SIP' });
const NO_CALL_ID = encodeHep3({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 1, dstPort: 2, timeSec: 1, timeUsec: 0, payload: 'OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@c>\r\n\r\n' });
const RAW_TRUNCATED = Buffer.from('OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n');

async function startPooled(t: TestContext, extra: Record<string, unknown> = {}): Promise<TestDaemon> {
  return startCollector(t, { core_events: { autoscale: { profile: PROFILE, cycle_ms: 50 } }, ...extra });
}

function pool(d: TestDaemon): SipParsePool {
  const value = d.daemon.runtime.slots.get(SIP_PARSE_POOL_SLOT);
  assert.ok(value instanceof SipParsePool, 'the core-events service published the pool');
  return value;
}

/** Sends every fixture plus the malformed packets, then waits until each one is stored or counted. */
async function sendAll(d: TestDaemon): Promise<void> {
  await sendUdp(d.hep.port, [...HEP.map((f) => f.bytes), NOT_SIP, NO_CALL_ID]);
  await sendUdp(d.sip.port, [...RAW.map((f) => f.bytes), RAW_TRUNCATED]);
  await until(async () => (await d.store.count()) === HEP.length + RAW.length);
  await until(() => (d.counters('hep').sip ?? 0) + (d.counters('hep').sip_not_sip ?? 0) + (d.counters('hep').sip_missing_header ?? 0) === HEP.length + 2);
  await until(() => Object.entries(d.counters('sip')).filter(([k]) => k === 'sip' || k.startsWith('sip_')).reduce((n, [, v]) => n + v, 0) === RAW.length + 1);
}

/** Rows without what differs between two daemons: ids, and for raw copies the receive time and the ports. */
async function comparable(d: TestDaemon): Promise<Array<Omit<TraceRecord, 'id'>>> {
  const rows = await d.store.search({ limit: 10_000 });
  return rows
    .map(({ id: _id, ...row }) => (row.toIp === '127.0.0.1' && row.toPort === d.sip.port ? { ...row, timeUs: 0, fromPort: 0, toPort: 0 } : row))
    .sort((a, b) => `${a.msg}${a.timeUs}`.localeCompare(`${b.msg}${b.timeUs}`));
}

test('with a parse pool, every HEP and raw SIP fixture is stored with the same columns as without one', async (t) => {
  const [pooled, plain] = await Promise.all([startPooled(t), startCollector(t)]);
  assert.equal(plain.daemon.runtime.slots.get(SIP_PARSE_POOL_SLOT), undefined, 'no profile, no pool');
  await sendAll(pooled);
  await sendAll(plain);
  assert.ok(pool(pooled).pool.stats().completed > 0, 'the collectors parsed on the pool');
  const rows = await comparable(pooled);
  assert.equal(rows.length, HEP.length + RAW.length);
  assert.deepEqual(rows, await comparable(plain));
  for (const fixture of [...HEP, ...RAW]) assert.ok(rows.some((r) => r.callid === fixture.callId && fixture.bytes.includes(r.msg)), fixture.file);
});

/** Herald's own counters, without the kernel socket's readings (a queue depth sampled at some moment, not a count). */
function refusals(counters: Record<string, number>): Record<string, number> {
  const { kernel_drops: _drops, rx_queue_bytes: _queued, ...own } = counters;
  return own;
}

test('with a parse pool, refusals are counted by the same reasons as without one', async (t) => {
  const [pooled, plain] = await Promise.all([startPooled(t), startCollector(t)]);
  await sendAll(pooled);
  await sendAll(plain);
  assert.equal(pooled.counters('hep').sip_not_sip, 1);
  assert.equal(pooled.counters('hep').sip_missing_header, 1);
  assert.deepEqual(refusals(pooled.counters('hep')), refusals(plain.counters('hep')));
  assert.deepEqual(refusals(pooled.counters('sip')), refusals(plain.counters('sip')));
  assert.equal(pooled.counters('sip').sip, RAW.length);
});

test('with a parse pool, a graceful stop right after receiving stores every message', async (t) => {
  // Nothing would be written for a minute: only the shutdown drain can store these rows.
  const d = await startPooled(t, { trace: { flush_interval_ms: 60_000, max_batch_rows: 100_000, max_queue_rows: 100_000 } });
  const copies = 10;
  const hep = Array.from({ length: copies }, () => HEP.map((f) => f.bytes)).flat();
  const raw = Array.from({ length: copies }, () => RAW.map((f) => f.bytes)).flat();
  await Promise.all([sendUdp(d.hep.port, hep), sendUdp(d.sip.port, raw)]);
  // Stop as soon as the sockets have every datagram, while batches may still be on the pool's threads.
  while ((d.counters('hep').packets ?? 0) < hep.length || (d.counters('sip').datagrams ?? 0) < raw.length) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  await d.daemon.stop();
  const store = await openTraceStore(`sqlite:${join(d.dir, 'data', 'trace.db')}`, { mode: 'read' });
  t.after(() => store.close());
  assert.equal(await store.count(), hep.length + raw.length);
});
