// Seeded mutation fuzzing of decodeHep, HepStreamDecoder and parseSip on the
// recorded fixtures: nothing may throw, every rejection must carry a reason
// from the published union, and accepted messages must be fully readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeHep, HepStreamDecoder, HEP_ERROR_REASONS } from '../../src/trace/hep/index.js';
import type { HepPacket } from '../../src/trace/hep/index.js';
import { parseSip, getHeader, SIP_ERROR_REASONS } from '../../src/trace/sip/index.js';
import type { SipMessage } from '../../src/trace/sip/index.js';
import { seededInt } from '../helpers/random.js';

const SEED = 0x5eed2024;
const HEP_CASES = 100_000;
const SIP_CASES = 150_000;
const STREAM_CASES = 10_000; // each stream carries 3–6 (mostly mutated) packets

function load(sub: string): Buffer[] {
  const dir = fileURLToPath(new URL(`../fixtures/${sub}/`, import.meta.url));
  return readdirSync(dir).filter((f) => f.endsWith('.bin')).sort().map((f) => readFileSync(dir + f));
}
const hepFixtures = load('hep');
const sipFixtures = [...load('rawsip'), ...hepFixtures.map((b) => { const r = decodeHep(b); assert.ok(r.ok); return Buffer.from(r.packet.payload); })];

const rnd = seededInt(SEED);

/** Bytes that matter to the parsers: separators for SIP, and length-ish values for HEP. */
const SPECIAL = [0x0d, 0x0a, 0x3a, 0x20, 0x09, 0x3b, 0x2c, 0x3c, 0x3e, 0x22, 0x3d, 0x00, 0xff, 0x06, 0x05, 0x48, 0x80, 0xc3];

function mutate(src: Buffer): Buffer {
  let b = Buffer.from(src);
  const ops = 1 + rnd(4);
  for (let k = 0; k < ops; k++) {
    const at = rnd(b.length + 1);
    switch (rnd(7)) {
      case 0: if (b.length > 0) b[Math.min(at, b.length - 1)] ^= 1 << rnd(8); break; // bit flip
      case 1: if (b.length > 0) b[Math.min(at, b.length - 1)] = rnd(2) ? SPECIAL[rnd(SPECIAL.length)] : rnd(256); break;
      case 2: { // insert 1–8 bytes
        const ins = Buffer.alloc(1 + rnd(8));
        for (let i = 0; i < ins.length; i++) ins[i] = rnd(2) ? SPECIAL[rnd(SPECIAL.length)] : rnd(256);
        b = Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
        break;
      }
      case 3: b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + rnd(16))]); break; // delete
      case 4: b = b.subarray(0, at); break; // truncate
      case 5: if (at + 2 <= b.length) b.writeUInt16BE([0, 5, 6, 7, 0xffff, b.length, rnd(65536)][rnd(7)], at); break; // length-like value
      default: { // duplicate a slice
        const len = 1 + rnd(32);
        b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]);
      }
    }
  }
  return b;
}

class Tally {
  readonly counts = new Map<string, number>();
  accepted = 0;
  rejected = 0;
  constructor(private readonly reasons: readonly string[], private readonly what: string) {}
  reject(reason: string, offset: number, input: Buffer): void {
    assert.ok(this.reasons.includes(reason), `${this.what}: unknown reason ${reason} for ${input.toString('hex')}`);
    assert.ok(Number.isInteger(offset) && offset >= 0, `${this.what}: bad offset ${offset}`);
    this.rejected++;
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }
  check(minDistinct: number, log: (msg: string) => void): void {
    let sum = 0;
    for (const c of this.counts.values()) sum += c;
    assert.equal(sum, this.rejected, `${this.what}: per-reason counts add up to the rejections`);
    assert.ok(this.counts.size >= minDistinct, `${this.what}: only ${[...this.counts.keys()].join(', ')}`);
    assert.ok(this.accepted > 0, `${this.what}: something must still be accepted`);
    const summary = [...this.counts].sort((a, b) => b[1] - a[1]).map(([r, c]) => `${r}=${c}`).join(' ');
    log(`${this.what}: ${this.accepted} accepted, ${this.rejected} rejected: ${summary}`);
  }
}

