import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../src/log/logger.js';
import { startDaemon } from '../../src/serve/serve.js';
import { createDestinationPolicy } from '../../src/trace/destination-policy.js';
import { TRACER_KEY } from '../../src/trace/tracer-service.js';
import { parseDestination } from '../../src/trace/tracer-ids.js';
import { miCaller, startCollector } from './collector-daemon.js';

// Issue 12 point 4: `trace_start hep:<any host>` mirrored every SIP message to an arbitrary host, and
// database URLs made the daemon connect anywhere, reporting distinct errors (a port scanner).
test('trace_start may send only to trace.allowed_destinations (default loopback) and use only stores the config names', async (t) => {
  const d = await startCollector(t, { mi: { listen: '127.0.0.1:0' } });
  const call = await miCaller(d);
  const sink = createSocket('udp4');
  t.after(() => sink.close());
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  const { port } = sink.address();
  for (const uri of ['hep:192.0.2.7:9060', 'sip:10.1.2.3', 'hep:255.255.255.255:9060', 'hep:224.0.0.1:9060', 'hep:collector.example:9060']) {
    const refused = await call('trace_start', { id: 'x', uri });
    assert.equal(refused.error?.code, -32002, uri);
    assert.match(refused.error?.message ?? '', /is not in trace\.allowed_destinations \(127\.0\.0\.0\/8, \[::1\]\)/, uri);
  }
  const before = await readdir(join(d.dir, 'data'));
  const stores = ['sqlite:/tmp/herald-outside.db', `sqlite:${join(d.dir, 'elsewhere.db')}`, 'postgres://192.0.2.7:5432/x', 'mysql://127.0.0.1:1/x'];
  const messages = new Set<string>();
  for (const uri of stores) {
    const refused = await call('trace_start', { id: 'x', uri });
    assert.equal(refused.error?.code, -32002, uri);
    messages.add(refused.error?.message ?? '');
  }
  assert.equal(messages.size, 1, 'one answer whatever the host or port: no scanner');
  assert.match([...messages][0], /only be one the config names/);
  assert.deepEqual((await readdir(d.dir)).filter((name) => name.startsWith('elsewhere')), [], 'no database, -wal or -shm was created');
  assert.deepEqual(await readdir(join(d.dir, 'data')), before);
  const allowed = await call<{ id: string }>('trace_start', { id: 'local', uri: `hep:127.0.0.1:${port}` });
  assert.equal(allowed.error, undefined);
  const store = await call<{ id: string }>('trace_start', { id: 'store', uri: 'sqlite:' });
  assert.equal(store.error, undefined, 'the configured store may be named');
});

test('allowed_destinations patterns: CIDR, port ranges, IPv6, names (never resolved), * and exact group addresses', () => {
  const check = createDestinationPolicy({
    allowed: ['10.0.0.0/8:9060', '192.0.2.1:5060-5070', '[fd00::/8]', 'homer.example:*', '239.1.1.1:9060'],
    configuredStores: [],
  });
  const allowed = (uri: string) => { try { check(parseDestination(uri)); return true; } catch { return false; } };
  assert.equal(allowed('hep:10.9.8.7:9060'), true);
  assert.equal(allowed('hep:10.9.8.7:9061'), false);
  assert.equal(allowed('sip:192.0.2.1:5065'), true);
  assert.equal(allowed('sip:192.0.2.1'), true, 'sip: defaults to 5060');
  assert.equal(allowed('sip:192.0.2.2:5065'), false);
  assert.equal(allowed('hep:[fd12::1]:9060'), true);
  assert.equal(allowed('hep:HOMER.example:1'), true);
  assert.equal(allowed('hep:other.example:9060'), false);
  assert.equal(allowed('hep:239.1.1.1:9060'), true, 'an exact multicast address');
  const any = createDestinationPolicy({ allowed: ['*'], configuredStores: [] });
  assert.throws(() => any(parseDestination('hep:239.1.1.1:9060')), /multicast or broadcast address must be listed exactly/);
  assert.doesNotThrow(() => any(parseDestination('hep:198.51.100.1:9060')));
  for (const bad of ['10.0.0.0/33', 'host:0', '[::1', 'a b', '10.0.0.1:9-1']) {
    assert.throws(() => createDestinationPolicy({ allowed: [bad], configuredStores: [] }), { code: 'HERALD_ERR_CONFIG' }, bad);
  }
});

// Issue 12 point 26: trace ids from trace_start vanished on restart.
test('trace_start ids survive a restart until trace_stop', async (t) => {
  const d = await startCollector(t, { mi: { listen: '127.0.0.1:0' } });
  const call = await miCaller(d);
  assert.equal((await call('trace_start', { id: 'kept', uri: 'hep:127.0.0.1:9999', filter: ['caller=alice'] })).error, undefined);
  assert.equal((await call('trace_start', { id: 'stopped', uri: 'sip:127.0.0.1:9998' })).error, undefined);
  assert.equal((await call('trace_stop', { id: 'stopped' })).error, undefined);
  await d.daemon.stop();
  const again = await startDaemon({ configPath: d.configPath, env: {}, announce: () => undefined, logger: silentLogger() });
  t.after(() => again.stop());
  const tracer = again.runtime.slots.get(TRACER_KEY);
  const dynamic = tracer?.status().ids.filter((id) => id.dynamic) ?? [];
  assert.deepEqual(dynamic.map((id) => [id.id, id.filters, id.destinations[0].uri]), [['kept', ['caller=alice'], 'hep:127.0.0.1:9999;transport=udp;version=3']]);
});
