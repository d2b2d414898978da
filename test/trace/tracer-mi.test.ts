import assert from 'node:assert/strict';
import { test } from 'node:test';
import { miCaller, sendUdp, startCollector } from './collector-daemon.js';
import { loadFixtures, until } from './tracer-fixtures.js';

const HEP = loadFixtures('hep');

interface Status {
  global: string;
  ids: Array<{ state: string }>;
}

test('MI: sip_trace (2.x positional), tracer:trace, trace_search and trace_show over JSON-RPC', async (t) => {
  const d = await startCollector(t, { mi: { listen: '127.0.0.1:0' } });
  const mi = await miCaller(d);
  const call = <T = Status>(method: string, params?: unknown) => mi<T>(method, params);

  assert.equal((await call('sip_trace', ['off'])).result.global, 'off', 'a lone positional on/off is the global switch');
  assert.equal((await call('tracer:trace', { mode: 'on' })).result.global, 'on');
  assert.equal((await call('sip_trace', ['default', 'off'])).result.ids[0].state, 'off');
  assert.equal((await call('trace', { id: 'default', mode: 'on' })).result.ids[0].state, 'on');
  assert.equal((await call('trace', { id: 'nope' })).error?.code, -32001);
  assert.equal((await call('trace', { mode: 'maybe' })).error?.code, -32602);
  assert.equal((await call('trace_start', { id: 'x', uri: 'ftp://nowhere' })).error?.code, -32003);

  await sendUdp(d.hep.port, HEP.map((f) => f.bytes));
  await until(async () => (await d.store.count()) === HEP.length);
  const found = await call<unknown[]>('trace_search', { callid: '2-19411@127.0.0.1', status: '180' });
  assert.equal(found.result.length, 2);
  assert.equal((await call('trace_search', { status: 'bogus' })).error?.code, -32602);
  const shown = await call<{ columns: string[]; entries: unknown[]; text: string }>('trace_show', { callid: '3-19411@127.0.0.1' });
  assert.deepEqual(shown.result.columns, ['127.0.0.1:5080', '127.0.0.1:5060', '127.0.0.1:5070']);
  assert.equal(shown.result.entries.length, 8);
  assert.match(shown.result.text, /^Call-ID 3-19411@127\.0\.0\.1: 8 messages, 3 endpoints/);
});
