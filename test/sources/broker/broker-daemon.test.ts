import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { connectAsync } from 'mqtt';
import { silentLogger } from '../../../src/log/logger.js';
import { ingestCounters } from '../../../src/runtime/ingest-counters.js';
import { statusRegistryOf } from '../../../src/runtime/status.js';
import { startDaemon } from '../../../src/serve/serve.js';
import { requireService } from '../../../src/testing/services.js';
import { sourcesOnlyConfig, startSourcesDaemon } from '../sources-daemon.js';
import { record, threshold, until } from './source-helpers.js';

test('herald serve starts ingest.mqtt and ingest.redis from config: events land, a bad body is counted, both show in status and stats', async (t) => {
  if (!await requireService(t, 'Mosquitto', '127.0.0.1', 1883) || !await requireService(t, 'Redis', '127.0.0.1', 6379)) return;
  const dir = await mkdtemp(join(tmpdir(), 'herald-broker-daemon-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const topic = `herald-test/${randomUUID()}`;
  const stream = `herald-test:${randomUUID()}`;
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  t.after(async () => {
    await redis.del(stream);
    redis.disconnect();
  });
  await redis.xadd(stream, '*', 'event', record(threshold('redis', 'from redis')));
  await redis.xadd(stream, '*', 'event', '{"broken"');
  const { daemon, seen } = await startSourcesDaemon(t, dir, {
    name: 'broker-daemon',
    filter: 'event=E_CORE_THRESHOLD',
    ingest: {
      http: { enabled: false },
      opensips: { enabled: false },
      mqtt: { enabled: true, topic: `${topic}/#`, client_id: `herald-test-${randomUUID()}`, clean: true },
      redis: { enabled: true, stream, start_id: '0' },
    },
  });

  const mqtt = await connectAsync('mqtt://127.0.0.1:1883');
  t.after(() => mqtt.endAsync());
  // The daemon's subscription is made in the background: publish until the event arrives.
  await until('the MQTT event', async () => {
    await mqtt.publishAsync(`${topic}/a`, record(threshold('mqtt', 'from mqtt')), { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    return seen.some((event) => event.params.extra === 'from mqtt');
  });
  await mqtt.publishAsync(`${topic}/a`, 'not json', { qos: 1 });
  const counters = () => ingestCounters(daemon.runtime.slots).snapshot();
  await until('the Redis event and both refusals', () => seen.some((event) => event.params.extra === 'from redis')
    && counters().mqtt?.rejected === 1 && counters().redis?.rejected === 1, () => JSON.stringify(counters()));

  assert.equal(counters().redis.accepted, 1);
  assert.ok(counters().mqtt.accepted >= 1);
  assert.equal(counters().mqtt['rejected.malformed'], 1);
  assert.ok('duplicates' in counters().redis && 'retried_busy' in counters().mqtt, 'the kit counters are in stats');
  const status = statusRegistryOf(daemon.runtime).identifiers('ingest');
  assert.deepEqual(status.map((s) => s.name).sort(), ['mqtt', 'redis']);
  assert.match(status.map((s) => String(s.details)).join('\n'), new RegExp(`stream ${stream} group herald`));
});

test('herald serve refuses an ingest.mqtt topic that is not a filter and an ingest.redis without a stream, naming the key', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-broker-daemon-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const configPath = join(dir, 'herald.yaml');
  const start = async (ingest: Record<string, unknown>) => {
    await writeFile(configPath, JSON.stringify(sourcesOnlyConfig(dir, { http: { enabled: false }, opensips: { enabled: false }, ...ingest })));
    const daemon = await startDaemon({ configPath, env: {}, announce: () => undefined, logger: silentLogger() });
    await daemon.stop();
  };
  await assert.rejects(start({ mqtt: { enabled: true, topic: 'herald/#/events' } }), { code: 'HERALD_ERR_CONFIG', message: /ingest\.mqtt\.topic: "herald\/#\/events" is not a topic filter/ });
  await assert.rejects(start({ redis: { enabled: true } }), { code: 'HERALD_ERR_CONFIG', message: /ingest\.redis\.stream: the stream to read must be named/ });
});
