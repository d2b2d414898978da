// HEP encode→decode round trips (IPv4/IPv6, optional chunks), HEPv1/v2 on
// hand-built packets, and every decode error with its offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHep, encodeHep3, formatIpv6, listHep3Chunks, writeIpv6, HEP_ERROR_REASONS } from '../../src/trace/hep/index.js';
import type { HepDecodeResult, HepErrorReason, HepPacket, HepPacketInput } from '../../src/trace/hep/index.js';

const SIP = 'OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n';

function ok(r: HepDecodeResult): HepPacket {
  if (!r.ok) assert.fail(`${r.error.reason} @${r.error.offset}: ${r.error.message}`);
  return r.packet;
}

function err(r: HepDecodeResult, reason: HepErrorReason, offset: number): void {
  assert.equal(r.ok, false, 'expected an error');
  if (r.ok) return;
  assert.ok((HEP_ERROR_REASONS as readonly string[]).includes(r.error.reason));
  assert.deepEqual({ reason: r.error.reason, offset: r.error.offset }, { reason, offset }, r.error.message);
  assert.ok(r.error.message.length > 0);
}

const base: HepPacketInput = {
  srcIp: '10.1.2.3', dstIp: '192.168.255.1', srcPort: 5060, dstPort: 65535,
  timeSec: 0xfffffffe, timeUsec: 999999, payload: SIP,
};

test('IPv4 round trip with defaults (UDP, SIP, capture id 0)', () => {
  const p = ok(decodeHep(encodeHep3(base)));
  assert.deepEqual(
    { ...p, payload: p.payload.toString() },
    { version: 3, ipFamily: 4, protocol: 17, srcIp: '10.1.2.3', dstIp: '192.168.255.1', srcPort: 5060, dstPort: 65535,
      timeSec: 0xfffffffe, timeUsec: 999999, protoType: 1, captureId: 0, authKey: undefined, correlationId: undefined,
      nodeName: undefined, payload: SIP, vendorChunks: undefined },
  );
});

test('auth key, correlation id, node name and vendor chunks survive, in Kamailio chunk order', () => {
  const input: HepPacketInput = {
    ...base, protocol: 6, protoType: 100, captureId: 0xdeadbeef, authKey: 'secret', correlationId: 'abc@host',
    nodeName: 'node1', payload: Buffer.from('log line'), vendorChunks: [{ vendor: 3, type: 101, value: Buffer.from('{"a":1}') }],
  };
  const buf = encodeHep3(input);
  assert.deepEqual(listHep3Chunks(buf)?.map((c) => [c.vendor, c.type]), [
    [0, 1], [0, 2], [0, 3], [0, 4], [0, 7], [0, 8], [0, 9], [0, 10], [0, 11], [0, 12], [0, 0x11], [0, 0x0e], [0, 0x13], [0, 0x0f], [3, 101],
  ]);
  const p = ok(decodeHep(buf));
  assert.equal(p.protocol, 6);
  assert.equal(p.protoType, 100);
  assert.equal(p.captureId, 0xdeadbeef);
  assert.equal(p.authKey, 'secret');
  assert.equal(p.correlationId, 'abc@host');
  assert.equal(p.nodeName, 'node1');
  assert.equal(p.payload.toString(), 'log line');
  assert.deepEqual(p.vendorChunks?.map((c) => ({ ...c, value: c.value.toString() })), [{ vendor: 3, type: 101, value: '{"a":1}' }]);
  assert.ok(encodeHep3(p).equals(buf), 're-encoding the decoded packet gives the same bytes');
});

test('empty auth key / correlation id are omitted, as Kamailio does', () => {
  const types = listHep3Chunks(encodeHep3({ ...base, authKey: '', correlationId: '' }))?.map((c) => c.type);
  assert.deepEqual(types, [1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 15]);
});

