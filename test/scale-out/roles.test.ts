import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { loadConfig } from '../../src/config/load.js';
import { newEventId } from '../../src/events/event-id.js';
import { ingestCounters } from '../../src/runtime/ingest-counters.js';
import { encodeTraceRow } from '../../src/scale-out/row-codec.js';
import { checkServeConfig } from '../../src/serve/check-config.js';
import { startDaemon, type Daemon } from '../../src/serve/serve.js';
import { HEP_ADDRESS_KEY } from '../../src/sources/hep/service.js';
import { INGEST_HTTP_URL_SLOT } from '../../src/sources/http/service.js';
import { requireService } from '../../src/testing/services.js';
import type { TraceRow } from '../../src/trace/store/types.js';
import { eventRecords, hepPacket, postEvents, sendHepTcp, storedCounts } from './offered.js';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function configFile(t: TestContext, config: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-roles-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'herald.yaml');
  await writeFile(path, JSON.stringify({ data_dir: join(dir, 'data'), ...config }));
  return path;
}

async function problemsOf(t: TestContext, config: Record<string, unknown>): Promise<string> {
  try {
    const loaded = await loadConfig(await configFile(t, config), {});
    checkServeConfig(loaded.config, loaded.path);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

test('role and scale_out are checked before anything starts, each problem named by its key', async (t) => {
  assert.match(await problemsOf(t, { role: 'leader' }), /role/);
  const writer = await problemsOf(t, { role: 'writer', trace: { store: 'sqlite:' }, scale_out: { servers: ['127.0.0.1:4222', 'nats-2'], event_store: 'mysql://x/y' } });
  assert.match(writer, /trace\.store: role writer writes to PostgreSQL/);
  assert.match(writer, /scale_out\.servers\[1\]: "nats-2" is not host:port/);
  assert.match(writer, /scale_out\.event_store: role writer writes events to PostgreSQL/);
  assert.match(await problemsOf(t, { role: 'writer', trace: { enabled: false, store: PG_URL } }), /trace\.enabled: role writer/);
  assert.match(await problemsOf(t, { role: 'collector', scale_out: { replicas: 9 } }), /scale_out\/replicas|scale_out\.replicas/);
  assert.equal(await problemsOf(t, { role: 'collector' }), '');
  assert.equal(await problemsOf(t, { role: 'writer', trace: { store: PG_URL } }), '');
});

async function until(check: () => Promise<boolean>, what: string, ms = 20_000, state: () => Promise<string> = async () => ''): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out waiting for ${what}: ${await state()}`);
}

async function daemon(t: TestContext, config: Record<string, unknown>): Promise<Daemon> {
  const started = await startDaemon({
    configPath: await configFile(t, { log: { level: process.env.SO_LOG ?? 'silent' }, mi: { listen: '127.0.0.1:0' }, ...config }),
    env: {}, announce: () => {},
  });
  t.after(() => started.stop());
  return started;
}

test('a collector publishes rows and events to JetStream; a writer stores each once, even when redelivered', async (t) => {
  if (!await requireService(t, 'NATS', '127.0.0.1', 4222) || !await requireService(t, 'PostgreSQL', '127.0.0.1', 5432)) return;
  const tag = newEventId().slice(-12);
  // A database of the test's own on the shared server: other tests use herald_events in `test`.
  const table = 'sip_trace';
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE herald_so_${tag}`);
  const dbUrl = `postgres://postgres@127.0.0.1:5432/herald_so_${tag}`;
  const scaleOut = { servers: ['127.0.0.1:4222'], stream: `HERALD_T_${tag}`, subject_prefix: `ht${tag}`, consumer: 'writers', ack_wait_ms: 2000, batch: 50 };
  const nats = await connect({ servers: '127.0.0.1:4222' });
  t.after(async () => {
    await (await jetstreamManager(nats)).streams.delete(scaleOut.stream).catch(() => undefined);
    await nats.close();
    await admin.query(`DROP DATABASE herald_so_${tag} WITH (FORCE)`);
    await admin.end();
  });
  const writer = await daemon(t, { role: 'writer', trace: { store: dbUrl, table }, scale_out: scaleOut, subscribers: [] });
  const collector = await daemon(t, {
    role: 'collector', trace: { table, flush_interval_ms: 20 }, scale_out: scaleOut,
    hep: { listen: '127.0.0.1:0' }, sip: { enabled: false }, ingest: { http: { listen: '127.0.0.1:0' }, opensips: { enabled: false } },
  });
  const callIds = Array.from({ length: 40 }, (_, n) => `roles-${tag}-${n}`);
  await sendHepTcp(collector.runtime.slots.get(HEP_ADDRESS_KEY)?.port ?? 0, callIds.map((id, n) => hepPacket(id, n)));
  const events = eventRecords(30, tag);
  await postEvents(collector.runtime.slots.get(INGEST_HTTP_URL_SLOT) ?? '', events.body);

  // A row published twice under different message ids (beyond the stream's de-duplication), as after a
  // collector restart: the writers' insert keeps one. And two bodies no writer can store.
  const js = jetstream(nats);
  const again = `roles-${tag}-again`;
  const row: TraceRow = {
    timeUs: Date.now() * 1000, callid: again, tracedUser: '', traceAttrs: null, msg: 'OPTIONS sip:x SIP/2.0\r\n\r\n', method: 'OPTIONS', status: '',
    fromProto: 'udp', fromIp: '10.0.0.1', fromPort: 5060, toProto: 'udp', toIp: '10.0.0.2', toPort: 5060, fromtag: '', totag: '', direction: '',
    captureId: 0, node: '', fromUser: '', toUser: '', ruriUser: '',
  };
  const body = encodeTraceRow(row, newEventId());
  await js.publish(`${scaleOut.subject_prefix}.trace`, body, { msgID: 'first' });
  await js.publish(`${scaleOut.subject_prefix}.trace`, body, { msgID: 'second' });
  await js.publish(`${scaleOut.subject_prefix}.trace`, '{"v":1,"uid":"not-a-uuid"}');
  await js.publish(`${scaleOut.subject_prefix}.ev.test.x`, 'not json');

  const offeredRows = [...callIds, again];
  await until(async () => {
    const counts = await storedCounts(dbUrl, table, offeredRows, events.ids);
    return counts.rowsOnce + counts.rowsTwice === offeredRows.length && counts.eventsOnce === events.ids.length;
  }, 'every row and event in PostgreSQL', 20_000, async () => JSON.stringify({ counts: await storedCounts(dbUrl, table, offeredRows, events.ids), writer: ingestCounters(writer.runtime.slots).snapshot(), collector: ingestCounters(collector.runtime.slots).snapshot() }));
  const counts = await storedCounts(dbUrl, table, offeredRows, events.ids);
  assert.deepEqual(counts, { rowsOnce: offeredRows.length, rowsTwice: 0, eventsOnce: events.ids.length });
  const stats = ingestCounters(writer.runtime.slots).snapshot().scale_out;
  assert.equal(stats.refused_rows, 1);
  assert.equal(stats.refused_events, 1);
  assert.ok(stats.rows_written >= offeredRows.length + 1, `rows_written ${stats.rows_written}: the repeated row went through the insert`);
  // A collector keeps no rows of its own: a search says where they are.
  await assert.rejects(collector.runtime.slots.get('trace.store')?.count() ?? Promise.resolve(), /role: collector/);
});
