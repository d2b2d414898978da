import assert from 'node:assert/strict';
import { connect } from 'node:net';
import test from 'node:test';
import type { MiAddress } from '../../src/mi/service.js';
import { startTestDaemon, type TestDaemon } from './helpers.js';

const THRESHOLD = { source: 'dns', time: 250000, extra: 'example.org' };
const LOG = { time: 't', pid: 1, level: 'INFO', module: 'm', function: 'f', prefix: '', message: 'hello' };

/** Reads SSE data messages from a fetch body until `count` arrived. */
async function readMessages(response: Response, count: number): Promise<Array<{ event: string; data: string }>> {
  const out: Array<{ event: string; data: string }> = [];
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    const blocks = pending.split('\n\n');
    pending = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      const event = block.split('\n').find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      if (data !== '') out.push({ event, data });
      if (out.length >= count) return out;
    }
  }
  return out;
}

async function streamStats(d: TestDaemon) {
  return (await d.result<{ stream: { clients: number; sent: number; dropped: number } }>('get_statistics')).stream;
}

async function waitForClients(d: TestDaemon, clients: number): Promise<void> {
  while ((await streamStats(d)).clients !== clients) await new Promise((resolve) => setTimeout(resolve, 10));
}

test('the stream sends matching events as JSON event records, and nothing else', async (t) => {
  const d = await startTestDaemon(t);
  const controller = new AbortController();
  t.after(() => controller.abort());
  const response = await fetch(`${d.url}/events/stream?filter=${encodeURIComponent('level>=warning')}`, { headers: d.auth, signal: controller.signal });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const messages = readMessages(response, 2);
  await d.result('raise_event', { event: 'E_CORE_LOG', params: LOG });
  await d.result('raise_event', { event: 'E_CORE_THRESHOLD', params: THRESHOLD });
  await d.result('raise_event', { event: 'E_CORE_THRESHOLD', params: { ...THRESHOLD, source: 'tcp' } });
  const received = (await messages).map((m) => JSON.parse(m.data) as Record<string, unknown>);
  assert.deepEqual(received.map((r) => [r.type, r.level, (r.params as { source: string }).source]), [
    ['E_CORE_THRESHOLD', 'warning', 'dns'], ['E_CORE_THRESHOLD', 'warning', 'tcp'],
  ]);
  assert.deepEqual(Object.keys(received[0]), ['time', 'level', 'category', 'type', 'sourceId', 'summary', 'params']);
  assert.match(received[0].time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
});

test('a bad filter gets 400 with the syntax error', async (t) => {
  const d = await startTestDaemon(t);
  const response = await fetch(`${d.url}/events/stream?filter=${encodeURIComponent('level>=')}`, { headers: d.auth });
  assert.equal(response.status, 400);
  const body = await response.json() as { error: string; code: string };
  assert.match(body.error, /Filter syntax error at position/);
  assert.equal(body.code, 'HERALD_ERR_FILTER_SYNTAX');
  const twice = await fetch(`${d.url}/events/stream?filter=a&filter=b`, { headers: d.auth });
  assert.equal(twice.status, 400);
});

test('a client that disconnects is removed and its tap released', async (t) => {
  const d = await startTestDaemon(t);
  const controller = new AbortController();
  const response = await fetch(`${d.url}/events/stream`, { headers: d.auth, signal: controller.signal });
  assert.equal(response.status, 200);
  await waitForClients(d, 1);
  controller.abort();
  await waitForClients(d, 0);
  assert.deepEqual(await d.result('raise_event', { event: 'E_CORE_LOG', params: LOG }), { event: 'E_CORE_LOG', subscribers: 0 });
  assert.equal((await streamStats(d)).sent, 0, 'nothing was sent to the closed client');
});

test('a client that does not read loses events beyond its backlog, counted, and is told once it catches up', async (t) => {
  const d = await startTestDaemon(t, { mi: { stream_buffer_events: 2 } });
  const address = d.daemon.runtime.slots.get('mi.address') as MiAddress;
  const socket = connect({ host: address.host, port: address.port });
  t.after(() => socket.destroy());
  let received = '';
  socket.on('data', (chunk) => { received += chunk.toString(); });
  socket.write(`GET /events/stream HTTP/1.1\r\nHost: ${address.host}\r\nAuthorization: ${d.auth.authorization}\r\n\r\n`);
  await waitForClients(d, 1);
  socket.pause();
  const big = { ...LOG, message: 'x'.repeat(64 * 1024) };
  const bus = d.daemon.runtime.bus;
  for (let i = 0; i < 2000 && (await streamStats(d)).dropped === 0; i++) {
    for (let j = 0; j < 10; j++) bus.raiseUntyped('E_CORE_LOG', big);
  }
  const { dropped } = await streamStats(d);
  assert.ok(dropped > 0, 'events were dropped for the slow client');
  socket.resume();
  while (!received.includes('event: dropped')) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.match(received, /event: dropped\r?\ndata: \{"dropped":\d+\}/);
});
