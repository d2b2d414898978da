import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Backend, WriteResult } from '../../src/bus/backend.js';
import type { HeraldEvent } from '../../src/events/event.js';
import { Intake } from '../../src/sources/ingest/intake.js';
import { createIngestHttpServer } from '../../src/sources/http/server.js';
import { testBus } from '../helpers/bus.js';
import { Value } from '@sinclair/typebox/value';
import { eventToJsonLine } from '../../src/events/serialize-json.js';
import { MetricDefinitionSchema, type MetricDefinition } from '../../src/metrics/definition.js';
import { dumpTable, parseDumpFields } from '../../src/metrics/dump.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { dovecotBodies, ingestContext } from './ingest-helpers.js';

async function start(t: { after(fn: () => void | Promise<void>): void }, token?: string, maxBodyBytes = 1 << 20, maxQueueEvents = 10_000) {
  const bus = testBus(t, { delivery: { maxQueueEvents } });
  const seen: HeraldEvent[] = [];
  bus.tap((event) => seen.push(event));
  const records = { ctx: ingestContext('ingest', undefined), intake: new Intake(bus) };
  const dovecot = { ctx: ingestContext('dovecot', ['dovecot']), intake: new Intake(bus) };
  const app = createIngestHttpServer({
    records, dovecot, token, maxBodyBytes, maxLineBytes: 4096, retryAfterSeconds: 1,
    limits: { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 65_000, idleMs: 120_000, maxConnections: 512 },
    guard: { allowedOrigins: [], allowedHosts: [], listenHost: '127.0.0.1', keys: { origins: 'mi.allowed_origins', hosts: 'mi.allowed_hosts' } },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => app.close());
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { bus, seen, records, dovecot, url };
}

test('POST /ingest/dovecot: every recorded body over one keep-alive connection lands typed; 204 each', async (t) => {
  const { seen, dovecot, url } = await start(t);
  const bodies = [...dovecotBodies('dovecot-json').map((b) => [b, 'application/json'] as const), ...dovecotBodies('dovecot-tabtext').map((b) => [b, 'text/plain'] as const)];
  for (const [{ file, body }, type] of bodies) {
    const response = await fetch(`${url}/ingest/dovecot`, { method: 'POST', headers: { 'content-type': type }, body });
    assert.equal(response.status, 204, file);
  }
  assert.equal(seen.length, 28);
  assert.ok(seen.every((event) => event.def.pack === 'dovecot'));
  assert.equal(dovecot.intake.stats.get('accepted'), 28);
  assert.equal(dovecot.intake.stats.get('accepted_untyped'), 0);
  const odd = await fetch(`${url}/ingest/dovecot`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<x/>' });
  assert.equal(odd.status, 415);
  const bad = await fetch(`${url}/ingest/dovecot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":' });
  assert.equal(bad.status, 400);
  assert.equal(dovecot.intake.stats.get('rejected.unsupported_media_type'), 1);
  assert.equal(dovecot.intake.stats.get('rejected.malformed'), 1);
});

test('POST /ingest: NDJSON with a bad line — the rest accepted, the response counts both and names the line', async (t) => {
  const { seen, records, url } = await start(t);
  const good = '{"type":"E_CORE_THRESHOLD","params":{"source":"dns","time":12,"extra":"x"}}';
  const response = await fetch(`${url}/ingest`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: `${good}\n{"type":"E_CORE_THRESHOLD","params":{}}\n${good}\n` });
  assert.equal(response.status, 200);
  const answer = await response.json() as { accepted: number; rejected: number; errors: Array<{ line: number; reason: string }> };
  assert.deepEqual([answer.accepted, answer.rejected, answer.errors[0].line, answer.errors[0].reason], [2, 1, 2, 'invalid_params']);
  assert.equal(seen.length, 2);
  const none = await fetch(`${url}/ingest`, { method: 'POST', body: 'junk' });
  assert.equal(none.status, 400);
  assert.equal(records.intake.stats.get('rejected'), 2);
});

test('token: refused without it (401, counted), taken as bearer, URL credentials or ?token=', async (t) => {
  const token = 'a-long-enough-ingest-token';
  const { records, url } = await start(t, token);
  const body = '{"type":"E_CORE_THRESHOLD","params":{"source":"dns","time":12,"extra":"x"}}';
  assert.equal((await fetch(`${url}/ingest`, { method: 'POST', body })).status, 401);
  assert.equal((await fetch(`${url}/ingest`, { method: 'POST', body, headers: { authorization: `Bearer ${token}` } })).status, 200);
  assert.equal((await fetch(`${url}/ingest`, { method: 'POST', body, headers: { authorization: `Basic ${Buffer.from(`herald:${token}`).toString('base64')}` } })).status, 200);
  assert.equal((await fetch(`${url}/ingest?token=${token}`, { method: 'POST', body })).status, 200);
  assert.equal((await fetch(`${url}/ingest?token=wrong`, { method: 'POST', body })).status, 401);
  assert.equal(records.intake.stats.get('rejected.unauthorized'), 2);
});

test('a foreign Origin is refused (403), an oversized body is refused (413), each counted by reason', async (t) => {
  const { dovecot, url } = await start(t, undefined, 1024);
  const origin = await fetch(`${url}/ingest/dovecot`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, body: '{}' });
  assert.equal(origin.status, 403);
  const big = await fetch(`${url}/ingest/dovecot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(4096) });
  assert.equal(big.status, 413);
  assert.equal(dovecot.intake.stats.get('rejected.forbidden'), 1);
  assert.equal(dovecot.intake.stats.get('rejected.too_large'), 1);
});

test('back-pressure: with a subscriber queue full, POSTs get 429 + Retry-After and nothing is raised', async (t) => {
  const { bus, seen, records, url } = await start(t, undefined, 1 << 20, 4);
  // A subscriber whose backend never finishes a write, with a queue of four.
  const stuck: Backend = { open: async () => {}, write: () => new Promise<WriteResult>(() => {}), flush: async () => {}, close: async () => {} };
  bus.backends.register({ transport: 'stuck', description: 'test', create: () => stuck });
  await bus.subscribe('stuck:x', { event: 'E_CORE_THRESHOLD' });
  const body = '{"type":"E_CORE_THRESHOLD","params":{"source":"dns","time":12,"extra":"x"}}';
  for (let i = 0; i < 4; i++) assert.equal((await fetch(`${url}/ingest`, { method: 'POST', body })).status, 200);
  assert.equal(bus.saturation(), 1);
  const raised = seen.length;
  const refused = await fetch(`${url}/ingest`, { method: 'POST', body });
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('retry-after'), '1');
  assert.equal(records.intake.stats.get('rejected.busy'), 1);
  assert.equal(seen.length, raised, 'nothing raised while refused');
  assert.equal(bus.statistics().totals.dropped, 0, 'and nothing dropped by the bus');
});

