import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { registerShippedBackends } from '../src/backends/index.js';
import { WRITE_OK } from '../src/bus/backend.js';
import { BackendRegistry } from '../src/bus/backend-registry.js';
import { Bus } from '../src/bus/bus.js';
import { createDefaultCatalogue } from '../src/events/packs/index.js';
import { instrument } from '../src/process/instrument/index.js';
import { round } from './measure.js';
import type { BenchOptions, BenchReport } from './report.js';

/*
 * Loopback HTTP request throughput with Dovecot-style instrumentation off and
 * on, alternating in the same run, over a keep-alive agent, CONCURRENCY
 * requests in flight. "On" means instrument({http, net, dns}) with a
 * subscriber taking every event it raises, so raise, filter, queue and
 * delivery are all paid for. Two set-ups:
 * - server in another process: the figure is the calling side's cost alone;
 * - server in this process: an application that serves HTTP and calls HTTP,
 *   both sides instrumented.
 * A fourth side, off plus 1 µs of busy work per request, calibrates the
 * figures: on this 2-core VM a small added cost per request shows up several
 * times over in req/s, so the ratio is read beside what 1 µs does.
 */
const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); });
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;
const CONCURRENCY = 16;
const REQUESTS = 4000;
const FETCH_REQUESTS = 2000;
const ROUNDS = 12;
const CALIBRATION_NS = 1000n;

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) => resolve({ child, port: Number(chunk.toString().trim()) }));
  });
}

function viaHttp(agent: http.Agent, port: number): () => Promise<void> {
  return () => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/bench', agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

/** `send` followed by CALIBRATION_NS of busy work, as if the caller did that much more per request. */
function withBusyWork(send: () => Promise<void>): () => Promise<void> {
  return async () => {
    await send();
    const until = process.hrtime.bigint() + CALIBRATION_NS;
    while (process.hrtime.bigint() < until);
  };
}

function viaFetch(port: number): () => Promise<void> {
  return async () => {
    await (await fetch(`http://127.0.0.1:${port}/bench`)).arrayBuffer();
  };
}

interface Sample {
  /** Requests per second of wall time. */
  readonly rate: number;
  /** This process's CPU time (user + system) per request, µs. */
  readonly cpuUs: number;
}

/** `total` requests, CONCURRENCY in flight. */
async function throughput(total: number, send: () => Promise<void>): Promise<Sample> {
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      await send();
    }
  };
  const cpu = process.cpuUsage();
  const begin = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
  const used = process.cpuUsage(cpu);
  return { rate: total / seconds, cpuUs: (used.user + used.system) / total };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Comparison {
  readonly off: Sample;
  /** instrument() on a bus nobody subscribed to: the hooks' own cost. */
  readonly hooks: Sample;
  /** instrument() with a subscriber taking every event: hooks + raise + delivery. */
  readonly delivered: Sample;
  /** Instrumentation off, 1 µs of busy work added per request. */
  readonly calibration: Sample;
  /** Per-round delivered/off throughput ratios. */
  readonly ratios: number[];
}

/** Alternates off / hooks / delivered / calibration within each round, rotating their order, so drift in machine load hits all alike; medians per side. */
async function compare(quiet: Bus, listened: Bus, total: number, send: () => Promise<void>): Promise<Comparison> {
  await throughput(total / 2, send);
  const off: Sample[] = [];
  const hooks: Sample[] = [];
  const delivered: Sample[] = [];
  const calibration: Sample[] = [];
  const busy = withBusyWork(send);
  const measureWith = async (bus: Bus | undefined, into: Sample[], how = send) => {
    const undo = bus === undefined ? () => {} : instrument(bus, { http: true, net: true, dns: true });
    into.push(await throughput(total, how));
    undo();
  };
  const sides: Array<() => Promise<void>> = [
    () => measureWith(undefined, off),
    () => measureWith(quiet, hooks),
    () => measureWith(listened, delivered),
    () => measureWith(undefined, calibration, busy),
  ];
  // Each round starts with the next side, so none is always measured first or last.
  for (let i = 0; i < ROUNDS; i++) {
    for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]();
  }
  const side = (samples: Sample[]): Sample => ({ rate: median(samples.map((s) => s.rate)), cpuUs: median(samples.map((s) => s.cpuUs)) });
  return {
    off: side(off), hooks: side(hooks), delivered: side(delivered), calibration: side(calibration),
    ratios: delivered.map((s, i) => s.rate / off[i].rate),
  };
}

