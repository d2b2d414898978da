import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { reachable } from '../../src/testing/services.js';
import { freePort } from '../helpers/free-port.js';
import { startServeChild } from '../helpers/serve-child.js';

/*
 * The pieces of the scale-out test and its soak: a 3-node nats-server cluster with
 * JetStream on free loopback ports (routes between them, a store dir each), and
 * `herald serve` child processes whose HEP and ingest addresses are read from what
 * they announce. Everything is SIGKILLed and removed after the test.
 */

/** The CLI from its sources through tsx, whether or not dist/ is fresh: how these children have always run. */
const FROM_SOURCES = ['--import', 'tsx', 'src/cli/bin.ts'];

export interface NatsNode {
  readonly port: number;
  readonly server: string;
  kill(): Promise<void>;
}

async function killChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Whether nats-server is installed; skips the test (or fails it with HERALD_REQUIRE_SERVICES=1) when not. */
export function natsServerInstalled(t: TestContext): boolean {
  if (spawnSync('nats-server', ['--version']).status === 0) return true;
  const reason = 'nats-server binary not found on PATH';
  if (process.env.HERALD_REQUIRE_SERVICES === '1') throw new Error(`${reason} (HERALD_REQUIRE_SERVICES=1)`);
  t.skip(reason);
  return false;
}

/** `size` nats-server processes with JetStream, clustered (every node routes to every other). */
export async function natsCluster(t: TestContext, size: number): Promise<NatsNode[]> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-nats-cluster-'));
  const ports = await Promise.all(Array.from({ length: size * 2 }, () => freePort()));
  const clientPorts = ports.slice(0, size);
  const routePorts = ports.slice(size);
  const children: Array<ChildProcess | undefined> = [];
  t.after(async () => {
    await Promise.all(children.map((child) => killChild(child)));
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < size; i++) {
    const routes = routePorts.filter((_, j) => j !== i).map((port) => `nats://127.0.0.1:${port}`).join(',');
    children.push(spawn('nats-server', [
      '-js', '-a', '127.0.0.1', '-p', String(clientPorts[i]), '-n', `herald-n${i}`, '-sd', join(dir, `n${i}`),
      '--cluster_name', 'herald-test', '--cluster', `nats://127.0.0.1:${routePorts[i]}`, '--routes', routes,
    ], { stdio: 'ignore' }));
  }
  for (const port of clientPorts) {
    for (let attempt = 0; !(await reachable('127.0.0.1', port)); attempt++) {
      if (attempt > 200) throw new Error(`nats-server did not listen on 127.0.0.1:${port}`);
      await sleep(25);
    }
  }
  return clientPorts.map((port, i) => ({ port, server: `127.0.0.1:${port}`, kill: () => killChild(children[i]) }));
}

export interface Serve {
  readonly child: ChildProcess;
  /** The HEP port (collectors). */
  readonly hepPort: number;
  /** `http://…:port` of the ingest listener (collectors). */
  readonly ingestUrl: string;
  readonly output: () => string;
  kill(): Promise<void>;
}

/** Starts `herald serve` on `config` (JSON) in a directory of its own; resolves once it said `herald ready`. */
export async function serve(t: TestContext, config: Record<string, unknown>): Promise<Serve> {
  const started = await startServeChild(t, { prefix: 'scale-out', config: () => config, entry: FROM_SOURCES });
  const stdout = started.stdout();
  return {
    child: started.child,
    hepPort: Number(/hep udp\+tcp [^\s]+:(\d+)/.exec(stdout)?.[1] ?? 0),
    ingestUrl: /ingest (http:\/\/[^\s]+)\/ingest,/.exec(stdout)?.[1] ?? '',
    output: () => `${started.stdout()}\n${started.stderr()}`,
    kill: started.kill,
  };
}

/** A collector's config: HEP over TCP and HTTP ingest on free ports, nothing else listening. */
export function collectorConfig(scaleOut: Record<string, unknown>): Record<string, unknown> {
  return {
    role: 'collector', scale_out: scaleOut, trace: { flush_interval_ms: 50 },
    hep: { listen: '127.0.0.1:0' }, sip: { enabled: false }, ingest: { http: { listen: '127.0.0.1:0' }, opensips: { enabled: false } },
  };
}

/** A writer's config on `database` (PostgreSQL URL). */
export function writerConfig(scaleOut: Record<string, unknown>, database: string): Record<string, unknown> {
  return { role: 'writer', scale_out: scaleOut, trace: { store: database } };
}
