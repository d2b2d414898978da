import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { decodeHep, HepStreamDecoder, listHep3Chunks, type HepPacket } from '../../src/trace/hep/index.js';
import { openTraceStore } from '../../src/trace/store/index.js';
import { Tracer, type TraceMeta } from '../../src/trace/tracer.js';
import { loadFixtures, tcpSink, udpSink, until } from './tracer-fixtures.js';

const CALL = loadFixtures('rawsip').filter((f) => f.callId === '1-19473@127.0.0.1');
const INVITE = CALL[0].bytes;
const META: TraceMeta = { direction: 'in', proto: 'udp', src: { ip: '192.0.2.10', port: 5080 }, dst: { ip: '192.0.2.1', port: 5060 }, timeUs: Date.UTC(2026, 10, 22, 5, 21, 46) * 1000 + 123_456 };

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-tracer-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function openTracer(t: TestContext, ids: string[], options: Parameters<typeof Tracer.open>[0] = {}): Promise<Tracer> {
  const tracer = await Tracer.open({ ids, ...options });
  t.after(() => tracer.close());
  return tracer;
}

test('store destination: one row per traced user, written by close', async (t) => {
  const dir = await tempDir(t);
  const tracer = await Tracer.open({ ids: [`[db]sqlite:${join(dir, 'trace.db')}`] });
  for (const fixture of CALL) tracer.trace(fixture.bytes, { ...META, users: ['alice', 'bob'], attrs: 'case-17' });
  await tracer.close();
  const store = await openTraceStore(`sqlite:${join(dir, 'trace.db')}`, { mode: 'read' });
  t.after(() => store.close());
  const rows = await store.byCallId('1-19473@127.0.0.1');
  assert.equal(rows.length, CALL.length * 2);
  assert.deepEqual([...new Set(rows.map((r) => r.tracedUser))].sort(), ['alice', 'bob']);
  const invite = rows.find((r) => r.method === 'INVITE' && r.status === '' && r.tracedUser === 'alice');
  assert.ok(invite);
  assert.equal(invite.msg, INVITE.toString('utf8'));
  assert.equal(invite.traceAttrs, 'case-17');
  assert.deepEqual([invite.fromIp, invite.fromPort, invite.toIp, invite.toPort, invite.direction], ['192.0.2.10', 5080, '192.0.2.1', 5060, 'in']);
  assert.equal(invite.fromtag, '19473SIPpTag001');
  assert.equal(invite.timeUs, META.timeUs);
  const ringing = rows.find((r) => r.status === '180');
  assert.equal(ringing?.method, 'INVITE', 'replies carry their CSeq method');
});

test('sip: destination sends the message verbatim over UDP', async (t) => {
  const sink = await udpSink();
  t.after(() => sink.close());
  const tracer = await openTracer(t, [`[dup]sip:127.0.0.1:${sink.port}`]);
  assert.deepEqual(tracer.trace(INVITE, META), { ok: true, destinations: 1 });
  await sink.waitFor(1);
  assert.deepEqual(sink.received[0], INVITE);
});

function expectHep(packet: HepPacket, captureId: number): void {
  assert.equal(packet.version, 3);
  assert.deepEqual([packet.srcIp, packet.srcPort, packet.dstIp, packet.dstPort], ['192.0.2.10', 5080, '192.0.2.1', 5060]);
  assert.deepEqual([packet.timeSec, packet.timeUsec], [Math.floor(META.timeUs! / 1e6), 123_456]);
  assert.equal(packet.protocol, 17);
  assert.equal(packet.protoType, 1);
  assert.equal(packet.captureId, captureId);
  assert.deepEqual(Buffer.from(packet.payload), INVITE);
}

test('hep: over UDP sends HEPv3 with the chunks Kamailio sends, in its order', async (t) => {
  const sink = await udpSink();
  t.after(() => sink.close());
  const tracer = await openTracer(t, [`[homer]hep:127.0.0.1:${sink.port};transport=udp;version=3`], { captureId: 2001 });
  tracer.trace(INVITE, META);
  tracer.trace(INVITE, { ...META, correlationId: 'corr-1', captureId: 7 });
  await sink.waitFor(2);
  const first = decodeHep(sink.received[0]);
  assert.ok(first.ok);
  expectHep(first.packet, 2001);
  const kamailio = loadFixtures('hep')[0].bytes;
  const types = (b: Buffer) => listHep3Chunks(b)?.map((c) => c.type);
  assert.deepEqual(types(sink.received[0]), types(kamailio));
  const second = decodeHep(sink.received[1]);
  assert.ok(second.ok);
  assert.equal(second.packet.correlationId, 'corr-1');
  assert.equal(second.packet.captureId, 7);
});

test('hep: over TCP streams HEPv3 packets on one connection', async (t) => {
  const sink = await tcpSink();
  t.after(() => sink.close());
  const tracer = await openTracer(t, [`[homer]hep:127.0.0.1:${sink.port};transport=tcp`], { captureId: 9 });
  for (let i = 0; i < 50; i++) tracer.trace(INVITE, META);
  const packets: HepPacket[] = [];
  await until(() => {
    packets.length = 0;
    const decoder = new HepStreamDecoder({ onPacket: (p) => packets.push(p) });
    decoder.push(sink.bytes());
    return packets.length === 50;
  });
  for (const packet of packets) expectHep(packet, 9);
});

