import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { encodeHep3 } from '../../src/trace/hep/index.js';
import { startCollector } from './collector-daemon.js';
import { until } from './tracer-fixtures.js';

const PACKETS = 20_000;

/** One HEP packet carrying a small SIP request with its own Call-ID. */
function packet(i: number): Buffer {
  const payload = `OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK${i}\r\n`
    + `From: <sip:alice@example.com>;tag=${i}\r\nTo: <sip:bob@example.com>\r\nCall-ID: backpressure-${i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
  return encodeHep3({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060, timeSec: 1_733_400_000 + i, timeUsec: 0, payload });
}

test('HEP over TCP faster than the store takes it: the reader pauses, nothing is dropped, everything is stored', async (t) => {
  // A queue of 2,000 rows against a stream of 20,000 packets written at once: without the pause the
  // queue overflows within the first chunks and rows are dropped as queue_full.
  const d = await startCollector(t, { trace: { max_queue_rows: 2000, max_batch_rows: 200, flush_interval_ms: 1000 } });
  const socket = connect({ port: d.hep.port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.end(Buffer.concat(Array.from({ length: PACKETS }, (_, i) => packet(i))));
  // Wait until every packet is accounted for, stored or dropped, then look at how.
  await until(() => { const c = d.counters('trace'); return (c.stored ?? 0) + (c.dropped_queue_full ?? 0) === PACKETS; }, 60_000);
  const trace = d.counters('trace');
  assert.equal(trace.dropped_queue_full ?? 0, 0, 'no row dropped for a full queue');
  assert.equal(trace.stored, PACKETS);
  assert.equal(await d.store.count(), PACKETS);
  assert.equal(d.counters('hep').sip, PACKETS);
  assert.ok((d.counters('hep').tcp_paused ?? 0) > 0, 'the reader paused at least once');
});