/** Reads every field, lazy ones included: an accepted message must never throw later. */
function touch(m: SipMessage): void {
  const all = [m.kind, m.method, m.requestUri, m.status, m.reason, m.callId, m.cseqNumber, m.cseqMethod, m.fromUri, m.fromUser, m.fromTag,
    m.toUri, m.toUser, m.toTag, m.viaBranches.length, m.contact, m.contentLength, m.headers.length, m.body.length, m.raw.length,
    getHeader(m, 'via'), JSON.stringify(m).length];
  assert.ok(all.length > 0);
  assert.ok(m.callId.length > 0);
  assert.ok(m.body.length <= m.raw.length);
}

function checkPacket(p: HepPacket, input: Buffer): void {
  assert.ok(p.payload.length <= input.length);
  assert.ok(p.ipFamily === 4 || p.ipFamily === 6);
}

function guarded(what: string, input: Buffer, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    throw new Error(`${what} threw on ${input.toString('hex')}: ${(e as Error).stack ?? String(e)}`);
  }
}

test(`fuzz: ${HEP_CASES + SIP_CASES} mutated datagrams and ${STREAM_CASES} mutated TCP streams`, (t) => {
  const started = Date.now();
  const hep = new Tally(HEP_ERROR_REASONS, 'decodeHep');
  const sip = new Tally(SIP_ERROR_REASONS, 'parseSip');
  const stream = new Tally(HEP_ERROR_REASONS, 'HepStreamDecoder');
  let mutations = 0;

  for (let i = 0; i < HEP_CASES; i++) {
    const input = mutate(hepFixtures[rnd(hepFixtures.length)]);
    // Half the time repair the total length, so mutations reach the chunk walk
    // instead of all stopping at the header's length check.
    if (rnd(2) === 0 && input.length >= 6 && input.length <= 0xffff) input.writeUInt16BE(input.length, 4);
    mutations++;
    guarded('decodeHep', input, () => {
      const r = decodeHep(input);
      if (!r.ok) return hep.reject(r.error.reason, r.error.offset, input);
      hep.accepted++;
      checkPacket(r.packet, input);
      // Payloads that survived the HEP layer go on to the SIP parser too.
      const s = parseSip(r.packet.payload);
      if (s.ok) { sip.accepted++; touch(s.message); } else sip.reject(s.error.reason, s.error.offset, r.packet.payload);
    });
  }

  for (let i = 0; i < SIP_CASES; i++) {
    const input = mutate(sipFixtures[rnd(sipFixtures.length)]);
    mutations++;
    const maxBytes = rnd(20) === 0 ? rnd(600) : undefined;
    guarded('parseSip', input, () => {
      const r = parseSip(input, { maxBytes });
      if (!r.ok) return sip.reject(r.error.reason, r.error.offset, input);
      sip.accepted++;
      touch(r.message);
    });
  }

  for (let i = 0; i < STREAM_CASES; i++) {
    const parts: Buffer[] = [];
    const n = 3 + rnd(4);
    for (let k = 0; k < n; k++) {
      const f = hepFixtures[rnd(hepFixtures.length)];
      if (rnd(3) === 0) parts.push(f);
      else { parts.push(mutate(f)); mutations++; }
    }
    const input = Buffer.concat(parts);
    guarded('HepStreamDecoder', input, () => {
      let packets = 0;
      const dec = new HepStreamDecoder({
        maxPacketSize: rnd(10) === 0 ? 200 + rnd(400) : undefined,
        onPacket: (p) => { packets++; checkPacket(p, input); },
        onError: (e) => stream.reject(e.reason, e.offset, input),
      });
      for (let at = 0; at < input.length; ) {
        const len = 1 + rnd(rnd(4) === 0 ? 8 : 700);
        dec.push(input.subarray(at, at + len));
        at += len;
      }
      dec.end();
      stream.accepted += packets;
      assert.equal(dec.bufferedBytes, 0);
    });
  }

  assert.ok(mutations >= 100_000, `${mutations} mutations`);
  const log = (msg: string): void => t.diagnostic(msg);
  hep.check(9, log);
  sip.check(10, log);
  stream.check(6, log);
  log(`${mutations} mutations in ${Date.now() - started} ms (seed 0x${SEED.toString(16)})`);
});