test('file: destination writes OpenSIPS records, and only under the roots', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'sip.trace');
  const tracer = await Tracer.open({ ids: [`[f]file:${path}`], fileRoots: [dir] });
  tracer.trace(INVITE, META);
  tracer.trace(CALL[1].bytes, { ...META, direction: 'out', proto: 'tcp', src: META.dst, dst: META.src });
  await tracer.close();
  const text = await readFile(path, 'utf8');
  const stamp = (us: number) => {
    const d = new Date(us / 1000);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  };
  assert.equal(text, `in udp ${stamp(META.timeUs!)} 192.0.2.10:5080 -> 192.0.2.1:5060\n${INVITE.toString()}\n\n`
    + `out tcp ${stamp(META.timeUs!)} 192.0.2.1:5060 -> 192.0.2.10:5080\n${CALL[1].bytes.toString()}\n\n`);
  await assert.rejects(Tracer.open({ ids: ['[f]file:/etc/herald-trace'], fileRoots: [dir] }), { code: 'HERALD_ERR_PATH_NOT_ALLOWED' });
});

test('switching: global off stops everything, a per-id off wins over global on', async (t) => {
  const a = await udpSink();
  const b = await udpSink();
  t.after(() => Promise.all([a.close(), b.close()]));
  const tracer = await openTracer(t, [`[a]sip:127.0.0.1:${a.port}`, `[b]sip:127.0.0.1:${b.port}`]);
  tracer.setEnabled(false);
  assert.deepEqual(tracer.trace(INVITE, META), { ok: false, reason: 'off' });
  tracer.setEnabled(true);
  tracer.setEnabled(false, 'a');
  assert.deepEqual(tracer.trace(INVITE, META), { ok: true, destinations: 1 });
  assert.deepEqual(tracer.status('a').ids[0].state, 'off');
  tracer.setEnabled(true, 'a');
  tracer.trace(INVITE, { ...META, id: 'a' });
  await a.waitFor(1);
  await b.waitFor(1);
  assert.equal(a.received.length, 1, 'a got only the message traced after it was switched back on');
  assert.equal(b.received.length, 1, 'meta.id restricts to the named id');
  assert.throws(() => tracer.setEnabled(true, 'nope'), { code: 'HERALD_ERR_NOT_FOUND' });
  assert.deepEqual(tracer.counters(), { off: 1, traced: 2 });
});

test('trace_start filters: caller, callee and ip; the rest of a matching call follows', async (t) => {
  const sink = await udpSink();
  t.after(() => sink.close());
  const tracer = await openTracer(t, []);
  await tracer.start('sipp', `sip:127.0.0.1:${sink.port}`, ['caller=sipp', 'callee=service', 'ip=192.0.2.10']);
  for (const fixture of CALL) tracer.trace(fixture.bytes, META);
  const other = loadFixtures('rawsip').filter((f) => f.callId === '2-19473@127.0.0.1');
  for (const fixture of other) tracer.trace(fixture.bytes, { ...META, src: { ip: '198.51.100.1', port: 5060 } });
  await sink.waitFor(CALL.length);
  assert.equal(sink.received.length, CALL.length, 'all of call 1 (replies included), none of call 2 (other ip)');
  await tracer.start('nobody', `sip:127.0.0.1:${sink.port}`, ['caller=alice']);
  assert.deepEqual(tracer.trace(INVITE, META), { ok: true, destinations: 1 }, 'same uri from two ids: one copy');
  await assert.rejects(tracer.start('sipp', 'sip:127.0.0.1:9'), { code: 'HERALD_ERR_INVALID_PARAMS' });
  await assert.rejects(tracer.start('bad', 'sip:127.0.0.1:9', ['user=x']), { code: 'HERALD_ERR_INVALID_PARAMS' });
  await tracer.stop('sipp');
  await tracer.stop('nobody');
  assert.deepEqual(tracer.trace(INVITE, META), { ok: false, reason: 'no_destination' });
  await assert.rejects(tracer.stop('sipp'), { code: 'HERALD_ERR_NOT_FOUND' });
});

test('a message that is not SIP is refused with its reason and counted', async (t) => {
  const tracer = await openTracer(t, []);
  const outcome = tracer.trace(Buffer.from('GET / HTTP/1.1\r\n\r\n'), META);
  assert.equal(outcome.ok, false);
  assert.match(outcome.ok ? '' : outcome.reason, /^sip_/);
  assert.equal(Object.values(tracer.counters()).reduce((a, b) => a + b, 0), 1);
});

test('bad trace ids are refused with the reason', async () => {
  for (const id of ['[x]ftp://host', 'no-brackets', '[x]hep:127.0.0.1:9060;transport=sctp', '[x]hep:127.0.0.1:9060;version=2', '[x]sip:host:99999']) {
    await assert.rejects(Tracer.open({ ids: [id] }), { code: 'HERALD_ERR_CONFIG' }, id);
  }
});
