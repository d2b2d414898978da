import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { HeraldEvent } from '../../src/events/event.js';
import { ingestCounters } from '../../src/runtime/ingest-counters.js';
import { statusRegistryOf } from '../../src/runtime/status.js';
import { INGEST_HTTP_URL_SLOT } from '../../src/sources/http/service.js';
import { INGEST_OPENSIPS_ADDRESS_SLOT } from '../../src/sources/opensips/service.js';
import { dovecotBodies } from './ingest-helpers.js';
import { startSourcesDaemon } from './sources-daemon.js';

/** `herald serve` in-process with every ingest source on OS-chosen loopback ports and the OME follower on a temp dir. */
function startIngestDaemon(t: TestContext, dir: string) {
  return startSourcesDaemon(t, dir, {
    name: 'ingest',
    // Every event.
    filter: 'level>=trace',
    ingest: {
      http: { listen: '127.0.0.1:0' },
      opensips: { listen: '127.0.0.1:0' },
      ome: { enabled: true, dir: join(dir, 'ome'), poll_ms: 20 },
    },
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check(), 'condition never held');
}

function omeLine(n: number): string {
  return JSON.stringify({
    time: '2025-03-26T05:21:46.315+00:00', level: 'Info', category: 'StreamEvent', type: 'StreamDeleted',
    sourceId: `#default#app/s${n}`, summary: `Stream deleted. Id: ${n}, StreamType: Rtmp, SourceUrl: TCP://10.0.0.1:${n}`,
  });
}

test('herald serve starts every ingest source from config `ingest`; events land typed; counters in stats and status', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-ingest-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'ome'));
  writeFileSync(join(dir, 'ome', 'events.log'), `${omeLine(1)}\n`);
  const { daemon, seen } = await startIngestDaemon(t, dir);
  const slots = daemon.runtime.slots;

  const url = slots.get(INGEST_HTTP_URL_SLOT) as string;
  for (const { body } of dovecotBodies('dovecot-json')) {
    assert.equal((await fetch(`${url}/ingest/dovecot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, 204);
  }
  const ndjson = await fetch(`${url}/ingest`, { method: 'POST', body: '{"type":"E_CORE_THRESHOLD","params":{"source":"dns","time":1,"extra":""}}\n' });
  assert.equal(ndjson.status, 200);

  const { port } = slots.get(INGEST_OPENSIPS_ADDRESS_SLOT) as { port: number };
  const udp = createSocket('udp4');
  t.after(() => udp.close());
  await new Promise<void>((resolve) => udp.send('{"jsonrpc":"2.0","method":"E_CORE_TCP_DISCONNECT","params":{"src_ip":"10.0.0.1","src_port":1,"dst_ip":"10.0.0.2","dst_port":2,"proto":"tcp"}}', port, '127.0.0.1', () => resolve()));

  const ingested = () => seen.filter((e) => e.def.name !== 'E_CORE_SR_STATUS_CHANGED');
  await until(() => ingested().length === 23);
  const names = new Set(ingested().map((e) => e.def.name));
  for (const name of ['imap_command_finished', 'mail_user_session_finished', 'E_CORE_THRESHOLD', 'E_CORE_TCP_DISCONNECT', 'StreamDeleted']) assert.ok(names.has(name), name);
  const counters = ingestCounters(slots).snapshot();
  assert.equal(counters.dovecot.accepted, 20);
  assert.equal(counters.http.accepted, 1);
  assert.equal(counters.opensips.accepted, 1);
  assert.equal(counters.ome.accepted, 1);
  assert.deepEqual(statusRegistryOf(daemon.runtime).identifiers('ingest').map((s) => s.name).sort(), ['dovecot', 'http', 'ome', 'opensips']);
});

test('OME: a restart in the middle and a roll while down — every line exactly once across two daemons', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-ingest-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const log = join(dir, 'ome', 'events.log');
  mkdirSync(join(dir, 'ome'));
  writeFileSync(log, `${omeLine(1)}\n${omeLine(2)}\n${omeLine(3).slice(0, 20)}`);
  const first = await startIngestDaemon(t, dir);
  const streams = (events: readonly HeraldEvent[]) => events.filter((e) => e.def.name === 'StreamDeleted').map((e) => e.params.streamId);
  await until(() => streams(first.seen).length === 2);
  await first.stop();
  appendFileSync(log, `${omeLine(3).slice(20)}\n${omeLine(4)}\n`);
  renameSync(log, join(dir, 'ome', 'events.log.20250326'));
  writeFileSync(log, `${omeLine(5)}\n`);
  const second = await startIngestDaemon(t, dir);
  await until(() => streams(second.seen).length === 3);
  appendFileSync(log, `${omeLine(6)}\n`);
  await until(() => streams(second.seen).length === 4);
  assert.deepEqual([...streams(first.seen), ...streams(second.seen)], [1, 2, 3, 4, 5, 6]);
});
