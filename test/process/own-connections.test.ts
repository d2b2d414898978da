import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import test from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import type { MiAddress } from '../../src/mi/service.js';
import { uniqueMemorySocket } from '../helpers/bus.js';
import { startTestDaemon } from '../mi/helpers.js';
import { until } from './helpers.js';

// Issue 12 point 15: every CLI call raised E_CORE_TCP_DISCONNECT for the MI's own HTTP connection,
// 128 of ~170 lines of the default events.log after ordinary CLI use.
test('E_CORE_TCP_DISCONNECT is raised for the application\'s connections, not for the MI\'s own', async (t) => {
  const socket = uniqueMemorySocket('own');
  const d = await startTestDaemon(t, {
    extra: { core_events: { enabled: true }, subscribers: [{ socket, event: 'E_CORE_TCP_DISCONNECT' }] },
  });
  const mi = (d.daemon.runtime.slots.get('mi.address') as MiAddress).port;
  for (let i = 0; i < 3; i++) {
    const response = await d.post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'version' }), { connection: 'close' });
    await response.text();
  }
  const app = createServer((client) => client.end());
  t.after(() => app.close());
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const appPort = (app.address() as { port: number }).port;
  await new Promise<void>((resolve) => connect(appPort, '127.0.0.1').on('close', () => resolve()).resume());
  const store = memoryStore(socket.slice('memory:'.length));
  await until('the application connection', () => store.events.find((e) => e.params.dst_port === appPort));
  // The test's own client sockets to the MI are an application's too (local end ephemeral, peer the MI port).
  await until('the client side of the MI calls', () => store.events.filter((e) => e.params.src_port === mi).length >= 3);
  await d.daemon.runtime.bus.drain();
  assert.deepEqual(store.events.filter((e) => e.params.dst_port === mi), [], 'no event for a connection the MI accepted');
});
