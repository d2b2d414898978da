import assert from 'node:assert/strict';
import test from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { registerIngestCounters } from '../../src/runtime/ingest-counters.js';
import type { StatusRegistry } from '../../src/runtime/status/registry.js';
import { STATUS_SLOT } from '../../src/runtime/status.js';
import { startTestDaemon } from './helpers.js';

// Every built-in command, by its 3.x name and its 4.x alias, over real HTTP against a real daemon.

const READ_ONLY_ALIASES: Array<[string, string, unknown?]> = [
  ['which', 'core:which'],
  ['version', 'core:version'],
  ['events_list', 'evi:list'],
  ['subscribers_list', 'evi:subscribers'],
  ['sr_get_status', 'status_report:get', { group: 'core' }],
  ['sr_list_status', 'status_report:status'],
  ['sr_list_reports', 'status_report:reports'],
  ['sr_list_identifiers', 'status_report:identifiers'],
  ['log_level', 'core:log_level'],
];

test('every read-only command answers the same by name and by alias', async (t) => {
  const d = await startTestDaemon(t);
  for (const [name, alias, params] of READ_ONLY_ALIASES) {
    const byName = await d.call(name, params);
    const byAlias = await d.call(alias, params);
    assert.equal(byName.error, undefined, `${name}: ${byName.error?.message}`);
    assert.deepEqual(byAlias.result, byName.result, `${alias} = ${name}`);
  }
});

test('which lists every command with aliases and params; with command, one', async (t) => {
  const d = await startTestDaemon(t);
  const all = await d.result<Array<{ name: string; aliases: string[]; params: Array<{ name: string; type: string; required: boolean }> }>>('which');
  const names = all.map((entry) => entry.name);
  for (const expected of ['which', 'version', 'uptime', 'events_list', 'subscribers_list', 'event_subscribe', 'event_unsubscribe',
    'raise_event', 'evi_flat_rotate', 'sr_get_status', 'sr_list_status', 'sr_list_reports', 'sr_list_identifiers', 'log_level', 'get_statistics']) {
    assert.ok(names.includes(expected), expected);
  }
  const subscribe = all.find((entry) => entry.name === 'event_subscribe');
  assert.deepEqual(subscribe?.aliases, ['evi:subscribe']);
  assert.deepEqual(subscribe?.params.map((p) => [p.name, p.type, p.required]), [
    ['event', 'string', false], ['socket', 'string', true], ['expire', 'int', false], ['filter', 'string', false], ['delivery', 'string', false],
  ]);
  const one = await d.result<Array<{ name: string }>>('which', { command: 'evi:raise' });
  assert.deepEqual(one.map((entry) => entry.name), ['raise_event']);
  const unknown = await d.call('which', { command: 'evi:rase' });
  assert.equal(unknown.error?.code, -32001);
  assert.match(unknown.error?.message ?? '', /evi:raise/);
});