test('POST /ingest/dovecot: the exporter\'s flattened parent fields stay flat (no parent link), and group_by can use them', async (t) => {
  const { bus, seen, url } = await start(t);
  const metrics = new Metrics({ bus });
  metrics.add(Value.Default(MetricDefinitionSchema, {
    name: 'imap_by_user', filter: 'event=imap_command_finished', fields: ['bytes_out'], group_by: ['user', 'cmd_name'],
  }) as MetricDefinition);
  const commands = dovecotBodies('dovecot-json').filter(({ body }) => body.toString().includes('"imap_command_finished"'));
  assert.ok(commands.length >= 2, 'the recordings hold IMAP commands');
  for (const { body } of commands) {
    assert.equal((await fetch(`${url}/ingest/dovecot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, 204);
  }
  const received = seen.filter((event) => event.name === 'imap_command_finished');
  assert.equal(received.length, commands.length);
  // `user` and `session` come from the IMAP session, Dovecot's parent of the command; the exporter flattened them.
  const record = JSON.parse(eventToJsonLine(received[0])) as { params: Record<string, unknown> };
  assert.equal(record.params.user, 'alice');
  assert.equal(typeof record.params.session, 'string');
  assert.equal(received[0].inherited, undefined, 'ingest keeps the record as sent: no parent of its own');
  const table = dumpTable(metrics.dump(), parseDumpFields('count'));
  assert.deepEqual(table.rows.find((r) => r[0] === 'imap_by_user_alice' && r[1] === 'bytes_out')?.slice(2), [commands.length]);
});