test('IPv6 round trip, addresses printed in RFC 5952 form', () => {
  const cases: Array<[string, string]> = [
    ['2001:db8::1', '2001:db8::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::1', '::1'],
    ['::', '::'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[2001:db8::2]', '2001:db8::2'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
    ['1:2:3:4:5:6:7:0', '1:2:3:4:5:6:7:0'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ];
  for (const [input, printed] of cases) {
    const p = ok(decodeHep(encodeHep3({ ...base, srcIp: input, dstIp: '::2' })));
    assert.equal(p.ipFamily, 6);
    assert.equal(p.srcIp, printed, input);
    assert.equal(p.dstIp, '::2');
  }
  const types = listHep3Chunks(encodeHep3({ ...base, srcIp: '::1', dstIp: '::2' }))?.map((c) => c.type);
  assert.deepEqual(types, [1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 15]);
});

test('IPv6 formatting matches the WHATWG URL serialiser on random addresses', () => {
  let seed = 12345;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
  const b = new Uint8Array(16);
  for (let i = 0; i < 2000; i++) {
    // Mostly zero groups so that runs of zeros (and ties between runs) are common.
    for (let g = 0; g < 8; g++) {
      const v = rnd() % 3 === 0 ? rnd() : 0;
      b[2 * g] = v >> 8;
      b[2 * g + 1] = v & 0xff;
    }
    const mapped = b.slice(0, 12).every((x, k) => (k < 10 ? x === 0 : x === 0xff));
    if (mapped) continue; // URL prints IPv4-mapped in hex; we print them dotted like inet_ntop
    const ours = formatIpv6(b, 0);
    assert.equal(ours, new URL(`http://[${ours}]/`).hostname.slice(1, -1));
    const back = new Uint8Array(16);
    assert.ok(writeIpv6(ours, back, 0));
    assert.deepEqual(back, b);
  }
});

test('encoder rejects what it cannot represent', () => {
  assert.throws(() => encodeHep3({ ...base, srcIp: '10.0.0.256' }), RangeError);
  assert.throws(() => encodeHep3({ ...base, srcIp: '10.0.0' }), RangeError);
  assert.throws(() => encodeHep3({ ...base, srcIp: '1::2::3', dstIp: '::1' }), RangeError);
  assert.throws(() => encodeHep3({ ...base, srcIp: '::1', dstIp: '10.0.0.1' }), RangeError);
  assert.throws(() => encodeHep3({ ...base, srcPort: 65536 }), RangeError);
  assert.throws(() => encodeHep3({ ...base, timeUsec: -1 }), RangeError);
  assert.throws(() => encodeHep3({ ...base, captureId: 1.5 }), RangeError);
  assert.throws(() => encodeHep3({ ...base, payload: Buffer.alloc(65535) }), RangeError);
});

// ---- HEPv1/v2 (legacy header, see decode-legacy.ts) -------------------------

function legacy(version: 1 | 2, family: 2 | 10, opts: { hl?: number; time?: [number, number, number] } = {}): Buffer {
  const ipLen = family === 2 ? 8 : 32;
  const hdr = Buffer.alloc(8 + ipLen + (version === 2 ? 12 : 0));
  hdr[0] = version;
  hdr[1] = opts.hl ?? 8 + ipLen;
  hdr[2] = family;
  hdr[3] = 17;
  hdr.writeUInt16BE(5060, 4);
  hdr.writeUInt16BE(5080, 6);
  if (family === 2) {
    Buffer.from([10, 0, 0, 1, 10, 0, 0, 2]).copy(hdr, 8);
  } else {
    writeIpv6('2001:db8::a', hdr, 8);
    writeIpv6('2001:db8::b', hdr, 24);
  }
  if (version === 2) {
    const [sec, usec, capt] = opts.time ?? [1700000000, 123456, 2001];
    hdr.writeUInt32LE(sec, 8 + ipLen); // host order (little-endian) as Kamailio writes it
    hdr.writeUInt32LE(usec, 12 + ipLen);
    hdr.writeUInt16LE(capt, 16 + ipLen);
  }
  return Buffer.concat([hdr, Buffer.from(SIP)]);
}

test('HEPv1 IPv4', () => {
  const p = ok(decodeHep(legacy(1, 2)));
  assert.deepEqual(
    { ...p, payload: p.payload.toString() },
    { version: 1, ipFamily: 4, protocol: 17, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5080, timeSec: 0,
      timeUsec: 0, protoType: 1, captureId: 0, authKey: undefined, correlationId: undefined, nodeName: undefined, payload: SIP,
      vendorChunks: undefined },
  );
});

test('HEPv2 IPv4 and IPv6 carry time and the 16-bit capture id', () => {
  const v4 = ok(decodeHep(legacy(2, 2)));
  assert.deepEqual([v4.version, v4.timeSec, v4.timeUsec, v4.captureId, v4.payload.toString()], [2, 1700000000, 123456, 2001, SIP]);
  const v6 = ok(decodeHep(legacy(2, 10, { time: [1, 2, 65535] })));
  assert.deepEqual([v6.ipFamily, v6.srcIp, v6.dstIp, v6.timeSec, v6.timeUsec, v6.captureId], [6, '2001:db8::a', '2001:db8::b', 1, 2, 65535]);
  assert.equal(v6.payload.toString(), SIP);
});

test('HEPv1/v2 errors', () => {
  err(decodeHep(legacy(1, 2).subarray(0, 7)), 'too_short', 7);
  const fam = legacy(1, 2);
  fam[2] = 7;
  err(decodeHep(fam), 'bad_ip_family', 2);
  err(decodeHep(legacy(2, 2, { hl: 40 })), 'bad_header_length', 1);
  err(decodeHep(legacy(2, 10).subarray(0, 50)), 'too_short', 50);
});

// ---- HEPv3 errors -------------------------------------------------------------

/** Builds a HEP3 packet from raw chunks: [vendor, type, value bytes, declared length?]. */
function hep3(chunks: Array<[number, number, number[] | Buffer, number?]>, totalOverride?: number): Buffer {
  const parts = chunks.map(([vendor, type, value, len]) => {
    const v = Buffer.from(value);
    const h = Buffer.alloc(6);
    h.writeUInt16BE(vendor, 0);
    h.writeUInt16BE(type, 2);
    h.writeUInt16BE(len ?? 6 + v.length, 4);
    return Buffer.concat([h, v]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.from('HEP3\0\0', 'latin1');
  head.writeUInt16BE(totalOverride ?? 6 + body.length, 4);
  return Buffer.concat([head, body]);
}

const v4addr: Array<[number, number, number[]]> = [[0, 3, [1, 2, 3, 4]], [0, 4, [5, 6, 7, 8]]];
const payload: [number, number, Buffer] = [0, 15, Buffer.from(SIP)];

test('a minimal HEP3 packet (addresses + payload) decodes; family is inferred', () => {
  const p = ok(decodeHep(hep3([...v4addr, payload])));
  assert.deepEqual([p.ipFamily, p.srcIp, p.dstIp, p.srcPort, p.protocol], [4, '1.2.3.4', '5.6.7.8', 0, 0]);
  assert.equal(ok(decodeHep(hep3([[0, 12, [0, 7]], ...v4addr, payload]))).captureId, 7, '16-bit capture id accepted');
  const eep = hep3([...v4addr, payload]);
  eep[0] = 0x45; // "EEP3" is allowed by the spec
  assert.ok(decodeHep(eep).ok);
});

test('HEP3 errors carry the reason and the offset of the offending field', () => {
  err(decodeHep(new Uint8Array(0)), 'empty', 0);
  err(decodeHep(Buffer.from('HEP')), 'too_short', 3);
  err(decodeHep(Buffer.from('HEP3\0')), 'too_short', 5);
  err(decodeHep(Buffer.from('GET / HTTP/1.1\r\n')), 'bad_magic', 0);
  err(decodeHep(hep3([...v4addr, payload], 10)), 'bad_total_length', 4);
  err(decodeHep(Buffer.concat([hep3([...v4addr, payload]), Buffer.from([0])])), 'bad_total_length', 4);
  err(decodeHep(hep3([[0, 1, [2], 5], ...v4addr, payload])), 'chunk_too_short', 10);
  err(decodeHep(hep3([...v4addr, [0, 15, Buffer.from(SIP), 6 + SIP.length + 1]])), 'chunk_overflow', 30);
  err(decodeHep(Buffer.concat([Buffer.from('HEP3\0\x0b'), Buffer.from([0, 0, 0, 1, 0])])), 'chunk_overflow', 6);
  err(decodeHep(hep3([[0, 7, [1, 2, 3]], ...v4addr, payload])), 'bad_chunk_size', 10);
  err(decodeHep(hep3([[0, 3, [1, 2, 3, 4, 5]], payload])), 'bad_chunk_size', 10);
  err(decodeHep(hep3([[0, 1, [99]], ...v4addr, payload])), 'bad_ip_family', 12);
  err(decodeHep(hep3([[0, 1, [10]], ...v4addr, payload])), 'bad_ip_family', 12);
  err(decodeHep(hep3([payload])), 'missing_chunk', 6 + 6 + SIP.length);
  err(decodeHep(hep3([[0, 3, [1, 2, 3, 4]], payload])), 'missing_chunk', 6 + 10 + 6 + SIP.length);
  const noPayload = hep3([...v4addr]);
  err(decodeHep(noPayload), 'missing_chunk', noPayload.length);
  const gz = hep3([...v4addr, [0, 0x10, [0x1f, 0x8b]]]);
  err(decodeHep(gz), 'compressed_payload', gz.length);
});

test('chunks of other vendors are kept opaque, never read as generic fields', () => {
  const p = ok(decodeHep(hep3([[2, 1, [99]], [5, 0x0f, Buffer.from('not the payload')], ...v4addr, payload])));
  assert.equal(p.payload.toString(), SIP);
  assert.deepEqual(p.vendorChunks?.map((c) => [c.vendor, c.type, c.value.toString('latin1')]), [[2, 1, '\x63'], [5, 15, 'not the payload']]);
});
