import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { newEventId } from '../../src/events/event-id.js';
import { privatePostgres } from '../backends/event-store/private-postgres.js';
import { collectorConfig, natsCluster, natsServerInstalled, serve, writerConfig } from './cluster.js';
import { eventRecords, hepPacket, postEvents, sendHepTcp, storedCounts } from './offered.js';

/*
 * Issue 14, "Scale-out on JetStream", for real: a 3-node JetStream cluster, a stream with
 * 3 replicas, 2 collectors and 2 writers as `herald serve` processes, a private PostgreSQL.
 * Load is offered to both collectors in rounds; half-way, one writer is SIGKILLed and one
 * NATS node (the one every client connected to first) is killed. At the end every offered
 * SIP message is one sip_trace row and every offered event one herald_events row.
 * The soak (scripts/soak-scale-out.ts) runs this file with more load (SCALE_OUT_ROUNDS).
 */

const ROUNDS = Number(process.env.SCALE_OUT_ROUNDS ?? 10);
const PACKETS_PER_ROUND = Number(process.env.SCALE_OUT_PACKETS ?? 100);
const EVENTS_PER_ROUND = Number(process.env.SCALE_OUT_EVENTS ?? 40);
// Only a failing run waits this long (a passing one stops polling once everything is there); a loaded npm test run needs room.
const DRAIN_MS = Number(process.env.SCALE_OUT_DRAIN_MS ?? 60_000);

test('2 collectors, 2 writers, a 3-node JetStream cluster: a writer and a node killed mid-stream, every packet and event stored exactly once', async (t) => {
  if (!natsServerInstalled(t)) return;
  const pg = await privatePostgres(t);
  if (pg === undefined) return;
  const nodes = await natsCluster(t, 3);
  const scaleOut = { servers: nodes.map((node) => node.server), replicas: 3, ack_wait_ms: 2000, batch: 200 };
  const writers = await Promise.all([serve(t, writerConfig(scaleOut, pg.url)), serve(t, writerConfig(scaleOut, pg.url))]);
  const collectors = await Promise.all([serve(t, collectorConfig(scaleOut)), serve(t, collectorConfig(scaleOut))]);

  const tag = newEventId().slice(-8);
  const callIds: string[] = [];
  const eventIds: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round === Math.floor(ROUNDS / 2)) await Promise.all([writers[0].kill(), nodes[0].kill()]);
    await Promise.all(collectors.map(async (collector, c) => {
      const ids = Array.from({ length: PACKETS_PER_ROUND }, (_, n) => `so-${tag}-${round}-${c}-${n}`);
      callIds.push(...ids);
      const events = eventRecords(EVENTS_PER_ROUND, `${tag}-${round}-${c}`);
      eventIds.push(...events.ids);
      await Promise.all([sendHepTcp(collector.hepPort, ids.map((id, n) => hepPacket(id, n))), postEvents(collector.ingestUrl, events.body)]);
    }));
  }

  let counts = await storedCounts(pg.url, 'sip_trace', callIds, eventIds);
  const end = Date.now() + DRAIN_MS;
  while (Date.now() < end && (counts.rowsOnce + counts.rowsTwice < callIds.length || counts.eventsOnce < eventIds.length)) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    counts = await storedCounts(pg.url, 'sip_trace', callIds, eventIds);
  }
  assert.deepEqual(counts, { rowsOnce: callIds.length, rowsTwice: 0, eventsOnce: eventIds.length },
    `offered ${callIds.length} packets and ${eventIds.length} events\n${writers[1].output()}`);

  // The stream the collectors created has its 3 replicas, and the killed node's place was taken.
  const client = await connect({ servers: nodes.slice(1).map((node) => node.server) });
  t.after(() => client.close());
  const info = await (await jetstreamManager(client)).streams.info('HERALD');
  assert.equal(info.config.num_replicas, 3);
});
