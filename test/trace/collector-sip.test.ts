import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { sendUdp, startCollector } from './collector-daemon.js';
import { loadFixtures, until } from './tracer-fixtures.js';

const RAW = loadFixtures('rawsip');

test('the raw SIP listener stores every duplicate_uri fixture, from the sender to the listener', async (t) => {
  const d = await startCollector(t);
  const sender = createSocket('udp4');
  await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => sender.close(() => resolve())));
  for (const fixture of RAW) await new Promise<void>((resolve) => sender.send(fixture.bytes, d.sip.port, '127.0.0.1', () => resolve()));
  await until(async () => (await d.store.count()) === RAW.length);

  const rows = await d.store.search({ limit: 100 });
  assert.equal(rows.length, RAW.length);
  for (const fixture of RAW) {
    const row = rows.find((r) => r.msg === fixture.bytes.toString('utf8'));
    assert.ok(row, fixture.file);
    assert.equal(row.callid, fixture.callId);
    assert.deepEqual([row.fromIp, row.fromPort], ['127.0.0.1', sender.address().port], 'a raw copy only says who sent the copy');
    assert.deepEqual([row.toIp, row.toPort], ['127.0.0.1', d.sip.port]);
    assert.equal(row.captureId, 1, 'the configured capture id (trace.capture_id)');
  }
  assert.deepEqual((await d.store.byCallId('1-19473@127.0.0.1')).length, 9);
  assert.deepEqual((await d.store.byCallId('2-19473@127.0.0.1')).length, 4);
  assert.equal(d.counters('sip').sip, RAW.length);
});

test('datagrams that are not SIP are counted by reason and dropped', async (t) => {
  const d = await startCollector(t);
  await sendUdp(d.sip.port, [Buffer.from('\x16\x03\x01 TLS hello'), Buffer.from('OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n'), RAW[0].bytes]);
  await until(async () => (await d.store.count()) === 1);
  await until(() => d.counters('sip').datagrams === 3);
  const counters = d.counters('sip');
  assert.equal(counters.sip, 1);
  assert.equal(Object.entries(counters).filter(([k]) => k.startsWith('sip_')).reduce((n, [, v]) => n + v, 0), 2);
});
