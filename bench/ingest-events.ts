import { createSocket } from 'node:dgram';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { freePort, ROOT, startChild } from './child.js';
import type { BenchOptions, BenchReport, BenchResult } from './report.js';

/*
 * npm run bench -- ingest-events
 *
 *   this process (load) ──HTTP/UDP──▶ `herald serve` (own process: ingest → bus → jsonl events.log)
 *                       ──HTTP/UDP──▶ anchor (own process: bare fastify route / bare dgram, parse only)
 *
 * Three loads, each against both, in the same run: NDJSON batches (events/s), Dovecot
 * single-event POSTs over keep-alive (requests/s), OpenSIPS JSON-RPC datagrams (events/s
 * received). Herald runs with one subscriber, jsonl:<data_dir>/events.log at info and above,
 * so what it takes is also written; NDJSON is measured once more with the default
 * subscribers (jsonl + the SQLite event store).
 */

const SECONDS = Number(process.env.HERALD_BENCH_SECONDS ?? 3);
const NDJSON_LINES = 1000;
const CONNECTIONS = 4;

const RECORD = '{"type":"E_CORE_THRESHOLD","params":{"source":"dns","time":1500,"extra":"example.com"}}';
const NDJSON = `${Array.from({ length: NDJSON_LINES }, () => RECORD).join('\n')}\n`;
const DATAGRAM = Buffer.from('{"jsonrpc":"2.0","method":"E_CORE_TCP_DISCONNECT","params":{"src_ip":"10.0.0.1","src_port":5060,"dst_ip":"10.0.0.2","dst_port":5061,"proto":"tcp"}}');

/** Posts `body` on CONNECTIONS keep-alive connections for SECONDS; returns what the answers count per second. */
async function postLoad(base: string, path: string, contentType: string, body: string | Buffer, count: (status: number, text: string) => number): Promise<{ perSecond: number; refused: number }> {
  const pool = new Pool(base, { connections: CONNECTIONS, pipelining: 1 });
  const end = performance.now() + SECONDS * 1000;
  let counted = 0;
  let refused = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const response = await pool.request({ method: 'POST', path, headers: { 'content-type': contentType }, body });
      const text = await response.body.text();
      if (response.statusCode >= 300) refused++;
      counted += count(response.statusCode, text);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { perSecond: Math.round(counted / elapsed), refused };
}

/** Sends datagrams for SECONDS (bursts of 64, then a turn of the loop); `received` reads the far side's count. */
async function udpLoad(port: number, received: () => Promise<number>): Promise<{ perSecond: number; sent: number }> {
  const socket = createSocket('udp4');
  const before = await received();
  const started = performance.now();
  const end = started + SECONDS * 1000;
  let sent = 0;
  while (performance.now() < end) {
    await Promise.all(Array.from({ length: 64 }, () => new Promise<void>((resolve) => socket.send(DATAGRAM, port, '127.0.0.1', () => resolve()))));
    sent += 64;
  }
  const elapsed = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500));
  socket.close();
  return { perSecond: Math.round(((await received()) - before) / elapsed), sent };
}

type Subscribers = 'jsonl' | 'default' | 'none';