test('version and uptime', async (t) => {
  const d = await startTestDaemon(t);
  const version = await d.result<{ Server: string; version: string; node: string }>('version');
  assert.match(version.version, /^\d+\.\d+\.\d+/);
  assert.equal(version.node, process.version);
  const uptime = await d.result<Record<string, unknown>>('core:uptime');
  assert.deepEqual(Object.keys(uptime), ['Now', 'Up since', 'Up time', 'uptime_seconds']);
  assert.match(uptime['Up time'] as string, /^\d+ \[sec\]$/);
  assert.match(uptime.Now as string, /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
});

test('log_level gets, and sets the bus logger level', async (t) => {
  const d = await startTestDaemon(t);
  assert.deepEqual(await d.result('log_level'), { level: 'silent' });
  assert.deepEqual(await d.result('log_level', { level: 'debug' }), { level: 'debug', previous: 'silent' });
  assert.equal(d.daemon.runtime.bus.logger.level, 'debug');
  assert.deepEqual(await d.result('log_level'), { level: 'debug' });
});

test('events_list lists the catalogue', async (t) => {
  const d = await startTestDaemon(t);
  const { Events } = await d.result<{ Events: Array<{ name: string; id: number; level: string }> }>('events_list');
  const log = Events.find((e) => e.name === 'E_CORE_LOG');
  assert.ok(log !== undefined);
  assert.equal(typeof log.id, 'number');
  assert.equal(Events.length, d.daemon.runtime.bus.catalogue.size);
});

test('event_subscribe: default expiry 3600, refresh, filter subscriptions, expire 0 unsubscribes', async (t) => {
  const d = await startTestDaemon(t);
  const first = await d.result<Record<string, unknown>>('event_subscribe', { socket: 'memory:cmd-sub', event: 'E_CORE_LOG' });
  assert.deepEqual(first, { action: 'subscribed', socket: 'memory:cmd-sub', event: 'E_CORE_LOG', expire: 3600, ttl: 3600 });
  const again = await d.result<Record<string, unknown>>('evi:subscribe', { socket: 'memory:cmd-sub', event: 'E_CORE_LOG', expire: '120' });
  assert.equal(again.action, 'refreshed');
  assert.equal(again.expire, 120);
  const byFilter = await d.result<Record<string, unknown>>('event_subscribe', { socket: 'memory:cmd-filter', filter: 'level>=warning' });
  assert.equal(byFilter.filter, 'level>=warning');
  const badFilter = await d.call('event_subscribe', { socket: 'memory:cmd-filter', filter: 'level>=' });
  assert.equal(badFilter.error?.code, -32003);
  assert.match(badFilter.error?.message ?? '', /Bad filter/);
  const unknownEvent = await d.call('event_subscribe', { socket: 'memory:cmd-sub', event: 'E_NOPE' });
  assert.equal(unknownEvent.error?.code, -32001);
  const removed = await d.result<Record<string, unknown>>('event_subscribe', { socket: 'memory:cmd-sub', event: 'E_CORE_LOG', expire: 0 });
  assert.deepEqual(removed, { action: 'unsubscribed', socket: 'memory:cmd-sub', removed: 1 });
  assert.equal(d.daemon.runtime.bus.subscribers({ socket: 'memory:cmd-sub' }).length, 0);
});

test('subscribers_list: all events, one event, one socket, with expire and ttl or "never"', async (t) => {
  const d = await startTestDaemon(t);
  await d.daemon.runtime.bus.subscribe('memory:forever', { event: 'E_CORE_LOG' });
  await d.result('event_subscribe', { socket: 'memory:timed', event: 'E_CORE_LOG', expire: 60 });
  await d.result('event_subscribe', { socket: 'memory:timed', filter: 'level>=error', expire: 60 });
  const all = await d.result<{ Events: Array<{ name: string; Subscribers: Array<Record<string, unknown>> }>; Filters: unknown[] }>('subscribers_list');
  assert.equal(all.Events.length, 1);
  assert.equal(all.Events[0].name, 'E_CORE_LOG');
  const bySocket = Object.fromEntries(all.Events[0].Subscribers.map((s) => [s.socket, s]));
  assert.deepEqual(bySocket['memory:forever'], {
    socket: 'memory:forever', expire: 'never', ttl: 'never', mode: 'at-most-once', delivered: 0, retries: 0, failed: 0, dropped: 0,
  });
  assert.equal(bySocket['memory:timed'].expire, 60);
  assert.ok((bySocket['memory:timed'].ttl as number) <= 60 && (bySocket['memory:timed'].ttl as number) > 0);
  assert.deepEqual(all.Filters.map((f) => (f as { filter: string }).filter), ['level>=error']);
  const oneEvent = await d.result<{ Event: { name: string; Subscribers: unknown[] } }>('subscribers_list', { event: 'E_CORE_LOG' });
  assert.equal(oneEvent.Event.Subscribers.length, 2);
  const oneSocket = await d.result<{ Subscribers: Array<Record<string, unknown>> }>('subscribers_list', { socket: 'memory:timed' });
  assert.deepEqual(oneSocket.Subscribers.map((s) => s.event ?? s.filter).sort(), ['E_CORE_LOG', 'level>=error']);
  const pair = await d.result<{ Subscriber: Record<string, unknown> }>('subscribers_list', { event: 'E_CORE_LOG', socket: 'memory:forever' });
  assert.equal(pair.Subscriber.expire, 'never');
  assert.equal((await d.call('subscribers_list', { event: 'E_NOPE' })).error?.code, -32001);
  assert.equal((await d.call('subscribers_list', { socket: 'memory:nobody' })).error?.code, -32001);
});

test('event_unsubscribe removes one target or all of a socket', async (t) => {
  const d = await startTestDaemon(t);
  await d.result('event_subscribe', { socket: 'memory:unsub', event: 'E_CORE_LOG' });
  await d.result('event_subscribe', { socket: 'memory:unsub', event: 'E_CORE_THRESHOLD' });
  await d.result('event_subscribe', { socket: 'memory:unsub', filter: 'level>=error' });
  assert.deepEqual(await d.result('evi:unsubscribe', { socket: 'memory:unsub', event: 'E_CORE_LOG' }), { socket: 'memory:unsub', removed: 1 });
  assert.deepEqual(await d.result('event_unsubscribe', { socket: 'memory:unsub' }), { socket: 'memory:unsub', removed: 2 });
  assert.deepEqual(await d.result('event_unsubscribe', { socket: 'memory:unsub' }), { socket: 'memory:unsub', removed: 0 });
});

test('raise_event validates against the catalogue and returns how many subscribers received it', async (t) => {
  const d = await startTestDaemon(t);
  const params = { source: 'dns', time: 250000, extra: 'example.org' };
  assert.deepEqual(await d.result('raise_event', { event: 'E_CORE_THRESHOLD', params }), { event: 'E_CORE_THRESHOLD', subscribers: 0 });
  const store = memoryStore('cmd-raise');
  store.clear();
  await d.result('event_subscribe', { socket: 'memory:cmd-raise', event: 'E_CORE_THRESHOLD' });
  assert.deepEqual(await d.result('evi:raise', { event: 'E_CORE_THRESHOLD', params }), { event: 'E_CORE_THRESHOLD', subscribers: 1 });
  assert.deepEqual(await d.result('raise_event', { event: 'E_CORE_THRESHOLD', params: JSON.stringify(params) }), { event: 'E_CORE_THRESHOLD', subscribers: 1 });
  const text = await d.result('raise_event', { event: 'E_CORE_THRESHOLD', params: { source: 'dns', time: '7', extra: '' }, from_text: true });
  assert.deepEqual(text, { event: 'E_CORE_THRESHOLD', subscribers: 1 });
  await store.waitFor(3);
  assert.equal(store.events[2].params.time, 7, 'from_text typed "7" as an int');
  const untyped = await d.call('raise_event', { event: 'E_CORE_THRESHOLD', params: { source: 'dns', time: '7', extra: '' } });
  assert.equal(untyped.error?.code, -32602);
  assert.match(untyped.error?.message ?? '', /param "time" expected/);
  const unknown = await d.call('raise_event', { event: 'E_NOPE' });
  assert.equal(unknown.error?.code, -32001);
  assert.match(unknown.error?.message ?? '', /Unknown event "E_NOPE"/);
});

test('status report commands keep the OpenSIPS shapes', async (t) => {
  const d = await startTestDaemon(t);
  const status = d.daemon.runtime.slots.get(STATUS_SLOT) as StatusRegistry;
  status.register('backend', 'db', -1, 'connecting');
  status.register('backend', 'cache', 1, '');
  status.report('backend', 'db', 'connection refused');
  assert.deepEqual(await d.result('sr_get_status', { group: 'core' }), { Readiness: true, Status: 1, Details: 'running' });
  assert.deepEqual(await d.result('sr_get_status', { group: 'backend', identifier: 'db' }), { Readiness: false, Status: -1, Details: 'connecting' });
  assert.deepEqual(await d.result('sr_get_status', { group: 'backend', identifier: 'all' }), { Readiness: false, Status: -1, Details: 'aggregated' });
  assert.equal((await d.call('sr_get_status', { group: 'backend', identifier: 'nope' })).error?.code, -32001);
  assert.deepEqual(await d.result('sr_list_status', { group: 'backend' }), {
    Name: 'backend',
    Identifiers: [{ Name: 'db', Readiness: false, Status: -1, Details: 'connecting' }, { Name: 'cache', Readiness: true, Status: 1 }],
  });
  const groups = await d.result<Array<{ Name: string }>>('sr_list_status');
  assert.deepEqual(groups.map((g) => g.Name), ['core', 'backend']);
  const reports = await d.result<{ Name: string; Identifiers: Array<{ Name: string; Reports: Array<Record<string, unknown>> }> }>(
    'sr_list_reports', { group: 'backend', identifier: 'db' });
  assert.equal(reports.Name, 'backend');
  assert.deepEqual(Object.keys(reports.Identifiers[0].Reports[0]), ['Timestamp', 'Date', 'Log']);
  assert.equal(reports.Identifiers[0].Reports[0].Log, 'connection refused');
  assert.equal((await d.call('sr_list_reports', { identifier: 'db' })).error?.code, -32602);
  assert.deepEqual(await d.result('sr_list_identifiers', { group: 'backend' }), [{ Group: 'backend', Identifiers: ['db', 'cache'] }]);
});

test('get_statistics: per event, per subscriber, totals, queue depth, ingest and stream counters', async (t) => {
  const d = await startTestDaemon(t);
  registerIngestCounters(d.daemon.runtime.slots, 'hep', () => ({ packets: 3, errors: 1 }));
  const store = memoryStore('cmd-stats');
  store.clear();
  await d.result('event_subscribe', { socket: 'memory:cmd-stats', event: 'E_CORE_THRESHOLD' });
  await d.result('raise_event', { event: 'E_CORE_THRESHOLD', params: { source: 'dns', time: 1, extra: '' } });
  await store.waitFor(1);
  await d.daemon.runtime.bus.drain();
  const stats = await d.result<{
    totals: Record<string, number>; events: Record<string, { raised: number; dropped: number }>;
    subscribers: Array<Record<string, unknown>>; ingest: Record<string, Record<string, number>>; stream: Record<string, number>;
  }>('core:get_statistics');
  assert.deepEqual(stats.events.E_CORE_THRESHOLD, { raised: 1, dropped: 0, delivered: 1, failed: 0 });
  assert.equal(stats.totals.delivered, 1);
  const sub = stats.subscribers.find((s) => s.socket === 'memory:cmd-stats');
  assert.deepEqual(sub, { socket: 'memory:cmd-stats', event: 'E_CORE_THRESHOLD', matched: 1, delivered: 1, dropped: 0, failed: 0, retries: 0, queue_depth: 0, mode: 'at-most-once' });
  // Other services (the trace collector) publish their own ingest counters beside the test's.
  assert.deepEqual(stats.ingest.hep, { packets: 3, errors: 1 });
  assert.deepEqual(stats.stream, { clients: 0, sent: 0, dropped: 0 });
});
