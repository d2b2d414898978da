// 100,000 mutated and truncated HEP datagrams through the collector (decode,
// auth, SIP parse, row building, ingest queue): nothing may throw, and every
// datagram must end in exactly one counter that names why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HepCollector } from '../../src/sources/hep/collector.js';
import { StoreDestination } from '../../src/trace/destinations/store.js';
import { HEP_ERROR_REASONS } from '../../src/trace/hep/index.js';
import { TraceIngest } from '../../src/trace/ingest.js';
import { SIP_ERROR_REASONS } from '../../src/trace/sip/index.js';
import type { TraceStore } from '../../src/trace/store/index.js';
import { Tracer } from '../../src/trace/tracer.js';
import { loadFixtures } from './tracer-fixtures.js';
import { seededInt } from '../helpers/random.js';

const CASES = 100_000;
const FIXTURES = loadFixtures('hep').map((f) => f.bytes);


/** One mutated datagram: byte flips, length-field damage, truncation, duplicated spans, or untouched. */
function mutate(rnd: (n: number) => number): Buffer {
  const b = Buffer.from(FIXTURES[rnd(FIXTURES.length)]);
  const edits = rnd(4);
  let out = b;
  for (let e = 0; e < edits; e++) {
    switch (rnd(5)) {
      case 0: out[rnd(out.length)] = rnd(256); break;
      case 1: out.writeUInt16BE(rnd(0x10000), Math.min(out.length - 2, 4 + 6 * rnd(12))); break; // a length field, or near one
      case 2: out = out.subarray(0, rnd(out.length + 1)); break;
      case 3: { const at = rnd(out.length); out = Buffer.concat([out.subarray(0, at), out.subarray(rnd(out.length))]); break; }
      default: out[rnd(Math.min(out.length, 120)) + 0] ^= 1 << rnd(8); break;
    }
    if (out.length < 2) break;
  }
  return out;
}

const memoryStore = (): TraceStore => ({
  kind: 'sqlite', table: 'sip_trace', location: 'memory',
  open: async () => {}, insertBatch: async () => ({ status: 'ok' }), search: async () => [], byCallId: async () => [],
  count: async () => 0, applyRetention: async () => ({ deletedRows: 0, droppedPartitions: [] }), close: async () => {},
});

test(`collector fuzz: ${CASES} mutated HEP datagrams, each counted once with a reason`, async () => {
  const tracer = await Tracer.open();
  // Every row is queued at once: neither queue bound may refuse one here.
  const ingest = new TraceIngest({ store: memoryStore(), maxQueueRows: CASES * 2, maxQueueBytes: Number.MAX_SAFE_INTEGER, maxBatchRows: 10_000 });
  tracer.addDestination('default', new StoreDestination(ingest, { owned: false }));
  const collector = new HepCollector({ tracer, bus: { raise: () => undefined }, authKey: undefined });
  const rnd = seededInt(0x4e5d);
  for (let i = 0; i < CASES; i++) collector.datagram(mutate(rnd), 'fuzz');
  await ingest.stop();
  await tracer.close();

  const counters = collector.counters.snapshot();
  const terminal = Object.entries(counters).filter(([key]) => key !== 'packets');
  assert.equal(terminal.reduce((n, [, v]) => n + v, 0), CASES, 'every datagram ends in exactly one counter');
  const reasons = new Set([
    'sip', 'log', 'auth_failed', 'off', 'no_destination',
    ...HEP_ERROR_REASONS.map((r) => `malformed_${r}`),
    ...SIP_ERROR_REASONS.map((r) => `sip_${r}`),
  ]);
  for (const [key] of terminal) assert.ok(reasons.has(key) || /^proto_type_\d+$/.test(key), `unknown counter ${key}`);
  assert.ok(counters.sip > 1000 && Object.keys(counters).some((k) => k.startsWith('malformed_')), 'both outcomes are exercised');
  assert.equal(ingest.counters().stored, counters.sip, 'every accepted SIP message reached the store');
});
