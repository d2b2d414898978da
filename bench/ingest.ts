import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUdpTable } from '../src/runtime/udp-proc-table.js';
import { freePort, startChild } from './child.js';
import { benchModule, CLI_SCRIPT, COMPILED_IS_FRESH } from './cli-entry.js';
import type { SendOrder } from './ingest-sender.js';
import type { BenchOptions, BenchReport, BenchResult } from './report.js';

/*
 * npm run bench -- ingest [--seconds 20] [--rates 10000,25000,50000,100000]
 *
 *   sender (own process) ──HEPv3/UDP──▶ bare dgram socket (own process, 4 MiB buffer, counts)   the ceiling
 *                        ──HEPv3/UDP──▶ `herald serve` (own process, embedded defaults: SQLite trace store)
 *
 * Per rate: offered, received by the bare socket, received by Herald (hep packets), stored
 * (Herald's counter, cross-checked against count(*) of the SQLite file after the daemon
 * stopped), kernel drops (/proc/net/udp) of both sockets, Herald's own drops, stored/bare,
 * peak RSS (VmHWM) and the longest event-loop stall of the daemon (bench/loop-probe.ts).
 * A fresh daemon per rate, so each peak RSS is that rate's. Then raw SIP over UDP and HEP
 * over TCP at 50,000/s: TCP pauses the reader instead of dropping, so it must store all.
 */

const DEFAULT_RATES = [10_000, 25_000, 50_000, 100_000];
const DEFAULT_SECONDS = 20;
const SIDE_RATE = 50_000;
const RECV_BUFFER_BYTES = 4 * 1024 * 1024;
// Long enough for a daemon to store a journalled backlog after the load stops.
const DRAIN_LIMIT_MS = 600_000;

type Stats = Record<string, Record<string, number>>;

interface Herald {
  readonly child: ChildProcess;
  readonly hepPort: number;
  readonly sipPort: number;
  readonly dataDir: string;
  readonly loopFile: string;
  stats(): Promise<Stats>;
}

