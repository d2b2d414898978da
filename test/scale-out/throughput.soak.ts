import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { newEventId } from '../../src/events/event-id.js';
import { privatePostgres } from '../backends/event-store/private-postgres.js';
import { collectorConfig, natsCluster, natsServerInstalled, serve, writerConfig, type Serve } from './cluster.js';
import { hepPacket, sendHepTcp } from './offered.js';

/*
 * Not in npm test (no .test.ts): run by scripts/soak-scale-out.ts. Writer throughput, 1 writer
 * beside 2 in the same run: the stream is filled first with no writer running (2 collectors,
 * SCALE_OUT_ROWS rows), then the writers are started and rows/s is measured from the first row
 * in PostgreSQL to the last. Twice: one writer, then (stream filled again) two.
 */

const ROWS = Number(process.env.SCALE_OUT_ROWS ?? 20_000);

async function count(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM sip_trace').catch(() => ({ rows: [{ n: '0' }] }))).rows[0].n);
  } finally {
    await client.end();
  }
}

test('writer throughput: 1 writer beside 2, same stream, same database, same run', async (t) => {
  if (!natsServerInstalled(t)) return;
  const db = await privatePostgres(t);
  if (db === undefined) return;
  const nodes = await natsCluster(t, 3);
  const scaleOut = { servers: nodes.map((node) => node.server), replicas: 3, ack_wait_ms: 5000, batch: 500 };
  const collectors = await Promise.all([serve(t, collectorConfig(scaleOut)), serve(t, collectorConfig(scaleOut))]);
  const nats = await connect({ servers: scaleOut.servers });
  t.after(() => nats.close());
  const jsm = await jetstreamManager(nats);
  const tag = newEventId().slice(-8);

  const fill = async (phase: string) => {
    const per = ROWS / collectors.length;
    await Promise.all(collectors.map(async (collector, c) => {
      for (let at = 0; at < per; at += 1000) {
        await sendHepTcp(collector.hepPort, Array.from({ length: Math.min(1000, per - at) }, (_, n) => hepPacket(`tp-${tag}-${phase}-${c}-${at + n}`, n)));
      }
    }));
    // Every row (plus the collectors' own events) in the stream before any writer starts.
    for (;;) {
      const state = (await jsm.streams.info('HERALD')).state;
      if (state.messages >= ROWS) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const drain = async (writers: number, before: number): Promise<number> => {
    const started: Serve[] = await Promise.all(Array.from({ length: writers }, () => serve(t, writerConfig(scaleOut, db.url))));
    let first = 0;
    let n = before;
    while (n < before + ROWS) {
      n = await count(db.url);
      if (first === 0 && n > before) first = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - first) / 1000;
    await Promise.all(started.map((writer) => writer.kill()));
    return (n - before) / seconds;
  };

  await fill('one');
  const one = await drain(1, 0);
  await fill('two');
  const two = await drain(2, ROWS);
  const figures = { rows: ROWS, one_writer_rows_per_s: Math.round(one), two_writers_rows_per_s: Math.round(two), ratio_two_to_one: Number((two / one).toFixed(2)) };
  console.log(`SCALE_OUT_THROUGHPUT ${JSON.stringify(figures)}`);
  assert.ok(one > 0 && two > 0);
});
