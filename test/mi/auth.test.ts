import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import test from 'node:test';
import { startDaemon } from '../../src/serve/serve.js';
import { capturingLogger, startTestDaemon, writeTestConfig, type RpcReply } from './helpers.js';

const TOKEN = 'correct-horse-battery-staple';
const VERSION = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'version' });

/** POSTs to /mi with exactly the headers given (no token unless given). */
function bare(url: string, headers: Record<string, string> = {}, body = VERSION): Promise<Response> {
  return fetch(`${url}/mi`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

// Issue 12 point 2: loopback is no trust boundary on a shared host, so a token is the default.
test('by default a token is generated into <data_dir>/mi.token (0600); calls without it get 401 and the connection is closed', async (t) => {
  const d = await startTestDaemon(t);
  const tokenFile = join(d.dir, 'data', 'mi.token');
  assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
  assert.equal(d.token, (await readFile(tokenFile, 'utf8')).trim());
  const missing = await bare(d.url);
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get('connection'), 'close', 'a client guessing tokens pays a connection per guess');
  assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
  const body = await missing.json() as RpcReply;
  assert.equal(body.error?.code, -32010);
  assert.match(body.error?.message ?? '', /Authorization: Bearer/);
  const stream = await fetch(`${d.url}/events/stream`);
  assert.equal(stream.status, 401, 'the live stream needs the token too');
  await stream.body?.cancel();
  assert.ok((await d.call('version')).result !== undefined, 'the helper finds the token as the CLI does');
  assert.equal((await fetch(`${d.url}/health`)).status, 200, '/health needs no token');
});

test('with a configured token, a missing or wrong token gets 401 with a JSON-RPC error; the right one works', async (t) => {
  const d = await startTestDaemon(t, { mi: { token: TOKEN } });
  assert.equal((await bare(d.url)).status, 401);
  const wrong = await bare(d.url, { authorization: 'Bearer not-the-token' });
  assert.equal(wrong.status, 401);
  assert.match(((await wrong.json()) as RpcReply).error?.message ?? '', /wrong bearer token/);
  assert.equal((await bare(d.url, { authorization: `Basic ${TOKEN}` })).status, 401);
  assert.equal((await bare(d.url, { authorization: `Bearer ${TOKEN}` })).status, 200);
});

test('HERALD_TOKEN sets the token', async (t) => {
  const d = await startTestDaemon(t, { env: { HERALD_TOKEN: TOKEN } });
  assert.equal((await bare(d.url)).status, 401);
  assert.equal((await bare(d.url, { authorization: `Bearer ${TOKEN}` })).status, 200);
});

test('mi.require_token: false serves loopback without a token, with a warning at start', async (t) => {
  const { logger, lines } = capturingLogger();
  const d = await startTestDaemon(t, { mi: { require_token: false }, logger });
  assert.equal((await bare(d.url)).status, 200);
  const warning = lines.find((line) => line.level === 40 && /without a token/.test(String(line.msg)));
  assert.ok(warning !== undefined, JSON.stringify(lines));
});

test('a non-loopback listen address without a token refuses to start, saying why', async (t) => {
  const { dir, configPath } = await writeTestConfig({ listen: '0.0.0.0:0', require_token: false });
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
  const local = `http://127.0.0.1:${new URL(d.url).port}`;
  assert.equal((await bare(local)).status, 401);
  assert.equal((await bare(local, { authorization: `Bearer ${TOKEN}` })).status, 200);
});

test('the generated token is reused, and a loosened mode is tightened again', async (t) => {
  const { dir, configPath } = await writeTestConfig();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const tokenFile = join(dir, 'data', 'mi.token');
  const first = await startDaemon({ configPath, env: {}, announce: () => undefined });
  const token = (await readFile(tokenFile, 'utf8')).trim();
  assert.ok(token.length >= 32);
  await first.stop();
  await chmod(tokenFile, 0o644);
  const second = await startDaemon({ configPath, env: {}, announce: () => undefined });
  t.after(() => second.stop());
  assert.equal((await readFile(tokenFile, 'utf8')).trim(), token, 'the token is reused');
  assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
  const url = (second.runtime.slots.get('mi.address') as { url: string }).url;
  assert.equal((await bare(url, { authorization: `Bearer ${token}` })).status, 200);
});

test('a token file that is too short refuses to start, saying how to fix it', async (t) => {
  const { dir, configPath } = await writeTestConfig();
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'data', 'mi.token'), 'short\n', { mode: 0o600 });
  await assert.rejects(startDaemon({ configPath, env: {}, announce: () => undefined }), /shorter than 16 characters; delete the file/);
});

