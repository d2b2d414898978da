import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { memoryStore } from '../../src/backends/memory/index.js';
import { loadConfig } from '../../src/config/load.js';
import { SipParsePool } from '../../src/trace/sip-pool/sip-parse-pool.js';
import { THRESHOLDS_SLOT, sharedThresholds, startCoreEventsService } from '../../src/process/service.js';
import { SIP_PARSE_POOL_SLOT, startSipParsePoolService } from '../../src/trace/sip-pool/service.js';
import { statusRegistryOf } from '../../src/runtime/status.js';
import { startDaemon } from '../../src/serve/serve.js';
import { uniqueMemorySocket } from '../helpers/bus.js';
import { isolatedDaemonYaml, until } from './helpers.js';

async function daemonWith(t: { after(fn: () => unknown): void }, coreEvents: string[], socket: string, filter: string) {
  const dir = await mkdtemp(join(tmpdir(), 'herald-core-events-'));
  await writeFile(join(dir, 'herald.yaml'), [
    ...isolatedDaemonYaml(join(dir, 'data')),
    'subscribers:',
    `  - socket: ${socket}`,
    `    filter: "${filter}"`,
    'core_events:',
    ...coreEvents.map((line) => `  ${line}`),
  ].join('\n'));
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const daemon = await startDaemon({ configPath: join(dir, 'herald.yaml'), env: {}, announce: () => {}, logger, services: [startCoreEventsService, startSipParsePoolService] });
  t.after(() => daemon.stop());
  return { daemon, lines, store: memoryStore(socket.slice('memory:'.length)) };
}

test('config defaults: everything off but TCP disconnects; thresholds in µs per source', async () => {
  const { config } = await loadConfig(undefined, {});
  assert.deepEqual(config.core_events, {
    enabled: true,
    thresholds_us: { event_loop: 0, dns: 0, http_server: 0, http_client: 0, tcp_write: 0, store: 0 },
    threshold_extra_length: 256,
    memory: { heap_threshold_percent: 0, rss_threshold_percent: 0, sample_interval_ms: 1000 },
    autoscale: { profile: '', cycle_ms: 1000 },
    tcp_disconnect: true,
    log_event_enabled: false,
    log_event_level: 'trace',
    log_prefix: '',
    instrument: { http: false, net: false, dns: false },
  });
});

test('serve wires core_events: shared thresholds for the store, E_CORE_LOG from Herald\'s own logger, the parse pool', async (t) => {
  const socket = uniqueMemorySocket('service');
  const { daemon, lines, store } = await daemonWith(t, [
    'thresholds_us:',
    '  store: 20000',
    'log_event_enabled: true',
    'log_event_level: warn',
    'log_prefix: "herald: "',
    'autoscale:',
    '  profile: scale up to 2 on 80% for 2 cycles scale down to 1 on 10% for 3 cycles',
    '  cycle_ms: 50',
  ], socket, 'event=E_CORE_THRESHOLD OR event=E_CORE_LOG');
  const { runtime } = daemon;

  const thresholds = sharedThresholds(runtime);
  assert.ok(thresholds !== undefined);
  await thresholds.time('store', () => new Promise((resolve) => setTimeout(resolve, 60)), 'SELECT * FROM sip_trace');
  const slow = await until('store threshold', () => store.events.find((e) => e.name === 'E_CORE_THRESHOLD' && e.params.source === 'store'));
  assert.equal(slow.params.extra, 'SELECT * FROM sip_trace');
  assert.ok(lines.some((line) => line.includes('Operation exceeded its threshold.')), 'the slow query is logged too, as OpenSIPS does');

  runtime.logger.child({ module: 'trace' }).error('Store unreachable.');
  runtime.logger.info('Below the log_event_level.');
  const logged = await until('E_CORE_LOG', () => store.events.find((e) => e.name === 'E_CORE_LOG' && e.params.message === 'Store unreachable.'));
  assert.deepEqual([logged.params.module, logged.params.prefix, logged.params.level], ['trace', 'herald: ', 'ERROR']);
  assert.equal(store.events.some((e) => e.params.message === 'Below the log_event_level.'), false);
  // Issue 12 point 15: the breach is E_CORE_THRESHOLD once, not also an E_CORE_LOG of its log line (logged earlier, so already here).
  assert.equal(store.events.filter((e) => e.name === 'E_CORE_LOG' && e.params.message === 'Operation exceeded its threshold.').length, 0);

  const pool = runtime.slots.get(SIP_PARSE_POOL_SLOT);
  assert.ok(pool instanceof SipParsePool);
  assert.equal((await pool.parse([Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\n\r\n')]))[0].method, 'OPTIONS');
  assert.deepEqual(statusRegistryOf(runtime).identifiers('auto-scaling').map((i) => i.name), ['sip_parse']);

  await daemon.stop();
  assert.equal(runtime.slots.has(THRESHOLDS_SLOT), false);
  assert.equal(runtime.slots.has(SIP_PARSE_POOL_SLOT), false);
});

test('a bad auto-scaling profile stops serve from starting, naming the problem', async (t) => {
  const socket = uniqueMemorySocket('bad');
  await assert.rejects(daemonWith(t, ['autoscale:', '  profile: scale up to 2 on 80% for 3 cycles within 2'], socket, 'level>=info'), {
    code: 'HERALD_ERR_CONFIG',
    message: /C \(3\) must be at least 1 and at most W \(2\)/,
  });
});

test('core_events.enabled: false starts nothing', async (t) => {
  const socket = uniqueMemorySocket('off');
  const { daemon } = await daemonWith(t, ['enabled: false'], socket, 'level>=info');
  assert.equal(daemon.runtime.slots.has(THRESHOLDS_SLOT), false);
});
