import assert from 'node:assert/strict';
import { connect } from 'node:net';
import test from 'node:test';
import type { MiAddress } from '../../src/mi/service.js';
import { startTestDaemon, type RpcReply } from './helpers.js';

/** Writes raw bytes to the MI port and resolves with whatever comes back before the server closes or 2 s pass. */
function rawExchange(address: MiAddress, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: address.host, port: address.port });
    let received = '';
    socket.on('data', (chunk) => { received += chunk.toString('latin1'); });
    socket.on('error', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.setTimeout(2000, () => socket.destroy());
    socket.write(bytes, () => socket.end());
  });
}

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