test('a busy port refuses to start, naming mi.listen', async (t) => {
  const first = await startTestDaemon(t);
  const { dir, configPath } = await writeTestConfig({ listen: `127.0.0.1:${new URL(first.url).port}` });
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(startDaemon({ configPath, env: {}, announce: () => undefined }), /Cannot listen on mi\.listen 127\.0\.0\.1:\d+: .*EADDRINUSE/);
});

/** A request with a chosen Host header (fetch does not let one set it). */
function withHost(url: string, host: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: '/mi', method: 'POST', headers: { ...headers, host, 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(VERSION);
  });
}

// Issue 12 point 1: a page's fetch(…, {mode:'no-cors', headers:{'Content-Type':'text/plain'}}) ran trace_start.
test('/mi takes only JSON media types: text/plain, forms, multipart and no Content-Type get 415 before the call runs', async (t) => {
  const d = await startTestDaemon(t);
  const subscribe = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'event_subscribe', params: { socket: `jsonl:${d.root}/x.log`, event: 'E_CORE_LOG' } });
  for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
    const headers: Record<string, string> = { ...d.auth, ...(type === undefined ? {} : { 'content-type': type }) };
    const response = await fetch(`${d.url}/mi`, { method: 'POST', headers, body: type === undefined ? new Blob([subscribe]) : subscribe });
    assert.equal(response.status, 415, String(type));
    const reply = await response.json() as RpcReply;
    assert.equal(reply.error?.code, -32600);
    assert.match(reply.error?.message ?? '', /Unsupported media type.*application\/json/);
  }
  const listed = await d.result<{ Events: unknown[] }>('subscribers_list');
  assert.deepEqual(listed.Events, [], 'no refused call ran');
  for (const type of ['application/json', 'application/json; charset=utf-8', 'application/json-rpc+json']) {
    assert.equal((await d.post(VERSION, { 'content-type': type })).status, 200, type);
  }
});

test('a request carrying an Origin not in mi.allowed_origins gets 403, even with the token', async (t) => {
  const d = await startTestDaemon(t, { mi: { allowed_origins: ['https://console.example'] } });
  const foreign = await d.post(VERSION, { origin: 'https://evil.example' });
  assert.equal(foreign.status, 403);
  const reply = await foreign.json() as RpcReply;
  assert.equal(reply.error?.code, -32011);
  assert.match(reply.error?.message ?? '', /Origin "https:\/\/evil\.example" is not in mi\.allowed_origins/);
  assert.equal((await d.post(VERSION, { origin: 'null' })).status, 403, 'a sandboxed page sends Origin: null');
  const stream = await fetch(`${d.url}/events/stream`, { headers: { ...d.auth, origin: 'https://evil.example' } });
  assert.equal(stream.status, 403, 'every route, the stream included');
  await stream.body?.cancel();
  assert.equal((await d.post(VERSION, { origin: 'https://console.example' })).status, 200);
  assert.equal((await d.post(VERSION)).status, 200, 'no Origin (CLI, curl) is fine');
});

// DNS rebinding: the attacker's name resolves to 127.0.0.1, and the browser sends that name as Host.
test('a Host other than the listen address, localhost or mi.allowed_hosts gets 403', async (t) => {
  const d = await startTestDaemon(t, { mi: { allowed_hosts: ['herald.internal'] } });
  const port = new URL(d.url).port;
  const rebound = await withHost(d.url, `rebind.attacker.example:${port}`, d.auth);
  assert.equal(rebound.status, 403);
  assert.match((JSON.parse(rebound.body) as RpcReply).error?.message ?? '', /Host "rebind\.attacker\.example:\d+" is not this server's address; add the name to mi\.allowed_hosts/);
  assert.equal((await withHost(d.url, `rebind.attacker.example:${port}`, {})).status, 403, 'refused before the token is even checked');
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST', `herald.internal:${port}`]) {
    assert.equal((await withHost(d.url, host, d.auth)).status, 200, host);
  }
  const health = await fetch(`${d.url}/health`, { headers: { origin: 'https://evil.example' } });
  assert.equal(health.status, 403, '/health is open to tokenless callers, not to foreign pages');
});
