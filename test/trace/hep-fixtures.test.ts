// HEPv3 decoder/encoder against the 26 datagrams Kamailio 5.6.3 siptrace sent
// (test/fixtures/hep, described by index.jsonl from an independent decoder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { decodeHep, encodeHep3, listHep3Chunks } from '../../src/trace/hep/index.js';
import type { HepPacket } from '../../src/trace/hep/index.js';

interface HepIndexEntry {
  file: string;
  bytes: number;
  from: string;
  to: string;
  call_id: string;
  first_line: string;
  hep: {
    chunks: number[];
    ip_family: number;
    ip_proto: number;
    src_ip: string;
    dst_ip: string;
    src_port: number;
    dst_port: number;
    ts_sec: number;
    ts_usec: number;
    proto_type: number;
    capture_id: number;
  };
}

const dir = fileURLToPath(new URL('../fixtures/hep/', import.meta.url));
const index: HepIndexEntry[] = readFileSync(dir + 'index.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HepIndexEntry);
const load = (e: HepIndexEntry): Buffer => readFileSync(dir + e.file);

function decoded(buf: Buffer): HepPacket {
  const r = decodeHep(buf);
  if (!r.ok) assert.fail(`decode failed: ${r.error.reason} @${r.error.offset}: ${r.error.message}`);
  return r.packet;
}

test('index.jsonl lists 26 datagrams with the fields this test compares', () => {
  assert.equal(index.length, 26);
  for (const e of index) {
    // A new field in the index must be looked at here, not silently ignored.
    assert.deepEqual(Object.keys(e).sort(), ['bytes', 'call_id', 'file', 'first_line', 'from', 'hep', 'to']);
    assert.deepEqual(Object.keys(e.hep).sort(), ['capture_id', 'chunks', 'dst_ip', 'dst_port', 'ip_family', 'ip_proto', 'proto_type', 'src_ip', 'src_port', 'ts_sec', 'ts_usec']);
    // from/to describe the UDP datagram that carried the packet (Kamailio → collector),
    // which the decoder never sees: check they are the capture setup's envelope.
    assert.equal(e.from, '127.0.0.1:5060');
    assert.equal(e.to, '127.0.0.1:9060');
  }
});

for (const e of index) {
  test(`${e.file} decodes to the values in index.jsonl`, () => {
    const buf = load(e);
    assert.equal(buf.length, e.bytes);
    const p = decoded(buf);
    assert.equal(p.version, 3);
    assert.equal(p.ipFamily, e.hep.ip_family === 2 ? 4 : 6);
    assert.equal(p.protocol, e.hep.ip_proto);
    assert.equal(p.srcIp, e.hep.src_ip);
    assert.equal(p.dstIp, e.hep.dst_ip);
    assert.equal(p.srcPort, e.hep.src_port);
    assert.equal(p.dstPort, e.hep.dst_port);
    assert.equal(p.timeSec, e.hep.ts_sec);
    assert.equal(p.timeUsec, e.hep.ts_usec);
    assert.equal(p.protoType, e.hep.proto_type);
    assert.equal(p.captureId, e.hep.capture_id);
    assert.deepEqual(listHep3Chunks(buf)?.map((c) => c.type), e.hep.chunks);
    // Kamailio sends no auth key, correlation id, node name or vendor chunks.
    assert.equal(p.authKey, undefined);
    assert.equal(p.correlationId, undefined);
    assert.equal(p.nodeName, undefined);
    assert.equal(p.vendorChunks, undefined);
    const text = p.payload.toString('latin1');
    assert.equal(text.slice(0, text.indexOf('\r\n')), e.first_line);
    assert.match(text, new RegExp(`\\r\\nCall-ID: ${e.call_id.replace(/[.]/g, '\\.')}\\r\\n`));
  });
}

test('the payload is a view into the datagram, not a copy', () => {
  const buf = load(index[0]);
  const p = decoded(buf);
  assert.equal(p.payload.buffer, buf.buffer);
  assert.equal(p.payload.byteOffset, buf.byteOffset + buf.length - p.payload.length); // payload chunk is last
});

test('encodeHep3 reproduces every fixture byte for byte from its decoded values', () => {
  for (const e of index) {
    const buf = load(e);
    assert.ok(encodeHep3(decoded(buf)).equals(buf), `${e.file} re-encodes differently`);
  }
});

test('agrees with hep-js decapsulate on every fixture', () => {
  const hepjs = createRequire(import.meta.url)('hep-js') as { decapsulate(b: Buffer): { rcinfo: Record<string, unknown>; payload: string } };
  for (const e of index) {
    const buf = load(e);
    const p = decoded(buf);
    const theirs = hepjs.decapsulate(buf);
    assert.deepEqual(theirs.rcinfo, {
      protocolFamily: e.hep.ip_family,
      protocol: p.protocol,
      srcIp: p.srcIp,
      dstIp: p.dstIp,
      srcPort: p.srcPort,
      dstPort: p.dstPort,
      timeSeconds: p.timeSec,
      timeUseconds: p.timeUsec,
      payloadType: p.protoType,
      captureId: p.captureId,
    });
    assert.equal(theirs.payload, p.payload.toString('utf8'));
  }
});

test('a Uint8Array that is not a Buffer decodes the same, still without copying', () => {
  const buf = load(index[3]);
  const copy = new Uint8Array(buf.length + 8).subarray(8); // non-zero byteOffset
  copy.set(buf);
  const p = decoded(Buffer.from(copy.buffer, copy.byteOffset, copy.length));
  const q = decodeHep(copy);
  assert.ok(q.ok);
  assert.deepEqual({ ...q.packet, payload: null }, { ...p, payload: null });
  assert.equal(q.packet.payload.buffer, copy.buffer);
});
