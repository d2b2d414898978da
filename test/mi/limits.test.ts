import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { rawExchange } from '../helpers/raw-http.js';
import test from 'node:test';
import type { MiAddress } from '../../src/mi/service.js';
import { startTestDaemon, type RpcReply } from './helpers.js';

test('a body over mi.max_body_bytes gets 413 with a JSON-RPC error; the daemon keeps serving', async (t) => {
  const d = await startTestDaemon(t, { mi: { max_body_bytes: 1024 } });
  const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'version', params: { pad: 'x'.repeat(4096) } });
  const response = await d.post(big);
  assert.equal(response.status, 413);
  const reply = await response.json() as RpcReply;
  assert.equal(reply.error?.code, -32600);
  assert.match(reply.error?.message ?? '', /larger than mi\.max_body_bytes \(1024 bytes\)/);
  assert.ok((await d.call('version')).result !== undefined);
});

test('a batch longer than mi.max_batch is refused as a whole with -32600', async (t) => {
  const d = await startTestDaemon(t, { mi: { max_batch: 3 } });
  const calls = (n: number) => Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'version' }));
  const refused = await (await d.post(JSON.stringify(calls(4)))).json() as RpcReply;
  assert.equal(refused.error?.code, -32600);
  assert.match(refused.error?.message ?? '', /batch of 4 calls is longer than mi\.max_batch \(3\)/);
  const accepted = await (await d.post(JSON.stringify(calls(3)))).json() as RpcReply[];
  assert.equal(accepted.length, 3);
});

test('malformed input of every kind gets an error answer, and a valid call still succeeds afterwards', async (t) => {
  const d = await startTestDaemon(t);
  const address = d.daemon.runtime.slots.get('mi.address') as MiAddress;
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const json = { 'content-type': 'application/json' };
  const bodies: Array<[string | Buffer, Record<string, string>]> = [
    [Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x7b]), json],
    ['{"jsonrpc":"2.0","id":1,"method":"version"}', { 'content-type': 'text/plain' }],
    ['jsonrpc=2.0&method=version', { 'content-type': 'application/x-www-form-urlencoded' }],
    [deep, json],
    ['{"jsonrpc":"2.0","id":1,"method":"raise_event","params":{"event":"E_CORE_LOG","params":"{\\"pid\\":"}}', json],
    ['{"__proto__":{"polluted":true},"jsonrpc":"2.0","id":1,"method":"version"}', json],
  ];
  for (const [body, headers] of bodies) {
    const response = await fetch(`${d.url}/mi`, { method: 'POST', headers: { ...d.auth, ...headers }, body });
    assert.ok([200, 400, 413, 415].includes(response.status), `status ${response.status}`);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const rawAnswers = await Promise.all([
    rawExchange(address, 'GARBAGE\r\n\r\n'),
    rawExchange(address, 'POST /mi HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n{}'),
    rawExchange(address, 'POST /mi HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{"jsonrpc"'),
    rawExchange(address, Buffer.alloc(70_000, 0x41)),
  ]);
  assert.match(rawAnswers[0], /^HTTP\/1\.1 400/);
  assert.match(rawAnswers[1], /^HTTP\/1\.1 400/);
  const wrongMethod = await fetch(`${d.url}/mi`, { headers: d.auth });
  assert.equal(wrongMethod.status, 405);
  const unknownPath = await fetch(`${d.url}/nowhere`, { headers: d.auth });
  assert.equal(unknownPath.status, 404);
  const reply = await d.call('uptime');
  assert.equal(typeof (reply.result as { uptime_seconds: number }).uptime_seconds, 'number');
});

/** The JSON body of a raw HTTP answer. */
function rawBody(answer: string): RpcReply {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as RpcReply;
}

// Issue 12 point 14: what Node refuses before a route runs came back as fastify's own JSON, not JSON-RPC.
test('HTTP-level refusals (400, 431) come back as JSON-RPC errors and close the connection', async (t) => {
  const d = await startTestDaemon(t);
  const address = d.daemon.runtime.slots.get('mi.address') as MiAddress;
  const [garbage, bigHeaders] = await Promise.all([
    rawExchange(address, 'GARBAGE\r\n\r\n'),
    rawExchange(address, `POST /mi HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`),
  ]);
  assert.match(garbage, /^HTTP\/1\.1 400 .*\r\n(.*\r\n)*Connection: close\r\n/);
  assert.equal(rawBody(garbage).error?.code, -32600);
  assert.match(bigHeaders, /^HTTP\/1\.1 431 /);
  assert.match(rawBody(bigHeaders).error?.message ?? '', /header fields too large/);
});

// Issue 12 point 9: MI requests with a stalled body never timed out (the docs said 30 s).
test('a request whose headers or body stall gets 408 as a JSON-RPC error and is closed', async (t) => {
  const d = await startTestDaemon(t, { mi: { request_timeout_ms: 300, headers_timeout_ms: 300 } });
  const address = d.daemon.runtime.slots.get('mi.address') as MiAddress;
  const [body, headers] = await Promise.all([
    rawExchange(address, `POST /mi HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${d.auth.authorization}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"json`, 10_000),
    rawExchange(address, 'POST /mi HTTP/1.1\r\nHost: 127.0.0.1\r\n', 10_000),
  ]);
  for (const answer of [body, headers]) {
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.match(rawBody(answer).error?.message ?? '', /did not arrive in time/);
  }
  assert.ok((await d.call('version')).result !== undefined);
});

test('connections beyond mi.max_connections are closed at once; stream clients beyond mi.max_stream_clients get 503', async (t) => {
  const d = await startTestDaemon(t, { mi: { max_connections: 2, max_stream_clients: 1 } });
  const address = d.daemon.runtime.slots.get('mi.address') as MiAddress;
  const holders = await Promise.all([0, 1].map(() => new Promise<Socket>((resolve) => {
    const socket = connect({ host: address.host, port: address.port }, () => resolve(socket));
  })));
  t.after(() => { for (const socket of holders) socket.destroy(); });
  const refused = await rawExchange(address, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 10_000);
  assert.equal(refused, '', 'the third connection got no answer');
  for (const socket of holders) socket.destroy();
  // The server notices the closes on its own time: wait until a connection is accepted again.
  for (let ok = false; !ok;) ok = await fetch(`${d.url}/health`).then(() => true, () => false);
  const first = await fetch(`${d.url}/events/stream`, { headers: d.auth });
  assert.equal(first.status, 200);
  const second = await fetch(`${d.url}/events/stream`, { headers: d.auth });
  assert.equal(second.status, 503);
  assert.match(((await second.json()) as { error: string }).error, /mi\.max_stream_clients is 1/);
  await first.body?.cancel();
});
