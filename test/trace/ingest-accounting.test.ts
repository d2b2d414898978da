import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sendUdp, startCollector } from './collector-daemon.js';
import { loadFixtures, until } from './tracer-fixtures.js';

/*
 * Issue 11: under load the daemon lost packets and every counter said 0 dropped. Whatever
 * the load, the counters must add up: every datagram offered was received or dropped by
 * the kernel (kernel_drops, where /proc can be read), and every packet received was
 * stored or dropped and counted inside Herald. A queue of 64 rows makes Herald's own
 * drops likely, so both sides of the sum are exercised; nothing here depends on timing.
 */

const HEP = loadFixtures('hep');
const OFFERED = 3000;

/** The recorded datagrams, round after round, each round's calls with fresh Call-IDs of the same length. */
function traffic(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const fixture = HEP[i % HEP.length];
    const round = Math.floor(i / HEP.length).toString(36);
    const fresh = `${round}-${fixture.callId}`.slice(0, fixture.callId.length);
    return Buffer.from(fixture.bytes.toString('latin1').replaceAll(fixture.callId, fresh), 'latin1');
  });
}

const sum = (counters: Record<string, number>, prefix: string) => Object.entries(counters).filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

test('HEP counters add up: offered = received + kernel drops, received = stored + counted drops', async (t) => {
  const d = await startCollector(t, { trace: { max_batch_rows: 64, max_queue_rows: 64, flush_interval_ms: 5 } });
  await sendUdp(d.hep.port, traffic(OFFERED));
  const settled = () => {
    const hep = d.counters('hep');
    const trace = d.counters('trace');
    const received = hep.packets ?? 0;
    return received + (hep.kernel_drops ?? 0) === OFFERED && trace.queued === 0 && (trace.stored ?? 0) + sum(trace, 'dropped_') === received;
  };
  await until(settled, 60_000).catch(() => undefined);
  const hep = d.counters('hep');
  const trace = d.counters('trace');
  assert.equal((hep.packets ?? 0) + (hep.kernel_drops ?? 0), OFFERED, `hep counters: ${JSON.stringify(hep)}`);
  assert.equal(hep.sip, hep.packets, 'every fixture is a SIP packet');
  assert.equal(hep.receiver_restarts, 0, 'shown beside the receive thread\'s other counters; it never died');
  assert.equal(trace.queued, 0);
  assert.equal(trace.stored + sum(trace, 'dropped_'), hep.packets, `trace counters: ${JSON.stringify(trace)}`);
  assert.ok(trace.stored > 0, 'some packets were stored');
  assert.equal(await d.store.count(), trace.stored, 'the stored counter is the rows in the store');
});
