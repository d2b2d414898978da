import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { sendTcp, startCollector } from './collector-daemon.js';
import { loadFixtures, until } from './tracer-fixtures.js';

const FIXTURES = loadFixtures('hep');

function open(port: number): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1' });
  return new Promise((resolve, reject) => socket.once('connect', () => resolve(socket)).once('error', reject));
}

const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

// Issue 12 point 9: 256 idle HEP/TCP connections locked out real senders, and nothing ever closed them.
test('idle HEP/TCP connections and ones stalled mid-packet are closed and counted, so real senders get in', async (t) => {
  const d = await startCollector(t, { hep: { max_connections: 2, tcp_idle_timeout_ms: 300, tcp_frame_timeout_ms: 300 } });
  const idle = await open(d.hep.port);
  const stalled = await open(d.hep.port);
  t.after(() => { idle.destroy(); stalled.destroy(); });
  idle.on('error', () => undefined);
  stalled.on('error', () => undefined);
  stalled.write(FIXTURES[0].bytes.subarray(0, 10));
  await Promise.all([closed(idle), closed(stalled)]);
  await until(() => d.counters('hep').tcp_idle_closed === 1 && d.counters('hep').tcp_partial_closed === 1);
  await sendTcp(d.hep.port, [FIXTURES[0].bytes]);
  await until(async () => (await d.store.count()) === 1);
});