function nullBus(): { bus: Bus; delivered: () => number } {
  let delivered = 0;
  const backends = registerShippedBackends(new BackendRegistry()).register({
    transport: 'null',
    description: 'counts and drops',
    create: () => ({
      open: async () => {},
      write: async (batch) => {
        delivered += batch.length;
        return WRITE_OK;
      },
      flush: async () => {},
      close: async () => {},
    }),
  });
  return { bus: new Bus({ catalogue: createDefaultCatalogue(), backends }), delivered: () => delivered };
}

async function startLocalServer(): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

function ratios(c: Comparison): string {
  return c.ratios.map((r) => round(r, 3)).join(', ');
}

function rows(name: string, c: Comparison): BenchReport['results'] {
  const ratio = (a: number, b: number) => round(a / b, 3);
  return [
    { name: `${name}: off`, value: Math.round(c.off.rate), unit: 'req/s' },
    { name: `${name}: on, nobody subscribed`, value: Math.round(c.hooks.rate), unit: 'req/s', anchor: 'off', ratio: ratio(c.hooks.rate, c.off.rate) },
    { name: `${name}: on, events delivered`, value: Math.round(c.delivered.rate), unit: 'req/s', anchor: 'off', ratio: ratio(c.delivered.rate, c.off.rate) },
    { name: `${name}: off + 1 µs work/request`, value: Math.round(c.calibration.rate), unit: 'req/s', anchor: 'off', ratio: ratio(c.calibration.rate, c.off.rate) },
    { name: `${name}: CPU/request off`, value: round(c.off.cpuUs, 1), unit: 'µs' },
    { name: `${name}: CPU/request on, nobody subscribed`, value: round(c.hooks.cpuUs, 1), unit: 'µs', anchor: 'off', ratio: ratio(c.hooks.cpuUs, c.off.cpuUs) },
    { name: `${name}: CPU/request on, events delivered`, value: round(c.delivered.cpuUs, 1), unit: 'µs', anchor: 'off', ratio: ratio(c.delivered.cpuUs, c.off.cpuUs) },
    { name: `${name}: CPU/request off + 1 µs work`, value: round(c.calibration.cpuUs, 1), unit: 'µs', anchor: 'off', ratio: ratio(c.calibration.cpuUs, c.off.cpuUs) },
  ];
}

export async function run(_options: BenchOptions): Promise<BenchReport> {
  const { child, port } = await startServer();
  const local = await startLocalServer();
  const quiet = nullBus();
  const listened = nullBus();
  await listened.bus.subscribe('null:all', { filter: 'event=http_request_* OR event=*_connection_* OR event=dns_request_*' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const otherProcess = await compare(quiet.bus, listened.bus, REQUESTS, viaHttp(agent, port));
    const thisProcess = await compare(quiet.bus, listened.bus, REQUESTS, viaHttp(agent, local.port));
    const viaFetchApi = await compare(quiet.bus, listened.bus, FETCH_REQUESTS, viaFetch(port));
    await listened.bus.drain();
    return {
      suite: 'instrument',
      results: [
        ...rows('http.request, server in another process', otherProcess),
        ...rows('http.request, server in this process', thisProcess),
        ...rows('fetch, server in another process', viaFetchApi),
      ],
      notes: [
        `${CONCURRENCY} concurrent requests over keep-alive, ${ROUNDS} rounds of off / on-nobody-subscribed / on-delivered / off + 1 µs work (median of each).`,
        `Per-round delivered/off ratios: other process ${ratios(otherProcess)}; this process ${ratios(thisProcess)}; fetch ${ratios(viaFetchApi)}.`,
        `Events delivered to the subscriber: ${listened.delivered()}.`,
        'Target: instrumentation on at most 5% slower (req/s ratio ≥ 0.95; CPU/request ratio ≤ 1.05, the same cost',
        'read without the noise of other processes on the machine).',
      ],
    };
  } finally {
    local.server.close();
    agent.destroy();
    await quiet.bus.close();
    await listened.bus.close();
    child.kill();
  }
}