/** `herald serve` with only the jsonl subscriber, the default ones (+ SQLite event store), or none (the ingest door alone). */
async function startHerald(dir: string, subscribers: Subscribers) {
  const [http, opensips, mi] = [await freePort(), await freePort(), await freePort()];
  await mkdir(dir, { recursive: true });
  const config = join(dir, 'herald.yaml');
  await writeFile(config, JSON.stringify({
    data_dir: join(dir, 'data'),
    ...(subscribers === 'jsonl' ? { subscribers: [{ socket: `jsonl:${join(dir, 'data', 'events.log')}`, filter: 'level>=info' }] } : {}),
    ...(subscribers === 'none' ? { subscribers: [] } : {}),
    log: { level: 'warn' },
    mi: { listen: `127.0.0.1:${mi}`, require_token: false },
    hep: { enabled: false },
    sip: { enabled: false },
    trace: { enabled: false },
    ingest: { http: { listen: `127.0.0.1:${http}` }, opensips: { listen: `127.0.0.1:${opensips}` } },
  }));
  const { child } = await startChild(['src/cli/bin.ts', 'serve', '--config', config], /herald ready/);
  const stats = async (): Promise<number> => {
    const response = await fetch(`http://127.0.0.1:${mi}/mi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"get_statistics"}' });
    const answer = await response.json() as { result: { ingest: Record<string, Record<string, number>> } };
    return answer.result.ingest.opensips?.accepted ?? 0;
  };
  return { child, http: `http://127.0.0.1:${http}`, opensips, stats };
}

function ratio(value: number, anchor: number): number {
  return anchor === 0 ? 0 : Math.round((value / anchor) * 100) / 100;
}

export async function run(_options: BenchOptions): Promise<BenchReport> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-bench-ingest-'));
  const herald = await startHerald(join(dir, 'jsonl'), 'jsonl');
  const anchorChild = await startChild(['bench/ingest-anchor.ts'], /ready (\d+) (\d+)\n/);
  const anchorHttp = `http://127.0.0.1:${anchorChild.match[1]}`;
  const anchorUdp = Number(anchorChild.match[2]);
  const anchorCount = async () => ((await (await fetch(`${anchorHttp}/count`)).json()) as { parsed: number }).parsed;
  const dovecotBody = await readFile(join(ROOT, 'test/fixtures/dovecot-json/json-0009.body'));
  const accepted = (status: number, text: string) => (status === 200 ? (JSON.parse(text) as { accepted: number }).accepted : 0);
  const noContent = (status: number) => (status === 204 ? 1 : 0);
  const results: BenchResult[] = [];
  const notes: string[] = [];
  try {
    const bareNdjson = await postLoad(anchorHttp, '/ingest', 'application/x-ndjson', NDJSON, accepted);
    const ndjson = await postLoad(herald.http, '/ingest', 'application/x-ndjson', NDJSON, accepted);
    results.push({ name: `bare fastify route, NDJSON ×${NDJSON_LINES}`, value: bareNdjson.perSecond, unit: 'events/s' });
    results.push({ name: `herald serve POST /ingest, NDJSON ×${NDJSON_LINES}`, value: ndjson.perSecond, unit: 'events/s', anchor: 'bare fastify route', ratio: ratio(ndjson.perSecond, bareNdjson.perSecond) });
    for (const [subscribers, label] of [['default', 'default subscribers (+ SQLite event store)'], ['none', 'no subscriber (parse + type only)']] as const) {
      const other = await startHerald(join(dir, subscribers), subscribers);
      try {
        const load = await postLoad(other.http, '/ingest', 'application/x-ndjson', NDJSON, accepted);
        results.push({ name: `same, ${label}`, value: load.perSecond, unit: 'events/s', anchor: 'bare fastify route', ratio: ratio(load.perSecond, bareNdjson.perSecond) });
        if (load.refused > 0) notes.push(`${label}: ${load.refused} NDJSON requests refused with 429 (a subscriber queue was full)`);
      } finally {
        other.child.kill('SIGTERM');
      }
    }
    const bareDovecot = await postLoad(anchorHttp, '/ingest/dovecot', 'application/json', dovecotBody, noContent);
    const dovecot = await postLoad(herald.http, '/ingest/dovecot', 'application/json', dovecotBody, noContent);
    results.push({ name: 'bare fastify route, Dovecot json POST', value: bareDovecot.perSecond, unit: 'requests/s' });
    results.push({ name: 'herald serve POST /ingest/dovecot', value: dovecot.perSecond, unit: 'requests/s', anchor: 'bare fastify route', ratio: ratio(dovecot.perSecond, bareDovecot.perSecond) });
    const bareUdp = await udpLoad(anchorUdp, anchorCount);
    const udp = await udpLoad(herald.opensips, herald.stats);
    results.push({ name: 'bare dgram receiver, JSON-RPC datagrams', value: bareUdp.perSecond, unit: 'events/s' });
    results.push({ name: 'herald serve OpenSIPS UDP', value: udp.perSecond, unit: 'events/s', anchor: 'bare dgram receiver', ratio: ratio(udp.perSecond, bareUdp.perSecond) });
    notes.push(`${CONNECTIONS} keep-alive connections, ${SECONDS} s per load; herald (jsonl subscriber only) refused ${ndjson.refused} NDJSON and ${dovecot.refused} Dovecot requests (429: bus full)`);
    notes.push(`datagrams sent: ${bareUdp.sent} to the bare receiver, ${udp.sent} to herald (the rest were lost in the socket buffer)`);
  } finally {
    herald.child.kill('SIGTERM');
    anchorChild.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await rm(dir, { recursive: true, force: true });
  }
  return { suite: 'ingest-events', results, notes };
}
