// HEPv3 over TCP: framing of coalesced and split packets, resynchronisation
// after garbage, bounded buffering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HepStreamDecoder, encodeHep3 } from '../../src/trace/hep/index.js';
import type { HepError, HepPacket } from '../../src/trace/hep/index.js';

const dir = fileURLToPath(new URL('../fixtures/hep/', import.meta.url));
const packets: Buffer[] = readdirSync(dir).filter((f) => f.endsWith('.bin')).sort().map((f) => readFileSync(dir + f));

interface Run { packets: HepPacket[]; errors: HepError[]; dec: HepStreamDecoder }

function decoder(maxPacketSize?: number): Run {
  const run: Run = { packets: [], errors: [], dec: undefined as unknown as HepStreamDecoder };
  run.dec = new HepStreamDecoder({ maxPacketSize, onPacket: (p) => run.packets.push(p), onError: (e) => run.errors.push(e) });
  return run;
}

/** What a packet carries, for comparing decoded packets with their source datagrams. */
const key = (p: HepPacket): string => `${p.srcPort}>${p.dstPort}@${p.timeSec}.${p.timeUsec}:${p.payload.toString('latin1')}`;
const keyOf = (b: Buffer): string => {
  const r = decoder();
  r.dec.push(b);
  assert.equal(r.packets.length, 1);
  return key(r.packets[0]);
};
const expected = packets.map(keyOf);

test('several packets coalesced in one segment', () => {
  const r = decoder();
  r.dec.push(Buffer.concat(packets));
  assert.deepEqual(r.packets.map(key), expected);
  assert.deepEqual(r.errors, []);
  assert.equal(r.dec.bufferedBytes, 0);
});

test('a stream split at every byte boundary yields the same packets', () => {
  const stream = Buffer.concat(packets.slice(0, 3));
  for (let cut = 0; cut <= stream.length; cut++) {
    const r = decoder();
    r.dec.push(stream.subarray(0, cut));
    r.dec.push(stream.subarray(cut));
    assert.deepEqual(r.packets.map(key), expected.slice(0, 3), `cut at ${cut}`);
    assert.deepEqual(r.errors, [], `cut at ${cut}`);
  }
});

test('byte-at-a-time delivery of all 26 packets', () => {
  const r = decoder();
  const stream = Buffer.concat(packets);
  for (let i = 0; i < stream.length; i++) r.dec.push(stream.subarray(i, i + 1));
  assert.deepEqual(r.packets.map(key), expected);
  assert.deepEqual(r.errors, []);
});

test('random segment sizes', () => {
  let seed = 7;
  const rnd = (n: number): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
  const stream = Buffer.concat(packets);
  for (let round = 0; round < 50; round++) {
    const r = decoder();
    for (let i = 0; i < stream.length; ) {
      const n = 1 + rnd(1500);
      r.dec.push(stream.subarray(i, i + n));
      i += n;
    }
    assert.deepEqual(r.packets.map(key), expected);
  }
});

test('garbage between packets: one error per run, at its stream offset, then resync', () => {
  const junk1 = Buffer.from('garbage without the magic\r\n');
  const junk2 = Buffer.from([0, 1, 2, 0x48, 0x45, 0x50, 0x32, 9]); // "HEP2": almost a magic
  const stream = Buffer.concat([packets[0], junk1, packets[1], packets[2], junk2, packets[3]]);
  for (const seg of [stream.length, 1, 7, 64]) {
    const r = decoder();
    for (let i = 0; i < stream.length; i += seg) r.dec.push(stream.subarray(i, i + seg));
    assert.deepEqual(r.packets.map(key), expected.slice(0, 4), `segments of ${seg}`);
    assert.deepEqual(r.errors.map((e) => [e.reason, e.offset]), [
      ['bad_magic', packets[0].length],
      ['bad_magic', packets[0].length + junk1.length + packets[1].length + packets[2].length],
    ], `segments of ${seg}`);
  }
});

test('leading garbage and a bogus length field are skipped', () => {
  // Also a partially received packet whose chunk lengths cannot add up is given up early.
  const r2 = decoder();
  r2.dec.push(Buffer.from('HEP3\x10\x00\0\0\0\x01\0\x03', 'latin1'));
  assert.deepEqual(r2.errors.map((e) => [e.reason, e.offset]), [['chunk_too_short', 10]]);
  const bogus = Buffer.from('HEP3\xff\xf0rest-of-a-broken-header', 'latin1'); // claims 65520 bytes
  const stream = Buffer.concat([Buffer.from('xx'), packets[0], bogus, packets[1], packets[2]]);
  const r = decoder();
  r.dec.push(stream);
  assert.deepEqual(r.packets.map(key), expected.slice(0, 3));
  assert.equal(r.errors[0].reason, 'bad_magic');
  assert.equal(r.errors[0].offset, 0);
  // The bogus header is rejected as soon as its first chunk header is seen, without waiting for 64 KiB.
  assert.deepEqual(r.errors.slice(1).map((e) => [e.reason, e.offset]), [['bad_vendor', 2 + packets[0].length + 6]]);
  assert.equal(r.dec.bufferedBytes, 0);
});

