import assert from 'node:assert/strict';
import test from 'node:test';
import { udpReceiver, tcpPeer, httpPeer } from '../backends/network/helpers.js';
import { startTestDaemon } from '../mi/helpers.js';
import { runCli } from './mi-cli-helpers.js';

// Issue 13 acceptance: each network transport end to end through a running daemon, from `herald subscribe`.

const RAISE = ['raise', 'E_CORE_LOG', 'time=2026-11-22T05:21:46Z', 'pid=1', 'level=INFO', 'module=m', 'function=f', 'prefix=', 'message=hi'];

test('herald subscribe udp:, tcp: (reliable, at-least-once) and http:// reach their peers through the daemon', async (t) => {
  const d = await startTestDaemon(t);
  const udp = await udpReceiver(t);
  const tcp = await tcpPeer(t, (request) => ({ jsonrpc: '2.0', result: 'ok', id: request.id }));
  const http = await httpPeer(t);
  const sockets = [`udp:127.0.0.1:${udp.port}`, `tcp:127.0.0.1:${tcp.port}/log?reliable=1`, `${http.url}/hook?format=ndjson`];
  for (const socket of sockets) {
    const extra = socket.startsWith('tcp:') ? ['--delivery', 'at-least-once'] : [];
    const run = await runCli(['subscribe', socket, '--event', 'E_CORE_LOG', ...extra], d.cliEnv);
    assert.equal(run.code, 0, run.stderr);
  }
  const raised = await runCli(RAISE, d.cliEnv);
  assert.equal(raised.code, 0, raised.stderr);
  const datagram = JSON.parse((await udp.next()).toString()) as { method: string; params: { message: string } };
  assert.deepEqual([datagram.method, datagram.params.message], ['E_CORE_LOG', 'hi']);
  await tcp.waitForRequests(1);
  assert.deepEqual([tcp.requests[0].method, typeof tcp.requests[0].id], ['log', 'number']);
  await http.waitForHits(1);
  assert.equal((JSON.parse(http.hits[0].body) as { type: string }).type, 'E_CORE_LOG');
  const stats = await runCli(['stats'], d.cliEnv);
  assert.match(stats.stdout, /tcp:127\.0\.0\.1:\d+\/log\?reliable=1\s+E_CORE_LOG\s+at-least-once/);
});
