import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort } from './free-port.js';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { reachable } from '../../src/testing/services.js';

/** A nats-server with JetStream of the test's own (free port, temp store dir), so the test can SIGKILL and restart it. */
export interface PrivateNats {
  readonly port: number;
  readonly server: string;
  /** SIGKILL: the server dies as in a crash; its store dir stays for the restart. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** A client connection closed after the test. */
  client(): Promise<NatsConnection>;
  /** Creates a stream (file storage, one replica) on `subjects`. */
  stream(name: string, subjects: readonly string[]): Promise<void>;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Skips (or fails with HERALD_REQUIRE_SERVICES=1) when the nats-server binary is missing. */
export async function privateNats(t: TestContext): Promise<PrivateNats | undefined> {
  if (spawnSync('nats-server', ['--version']).status !== 0) {
    const reason = 'nats-server binary not found on PATH';
    if (process.env.HERALD_REQUIRE_SERVICES === '1') throw new Error(`${reason} (HERALD_REQUIRE_SERVICES=1)`);
    t.skip(reason);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'herald-nats-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const clients: NatsConnection[] = [];
  const start = async () => {
    child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: 'ignore' });
    await until(() => reachable('127.0.0.1', port), `nats-server on ${port}`);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  const server = `127.0.0.1:${port}`;
  const client = async () => {
    const connection = await connect({ servers: server, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    clients.push(connection);
    return connection;
  };
  t.after(async () => {
    for (const connection of clients) await connection.close().catch(() => undefined);
    await kill();
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return {
    port, server, kill, start, client,
    stream: async (name, subjects) => {
      const jsm = await jetstreamManager(await client());
      await jsm.streams.add({ name, subjects: [...subjects], duplicate_window: 120 * 1e9 });
    },
  };
}