test('vendor chunks: registered vendors pass at every split, implausible ones fail at every split', () => {
  const base = { srcIp: '1.1.1.1', dstIp: '2.2.2.2', srcPort: 1, dstPort: 2, timeSec: 1, timeUsec: 2, payload: 'x' };
  const good = encodeHep3({ ...base, vendorChunks: [{ vendor: 3, type: 101, value: Buffer.from('{}') }] });
  const odd = encodeHep3({ ...base, vendorChunks: [{ vendor: 0x1234, type: 1, value: Buffer.from('?') }] });
  const stream = Buffer.concat([good, odd, packets[0]]);
  for (let cut = 0; cut <= stream.length; cut++) {
    const r = decoder();
    r.dec.push(stream.subarray(0, cut));
    r.dec.push(stream.subarray(cut));
    assert.deepEqual(r.packets.map((p) => p.vendorChunks?.[0]?.vendor ?? -1), [3, -1], `cut at ${cut}`);
    assert.deepEqual(r.errors.map((e) => [e.reason, e.offset]), [['bad_vendor', good.length + odd.length - 7]], `cut at ${cut}`);
  }
});

test('a magic with a length below 6 is reported and skipped', () => {
  const r = decoder();
  r.dec.push(Buffer.concat([Buffer.from('HEP3\0\x02'), packets[4]]));
  assert.deepEqual(r.errors.map((e) => [e.reason, e.offset]), [['bad_total_length', 4]]);
  assert.deepEqual(r.packets.map(key), [expected[4]]);
});

test('a well-framed packet that fails to decode is reported with its absolute offset', () => {
  const broken = Buffer.from(packets[1]);
  broken.writeUInt16BE(9, 6 + 4); // first chunk (ip family, 7 bytes) now claims 9: sizes no longer add up
  const r = decoder();
  r.dec.push(Buffer.concat([packets[0], broken, packets[2]]));
  assert.deepEqual(r.packets.map(key), [expected[0], expected[2]]);
  assert.deepEqual(r.errors.map((e) => [e.reason, e.offset]), [['bad_chunk_size', packets[0].length + 6 + 4]]);
});

test('packets above maxPacketSize are rejected without buffering them', () => {
  const big = encodeHep3({ srcIp: '1.1.1.1', dstIp: '2.2.2.2', srcPort: 1, dstPort: 2, timeSec: 1, timeUsec: 2, payload: Buffer.alloc(3000, 0x41) });
  const r = decoder(1024);
  r.dec.push(Buffer.concat([big.subarray(0, 100)]));
  assert.deepEqual(r.errors.map((e) => [e.reason, e.offset]), [['oversized', 4]]);
  r.dec.push(Buffer.concat([big.subarray(100), packets[0]]));
  assert.deepEqual(r.packets.map(key), [expected[0]]);
  assert.equal(r.errors.length, 1, 'the rest of the oversized packet is skipped quietly');
  assert.ok(r.dec.bufferedBytes < 4);
});

test('end() reports a packet cut short by the connection closing', () => {
  const r = decoder();
  r.dec.push(Buffer.concat([packets[0], packets[1].subarray(0, 50)]));
  assert.equal(r.dec.bufferedBytes, 50);
  r.dec.end();
  assert.deepEqual(r.errors.map((e) => [e.reason, e.offset]), [['truncated', packets[0].length + 50]]);
  assert.equal(r.dec.bufferedBytes, 0);
});

test('async iteration over a segmented source', async () => {
  async function* source(): AsyncGenerator<Buffer> {
    const stream = Buffer.concat([packets[0], Buffer.from('junk'), packets[1]]);
    for (let i = 0; i < stream.length; i += 100) yield stream.subarray(i, i + 100);
  }
  const out: string[] = [];
  for await (const r of HepStreamDecoder.iterate(source())) out.push(r.ok ? key(r.packet) : `error:${r.error.reason}@${r.error.offset}`);
  assert.deepEqual(out, [expected[0], `error:bad_magic@${packets[0].length}`, expected[1]]);
});