interface RunFigures {
  readonly offered: number;
  readonly received: number;
  readonly stored: number;
  readonly rows: number;
  readonly kernelDrops: number;
  readonly heraldDrops: number;
  /** Datagrams that waited in the overflow journal before they were stored. */
  readonly journalled: number;
  readonly peakRssMiB: number;
  readonly loop: { maxMs: number; p99Ms: number };
  /** CPU the daemon spent per received packet, µs: its main thread, and every other thread together. */
  readonly cpuUsPerPacket: { main: number; others: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** HERALD_BENCH_DAEMON_ARGS: more node flags for the daemon, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes. */
function daemonNodeArgs(): string[] {
  return (process.env.HERALD_BENCH_DAEMON_ARGS ?? '').split(' ').filter((arg) => arg !== '');
}

async function startHerald(dir: string): Promise<Herald> {
  const [hepPort, sipPort, http, opensips, mi] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  await mkdir(dir, { recursive: true });
  const config = join(dir, 'herald.yaml');
  const dataDir = join(dir, 'data');
  const loopFile = join(dir, 'loop.json');
  await writeFile(config, JSON.stringify({
    data_dir: dataDir,
    log: { level: 'warn' },
    mi: { listen: `127.0.0.1:${mi}`, require_token: false },
    hep: { listen: `127.0.0.1:${hepPort}` },
    sip: { listen: `127.0.0.1:${sipPort}` },
    ingest: { http: { listen: `127.0.0.1:${http}` }, opensips: { listen: `127.0.0.1:${opensips}` } },
  }));
  process.env.HERALD_BENCH_LOOP_FILE = loopFile;
  // The daemon as users run it, compiled, when dist/ is fresh (tsx's loader thread adds memory and start-up work).
  const { child } = await startChild([CLI_SCRIPT, 'serve', '--config', config], /herald ready/, {
    nodeArgs: ['--import', benchModule('loop-probe'), ...daemonNodeArgs()], tsx: !COMPILED_IS_FRESH,
  });
  const stats = async (): Promise<Stats> => {
    const response = await fetch(`http://127.0.0.1:${mi}/mi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"get_statistics"}' });
    return ((await response.json()) as { result: { ingest: Stats } }).result.ingest;
  };
  return { child, hepPort, sipPort, dataDir, loopFile, stats };
}

/** The kernel's drop counter of the UDP socket bound to 127.0.0.1:port (0 when not found). */
async function kernelDrops(port: number): Promise<number> {
  const rows = parseUdpTable(await readFile('/proc/net/udp', 'utf8').catch(() => ''));
  return rows.find((row) => row.localPort === port)?.drops ?? 0;
}

/** CPU time (ms) of a process's main thread and of its other threads, from /proc/PID/task/TID/stat (utime + stime). */
async function threadCpuMs(pid: number): Promise<{ main: number; others: number }> {
  const tickMs = 10; // USER_HZ is 100 on Linux
  let main = 0;
  let others = 0;
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) ": state is field 3
    const ms = (Number(fields[11]) + Number(fields[12])) * tickMs; // utime, stime: fields 14 and 15
    if (Number.isNaN(ms)) continue;
    if (Number(tid) === pid) main += ms;
    else others += ms;
  }
  return { main, others };
}

async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
}

function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as T));
    child.send(message as object);
  });
}

const sum = (counters: Record<string, number> | undefined, prefix: string) => Object.entries(counters ?? {}).filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

/** Waits until the daemon has stored or dropped everything it received: nothing queued and the counts still. */
async function drained(herald: Herald, source: 'hep' | 'sip'): Promise<Stats> {
  const deadline = Date.now() + DRAIN_LIMIT_MS;
  let last = '';
  for (;;) {
    const stats = await herald.stats();
    const key = JSON.stringify([stats[source], stats.trace?.stored, stats.trace?.queued]);
    if ((stats.trace?.queued ?? 0) === 0 && (stats[source]?.journal_bytes ?? 0) === 0 && key === last) return stats;
    if (Date.now() > deadline) return stats;
    last = key;
    await sleep(500);
  }
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exit = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exit;
}

function countRows(dataDir: string): number {
  const db = new Database(join(dataDir, 'trace.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM sip_trace').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** One load against a fresh daemon. */
async function heraldRun(dir: string, sender: ChildProcess, order: Omit<SendOrder, 'port' | 'prefix'>, prefix: string): Promise<RunFigures> {
  const herald = await startHerald(dir);
  try {
    const port = order.kind === 'hep' ? herald.hepPort : herald.sipPort;
    const dropsBefore = order.transport === 'udp' ? await kernelDrops(port) : 0;
    herald.child.kill('SIGUSR2'); // the loop probe measures the load only, not the start
    const cpuBefore = await threadCpuMs(herald.child.pid as number);
    const { offered } = await ask<{ offered: number }>(sender, { ...order, port, prefix });
    const stats = await drained(herald, order.kind);
    const cpuAfter = await threadCpuMs(herald.child.pid as number);
    const kernel = order.transport === 'udp' ? (await kernelDrops(port)) - dropsBefore : 0;
    const peak = await peakRssMiB(herald.child.pid as number);
    const source = stats[order.kind] ?? {};
    // What reached the collector, plus what the journal refused before it could (counted drops, received all the same).
    const received = ((order.kind === 'hep' ? source.packets : source.datagrams) ?? 0) + sum(source, 'dropped_journal');
    const heraldDrops = sum(stats.trace, 'dropped_') + sum(source, 'dropped');
    await stopped(herald.child);
    const loop = JSON.parse(await readFile(herald.loopFile, 'utf8').catch(() => '{"maxMs":-1,"p99Ms":-1}')) as RunFigures['loop'];
    const perPacket = (ms: number) => (received === 0 ? 0 : Math.round((ms * 1000 * 10) / received) / 10);
    const cpuUsPerPacket = { main: perPacket(cpuAfter.main - cpuBefore.main), others: perPacket(cpuAfter.others - cpuBefore.others) };
    return { offered, received, stored: stats.trace?.stored ?? 0, rows: countRows(herald.dataDir), kernelDrops: kernel, heraldDrops, journalled: source.journal_spilled ?? 0, peakRssMiB: peak, loop, cpuUsPerPacket };
  } finally {
    await stopped(herald.child);
  }
}

const ratio = (value: number, anchor: number) => (anchor === 0 ? 0 : Math.round((value / anchor) * 1000) / 1000);

export async function run(options: BenchOptions): Promise<BenchReport> {
  const seconds = options.seconds ?? DEFAULT_SECONDS;
  const rates = options.rates ?? DEFAULT_RATES;
  const dir = await mkdtemp(join(tmpdir(), 'herald-bench-ingest-'));
  const sender = (await startChild(['bench/ingest-sender.ts'], /ready/, { ipc: true })).child;
  const bareChild = await startChild(['bench/ingest-bare.ts', String(RECV_BUFFER_BYTES)], /ready (\d+)\n/, { ipc: true });
  const barePort = Number(bareChild.match[1]);
  const results: BenchResult[] = [];
  const notes: string[] = [];
  let zeroLoss = 0;
  try {
    for (const rate of rates) {
      const order = { kind: 'hep', transport: 'udp', rate, seconds } as const;
      const before = await ask<{ received: number }>(bareChild.child, 'count');
      const bareDropsBefore = await kernelDrops(barePort);
      const bareOffered = (await ask<{ offered: number }>(sender, { ...order, port: barePort, prefix: `b${rate}` })).offered;
      await sleep(500);
      const bare = (await ask<{ received: number }>(bareChild.child, 'count')).received - before.received;
      const bareDrops = (await kernelDrops(barePort)) - bareDropsBefore;
      const h = await heraldRun(join(dir, `hep-${rate}`), sender, order, `h${rate}`);
      const k = `${rate / 1000}k/s`;
      results.push(
        { name: `${k} bare socket: offered / received / kernel drops`, value: bare, unit: `of ${bareOffered} (kernel drops ${bareDrops})` },
        { name: `${k} herald: offered / received / kernel drops`, value: h.received, unit: `of ${h.offered} (kernel drops ${h.kernelDrops})` },
        { name: `${k} herald stored (rows in trace.db)`, value: h.stored, unit: `(${h.rows} rows; herald drops ${h.heraldDrops}; ${h.journalled} waited in the journal)`, anchor: 'bare socket received', ratio: ratio(h.stored, bare) },
        { name: `${k} herald peak RSS / longest loop stall`, value: h.peakRssMiB, unit: `MiB (loop stall max ${h.loop.maxMs} ms, p99 ${h.loop.p99Ms} ms)` },
        { name: `${k} herald CPU per received packet: main thread`, value: h.cpuUsPerPacket.main, unit: `µs (other threads ${h.cpuUsPerPacket.others} µs)` },
      );
      if (h.stored !== h.rows) notes.push(`${k}: stored counter ${h.stored} but ${h.rows} rows in trace.db`);
      if (h.heraldDrops === 0 && h.stored >= bare && h.stored === h.received) zeroLoss = Math.max(zeroLoss, rate);
    }
    results.push({ name: 'highest rate with zero loss inside Herald', value: zeroLoss, unit: 'packets/s offered' });
    if (options.rates === undefined || options.rates.includes(SIDE_RATE)) {
      const sip = await heraldRun(join(dir, 'sip'), sender, { kind: 'sip', transport: 'udp', rate: SIDE_RATE, seconds }, 's');
      results.push({ name: `${SIDE_RATE / 1000}k/s raw SIP/UDP herald: received / stored`, value: sip.stored, unit: `of ${sip.offered} offered, ${sip.received} received (kernel drops ${sip.kernelDrops}, herald drops ${sip.heraldDrops}, ${sip.journalled} journalled)`, anchor: 'offered', ratio: ratio(sip.stored, sip.offered) });
      const tcp = await heraldRun(join(dir, 'tcp'), sender, { kind: 'hep', transport: 'tcp', rate: SIDE_RATE, seconds }, 't');
      results.push({ name: `${SIDE_RATE / 1000}k/s HEP/TCP herald: stored`, value: tcp.stored, unit: `of ${tcp.offered} offered (herald drops ${tcp.heraldDrops}, peak RSS ${tcp.peakRssMiB} MiB)`, anchor: 'offered', ratio: ratio(tcp.stored, tcp.offered) });
    }
    notes.push(`the daemon runs ${COMPILED_IS_FRESH ? 'compiled (dist/)' : 'through tsx: dist/ is older than src/ (npm run build)'}`);
    notes.push(`${seconds} s per load; a fresh daemon per load; receive buffers ${RECV_BUFFER_BYTES / 2 ** 20} MiB; "zero loss inside Herald": stored == received, no Herald drop, stored >= what the bare socket received`);
  } finally {
    sender.kill('SIGTERM');
    bareChild.child.kill('SIGTERM');
    await sleep(300);
    await rm(dir, { recursive: true, force: true });
  }
  return { suite: 'ingest', results, notes };
}
