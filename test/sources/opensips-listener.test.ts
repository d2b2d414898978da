import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { test } from 'node:test';
import type { HeraldEvent } from '../../src/events/event.js';
import { Intake } from '../../src/sources/ingest/intake.js';
import { listenOpensips } from '../../src/sources/opensips/listener.js';
import { testBus } from '../helpers/bus.js';
import { ingestContext } from './ingest-helpers.js';

async function start(t: { after(fn: () => void | Promise<void>): void }) {
  const bus = testBus(t);
  const seen: HeraldEvent[] = [];
  bus.tap((event) => seen.push(event));
  const intake = new Intake(bus);
  const pair = await listenOpensips({ host: '127.0.0.1', port: 0, ctx: ingestContext('opensips', undefined), intake, maxObjectBytes: 4096, maxConnections: 4 });
  t.after(() => pair.close(100));
  return { seen, intake, port: pair.port };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check(), 'condition never held');
}

test('UDP: JSON-RPC and <= 3.0 text datagrams land typed by the core pack; junk is counted', async (t) => {
  const { seen, intake, port } = await start(t);
  const udp = createSocket('udp4');
  t.after(() => udp.close());
  const send = (text: string) => new Promise<void>((resolve) => udp.send(Buffer.from(text), port, '127.0.0.1', () => resolve()));
  await send('{"jsonrpc":"2.0","method":"E_CORE_TCP_DISCONNECT","params":{"src_ip":"10.0.0.1","src_port":5060,"dst_ip":"10.0.0.2","dst_port":5061,"proto":"tcp"}}');
  await send('E_CORE_THRESHOLD\nsource::dns\ntime::9\nextra::example.org\n\n');
  await send('{"jsonrpc":"2.0"');
  await until(() => seen.length === 2 && intake.stats.get('rejected') === 1);
  assert.deepEqual(seen.map((e) => e.def.name).sort(), ['E_CORE_TCP_DISCONNECT', 'E_CORE_THRESHOLD']);
  assert.equal(intake.stats.get('rejected.malformed'), 1);
});

test('TCP (event_stream): back-to-back objects land typed; requests with ids get a reply each', async (t) => {
  const { seen, port } = await start(t);
  const socket = connect(port, '127.0.0.1');
  t.after(() => socket.destroy());
  let replies = '';
  socket.on('data', (chunk) => { replies += chunk.toString(); });
  const event = (id: number, time: number | string) => `{"id":${id},"jsonrpc":"2.0","method":"E_CORE_THRESHOLD","params":{"source":"dns","time":${JSON.stringify(time)},"extra":"x"}}`;
  const stream = `${event(1, 5)}${event(2, 'slow')}{"jsonrpc":"2.0","method":"E_CORE_THRESHOLD","params":{"source":"tcp_write","time":7,"extra":""}}`;
  socket.write(stream.slice(0, 50));
  socket.write(stream.slice(50));
  await until(() => seen.length === 2 && replies.includes('"id":2'));
  assert.deepEqual(seen.map((e) => e.params.time), [5, 7]);
  const parsed = replies.replace(/}{/g, '}\n{').split('\n').map((line) => JSON.parse(line) as { id: number; result?: string; error?: unknown });
  assert.deepEqual(parsed.map((r) => [r.id, r.result ?? 'error']), [[1, 'OK'], [2, 'error']]);
});
