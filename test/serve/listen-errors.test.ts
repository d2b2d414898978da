import assert from 'node:assert/strict';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { test, type TestContext } from 'node:test';
import { startDaemon } from '../../src/serve/serve.js';
import { runCli } from '../cli/mi-cli-helpers.js';
import { writeTestConfig } from '../mi/helpers.js';

// Issue 10 point 8: a busy port used to fail start-up as HERALD_ERR_CONFIG, as if herald.yaml were wrong.

/** Holds a TCP port on loopback until the test ends. */
async function busyTcpPort(t: TestContext): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

/** Holds a UDP port on loopback until the test ends. */
async function busyUdpPort(t: TestContext): Promise<number> {
  const socket: UdpSocket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

interface Listener {
  readonly key: string;
  readonly busy: (t: TestContext) => Promise<number>;
  /** herald.yaml sections that put this listener on `address` (the MI stays on port 0). */
  readonly config: (address: string) => Record<string, unknown>;
}

const LISTENERS: readonly Listener[] = [
  { key: 'mi.listen', busy: busyTcpPort, config: () => ({}) },
  { key: 'metrics.listen', busy: busyTcpPort, config: (address) => ({ metrics: { listen: address } }) },
  { key: 'hep.listen', busy: busyTcpPort, config: (address) => ({ hep: { enabled: true, listen: address } }) },
  { key: 'sip.listen', busy: busyUdpPort, config: (address) => ({ sip: { enabled: true, listen: address } }) },
  { key: 'ingest.http.listen', busy: busyTcpPort, config: (address) => ({ ingest: { http: { enabled: true, listen: address }, opensips: { enabled: false } } }) },
  { key: 'ingest.opensips.listen', busy: busyTcpPort, config: (address) => ({ ingest: { http: { enabled: false }, opensips: { enabled: true, listen: address } } }) },
];

for (const listener of LISTENERS) {
  test(`a busy ${listener.key} fails start-up with HERALD_ERR_LISTEN naming the key, the address and EADDRINUSE`, async (t) => {
    const address = `127.0.0.1:${await listener.busy(t)}`;
    const mi = listener.key === 'mi.listen' ? { listen: address } : {};
    const { dir, configPath } = await writeTestConfig(mi, listener.config(address));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await assert.rejects(startDaemon({ configPath, env: {}, announce: () => undefined }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'HERALD_ERR_LISTEN', error.message);
      assert.ok(error.message.includes(`${listener.key} ${address}`), error.message);
      assert.match(error.message, /EADDRINUSE/);
      return true;
    });
  });
}

test('herald serve on a busy port exits 1 and prints HERALD_ERR_LISTEN with the address', async (t) => {
  const address = `127.0.0.1:${await busyTcpPort(t)}`;
  const { dir, configPath } = await writeTestConfig({ listen: address });
  t.after(() => rm(dir, { recursive: true, force: true }));
  const run = await runCli(['serve', '--config', configPath]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /^herald: HERALD_ERR_LISTEN: Cannot listen on mi\.listen /m);
  assert.ok(run.stderr.includes(address), run.stderr);
});
