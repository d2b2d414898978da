import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { startDaemon } from '../../src/serve/serve.js';
import { startTestDaemon, writeTestConfig, type RpcReply } from './helpers.js';

const TOKEN = 'correct-horse-battery-staple';

test('with a configured token, a missing or wrong token gets 401 with a JSON-RPC error; the right one works', async (t) => {
  const d = await startTestDaemon(t, { mi: { token: TOKEN } });
  const missing = await d.post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'version' }));
  assert.equal(missing.status, 401);
  assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
  const missingBody = await missing.json() as RpcReply;
  assert.equal(missingBody.error?.code, -32010);
  assert.match(missingBody.error?.message ?? '', /Authorization: Bearer/);
  const wrong = await d.post('{}', { authorization: 'Bearer not-the-token' });
  assert.equal(wrong.status, 401);
  assert.match(((await wrong.json()) as RpcReply).error?.message ?? '', /wrong bearer token/);
  const notBearer = await d.post('{}', { authorization: `Basic ${TOKEN}` });
  assert.equal(notBearer.status, 401);
  const stream = await fetch(`${d.url}/events/stream`);
  assert.equal(stream.status, 401, 'the live stream needs the token too');
  await stream.body?.cancel();
  const right = await d.call('version', undefined, { authorization: `Bearer ${TOKEN}` });
  assert.ok(right.result !== undefined);
  const health = await fetch(`${d.url}/health`);
  assert.equal(health.status, 200, '/health needs no token');
});

test('HERALD_TOKEN sets the token', async (t) => {
  const d = await startTestDaemon(t, { env: { HERALD_TOKEN: TOKEN } });
  assert.equal((await d.post('{}')).status, 401);
  assert.ok((await d.call('version', undefined, { authorization: `Bearer ${TOKEN}` })).result !== undefined);
});

test('on loopback without a token, calls need none', async (t) => {
  const d = await startTestDaemon(t);
  assert.ok((await d.call('version')).result !== undefined);
});

test('a non-loopback listen address without a token refuses to start, saying why', async (t) => {
  const { dir, configPath } = await writeTestConfig({ listen: '0.0.0.0:0' });
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(startDaemon({ configPath, env: {}, announce: () => undefined }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HERALD_ERR_CONFIG');
    assert.match(error.message, /Refusing to start the management interface on 0\.0\.0\.0:0: it is not a loopback address/);
    assert.match(error.message, /Set mi\.token \(or HERALD_TOKEN\)/);
    return true;
  });
});

test('a non-loopback address with a token starts and enforces it', async (t) => {
  const d = await startTestDaemon(t, { mi: { listen: '0.0.0.0:0', token: TOKEN } });
  assert.match(d.announced.find((line) => line.startsWith('mi ')) ?? '', /^mi http:\/\/0\.0\.0\.0:\d+\/mi$/);
  const port = new URL(d.url).port;
  const anonymous = await fetch(`http://127.0.0.1:${port}/mi`, { method: 'POST', body: '{}' });
  assert.equal(anonymous.status, 401);
  const allowed = await fetch(`http://127.0.0.1:${port}/mi`, {
    method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'version' }),
  });
  assert.equal(allowed.status, 200);
});

test('require_token generates <data_dir>/mi.token with mode 0600 on first start and reuses it', async (t) => {
  const { dir, configPath } = await writeTestConfig({ require_token: true });
  t.after(() => rm(dir, { recursive: true, force: true }));
  const tokenFile = join(dir, 'data', 'mi.token');
  const first = await startDaemon({ configPath, env: {}, announce: () => undefined });
  const token = (await readFile(tokenFile, 'utf8')).trim();
  assert.ok(token.length >= 32);
  assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
  const url = (first.runtime.shared.get('mi.address') as { url: string }).url;
  assert.equal((await fetch(`${url}/mi`, { method: 'POST', body: '{}' })).status, 401);
  const ok = await fetch(`${url}/mi`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'version' }) });
  assert.equal(ok.status, 200);
  await first.stop();
  await chmod(tokenFile, 0o644);
  const second = await startDaemon({ configPath, env: {}, announce: () => undefined });
  t.after(() => second.stop());
  assert.equal((await readFile(tokenFile, 'utf8')).trim(), token, 'the token is reused');
  assert.equal((await stat(tokenFile)).mode & 0o777, 0o600, 'a loosened mode is tightened again');
  const url2 = (second.runtime.shared.get('mi.address') as { url: string }).url;
  const reused = await fetch(`${url2}/mi`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'version' }) });
  assert.equal(reused.status, 200);
});

test('a token file that is too short refuses to start, saying how to fix it', async (t) => {
  const { dir, configPath } = await writeTestConfig({ require_token: true });
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'data', 'mi.token'), 'short\n', { mode: 0o600 });
  await assert.rejects(startDaemon({ configPath, env: {}, announce: () => undefined }), /shorter than 16 characters; delete the file/);
});

test('a busy port refuses to start, naming mi.listen', async (t) => {
  const first = await startTestDaemon(t);
  const port = new URL(first.url).port;
  const { dir, configPath } = await writeTestConfig({ listen: `127.0.0.1:${port}` });
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(startDaemon({ configPath, env: {}, announce: () => undefined }), /Cannot listen on mi\.listen 127\.0\.0\.1:\d+: .*EADDRINUSE/);
});
