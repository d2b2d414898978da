import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { once } from 'node:events';
import { encodeHep3 } from '../../src/trace/hep/encode.js';
import { CLI_ENTRY } from '../../bench/cli-entry.js';
import { startServeChild } from '../helpers/serve-child.js';

/*
 * Issue 11: the daemon lost half of a modest HEP load and every counter said 0 dropped.
 * Here the kernel is made to drop for sure: `herald serve` with a 4 KiB receive buffer is
 * stopped (SIGSTOP) while a burst arrives, so the kernel must drop what does not fit; the
 * real CLI must then show those drops, and received + kernel drops must equal sent.
 */

const ROOT = new URL('../..', import.meta.url).pathname;
const onLinux = process.platform === 'linux' && existsSync('/proc/net/udp') && existsSync('/proc/sys/net/core/rmem_max');
const RMEM_MAX = onLinux ? Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim()) : 0;
/** recv_buffer_bytes allows up to 1 GiB: asking twice the cap needs a cap below half of that. */
const SKIP = !onLinux ? 'needs Linux /proc/net/udp' : RMEM_MAX * 2 > 1024 * 1024 * 1024 ? `net.core.rmem_max ${RMEM_MAX} leaves no room to ask for more` : false;

interface Serve {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly config: string;
  readonly hepPort: number;
  readonly url: string;
  readonly errors: () => string;
}

async function startServe(t: TestContext): Promise<Serve> {
  const started = await startServeChild(t, {
    prefix: 'kdrops',
    config: (dir) => ({
      hep: { listen: '127.0.0.1:0', recv_buffer_bytes: 4096, kernel_drops_interval_ms: 100 },
      // Twice what the kernel allows: the start-up must say so, naming the sysctl.
      sip: { listen: '127.0.0.1:0', recv_buffer_bytes: RMEM_MAX * 2 },
      ingest: { http: { enabled: false }, opensips: { enabled: false } },
      subscribers: [{ socket: `jsonl:${join(dir, 'data', 'drops.log')}`, event: 'E_HERALD_KERNEL_DROPS' }],
    }),
  });
  const stdout = started.stdout();
  const hepPort = Number(/hep udp\+tcp 127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
  const url = /^mi (http:\/\/\S+)\/mi$/m.exec(stdout)?.[1] ?? '';
  return { child: started.child, dir: started.dir, config: started.configPath, hepPort, url, errors: started.stderr };
}

async function herald(serve: Serve, args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, [...CLI_ENTRY, ...args], { cwd: ROOT, env: { ...process.env, HERALD_CONFIG: serve.config, HERALD_URL: serve.url } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, `herald ${args.join(' ')}: ${stderr}`);
  return stdout;
}

/** Polls until `done` says yes (bounded: no timing is asserted, a miss fails with the last value). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  assert.ok(done(value), `${what}: ${JSON.stringify(value)}`);
  return value;
}

test('kernel drops forced by a tiny receive buffer show in herald stats and status, add up with what was received, and raise E_HERALD_KERNEL_DROPS', {
  skip: SKIP,
}, async (t) => {
  const serve = await startServe(t);
  // The receive-buffer warning names the key, the sysctl and its persistent form.
  assert.match(serve.errors(), new RegExp(`sip\\.recv_buffer_bytes: asked ${RMEM_MAX * 2} bytes .* granted ${RMEM_MAX} .*sysctl -w net\\.core\\.rmem_max=${RMEM_MAX * 2}.*/etc/sysctl\\.d/`));

  const packet = encodeHep3({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060, timeSec: 1, timeUsec: 0, payload: 'x'.repeat(900) });
  const sent = 300;
  const sender = createSocket('udp4');
  t.after(() => sender.close());
  serve.child.kill('SIGSTOP');
  for (let i = 0; i < sent; i++) await new Promise<void>((resolve, reject) => sender.send(packet, serve.hepPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  serve.child.kill('SIGCONT');

  type Stats = { ingest: Record<string, Record<string, number>> };
  const stats = await until(
    async () => JSON.parse(await herald(serve, ['stats', '--json'])) as Stats,
    (answer) => (answer.ingest.hep?.packets ?? 0) + (answer.ingest.hep?.kernel_drops ?? 0) === sent,
    'hep packets + kernel_drops == sent',
  );
  const drops = stats.ingest.hep?.kernel_drops ?? 0;
  assert.ok(drops > 0, `kernel_drops ${drops}`);
  t.diagnostic(`sent ${sent}, received ${stats.ingest.hep?.packets ?? 0}, kernel drops ${drops}`);
  // The table people read shows the same counter.
  const table = await herald(serve, ['stats']);
  assert.match(table, new RegExp(`^hep +kernel_drops +${drops} *$`, 'm'));
  // Beside it, the receive thread's restarts (none here).
  assert.equal(stats.ingest.hep?.receiver_restarts, 0);
  assert.match(table, /^hep +receiver_restarts +0 *$/m);

  // /health and /metrics read the same sample.
  const health = await (await fetch(`${serve.url}/health`)).json() as { collectors: Array<{ listener: string; kernel_drops: number }> };
  assert.equal(health.collectors.find((entry) => entry.listener === 'hep')?.kernel_drops, drops);
  const token = (await readFile(join(serve.dir, 'data', 'mi.token'), 'utf8')).trim();
  const metrics = await (await fetch(`${serve.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  assert.match(metrics, /^herald_ingest\{source="hep",counter="receiver_restarts"\} 0$/m);
  assert.match(metrics, new RegExp(`^herald_collector_kernel_drops_total\\{listener="hep",proto="udp",address="127\\.0\\.0\\.1",port="${serve.hepPort}"\\} ${drops}$`, 'm'));

  // herald status: each collector socket, what it asked and what the kernel granted.
  const status = await herald(serve, ['status']);
  assert.match(status, new RegExp(`collector +hep udp 127\\.0\\.0\\.1:${serve.hepPort} .*recv buffer \\d+ bytes \\(asked 4096\\); kernel drops ${drops};`));
  assert.match(status, new RegExp(`collector +sip udp 127\\.0\\.0\\.1:\\d+ .*recv buffer ${RMEM_MAX} bytes \\(asked ${RMEM_MAX * 2}\\)`));

  // The event reached its subscriber; its increments add up to the counter.
  const events = await until(
    async () => (await readFile(join(serve.dir, 'data', 'drops.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; params: { listener: string; drops: number; drops_since_last: number; port: number } }),
    (list) => list.reduce((sum, event) => sum + event.params.drops_since_last, 0) === drops,
    'E_HERALD_KERNEL_DROPS increments',
  );
  assert.ok(events.every((event) => event.type === 'E_HERALD_KERNEL_DROPS' && event.params.listener === 'hep' && event.params.port === serve.hepPort));
  assert.equal(events.at(-1)?.params.drops, drops);
});
