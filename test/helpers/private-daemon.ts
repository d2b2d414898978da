import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { reachable } from '../../src/testing/services.js';
import { freePort } from './free-port.js';

/**
 * A broker of the test's own (`redis-server`, `mosquitto`) on a free loopback port,
 * so the test can SIGKILL it and start it again on the same port and directory
 * without touching the machine's shared services.
 */
export interface PrivateDaemon {
  readonly port: number;
  /** A directory of the daemon's own for config and persistence, removed after the test. */
  readonly dir: string;
  /** Starts it (again) and resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGKILL, as in a crash; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, an orderly shutdown (the daemon saves what it persists); resolves once the process is gone. */
  stop(): Promise<void>;
}

/** Whether `binary` can be run; when it cannot, skips the test (or fails it with HERALD_REQUIRE_SERVICES=1). */
function binaryAvailable(t: TestContext, binary: string): boolean {
  if (spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0) return true;
  const reason = `${binary} not installed`;
  if (process.env.HERALD_REQUIRE_SERVICES === '1') throw new Error(`${reason} (HERALD_REQUIRE_SERVICES=1)`);
  t.skip(reason);
  return false;
}

/**
 * Starts `binary` with the arguments `args(port, dir)` gives; undefined when the binary
 * is missing and the test was skipped. Killed and its directory removed after the test.
 */
export async function privateDaemon(
  t: TestContext, binary: string, args: (port: number, dir: string) => readonly string[],
): Promise<PrivateDaemon | undefined> {
  if (!binaryAvailable(t, binary)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), `herald-${binary}-`));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const signal = async (name: 'SIGKILL' | 'SIGTERM') => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(name);
    await exited;
  };
  const kill = () => signal('SIGKILL');
  const start = async () => {
    await kill();
    const started = spawn(binary, [...args(port, dir)], { stdio: 'ignore' });
    child = started;
    for (let attempt = 0; attempt < 200; attempt++) {
      if (started.exitCode !== null) throw new Error(`${binary} exited with ${started.exitCode} at start`);
      if (await reachable('127.0.0.1', port)) return;
      await sleep(25);
    }
    throw new Error(`${binary} did not listen on 127.0.0.1:${port}`);
  };
  t.after(async () => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return { port, dir, start, kill, stop: () => signal('SIGTERM') };
}

/** A private `redis-server` with AOF persistence in its own directory and no RDB snapshots. */
export function privateRedis(t: TestContext): Promise<PrivateDaemon | undefined> {
  return privateDaemon(t, 'redis-server', (port, dir) => [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir,
  ]);
}

/**
 * A private `mosquitto` with persistence (queued QoS 1 messages survive an orderly restart) in its own directory.
 * `user` is the test's own: started as root, mosquitto otherwise drops to the `mosquitto` user and cannot
 * write its database into the test's directory (it logs the error and persists nothing).
 */
export function privateMosquitto(t: TestContext): Promise<PrivateDaemon | undefined> {
  return privateDaemon(t, 'mosquitto', (port, dir) => {
    const config = join(dir, 'mosquitto.conf');
    writeFileSync(config, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', `user ${userInfo().username}`, 'persistence true', `persistence_location ${dir}/`, 'autosave_interval 1',
      // Mosquitto's default (1000 per offline session, more dropped) is below what a restart test queues.
      'max_queued_messages 100000', ''].join('\n'));
    return ['-c', config];
  });
}
