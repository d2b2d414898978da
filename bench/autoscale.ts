import Database from 'better-sqlite3';
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SipParsePool, parseSipSummaries } from '../src/trace/sip-pool/sip-parse-pool.js';
import type { SipSummary } from '../src/trace/sip-pool/sip-batch.js';
import { round } from './measure.js';
import type { BenchOptions, BenchReport } from './report.js';

/*
 * The SIP parse pool against parsing on the main thread (its anchor), for the
 * ingest path: MESSAGES raw SIP messages from test/fixtures/rawsip, in batches
 * of BATCH, IN_FLIGHT batches per thread queued. Two figures per set-up:
 * messages/s (wall), and the main thread's busy time per message (event-loop
 * utilization × wall / messages), which is what bounds how fast a collector
 * can keep receiving. Then the same with what an ingest does next: each
 * batch's summaries inserted into SQLite (in memory, one transaction per
 * batch) on the main thread, while the pool parses the next batches.
 */
const MESSAGES = 400_000;
const BATCH = 512;
const IN_FLIGHT = 2;
const ROUNDS = 3;

function corpus(): Buffer[] {
  const dir = new URL('../test/fixtures/rawsip/', import.meta.url);
  return readdirSync(dir).filter((f) => f.endsWith('.bin')).sort().map((f) => readFileSync(new URL(f, dir)));
}

function batches(messages: readonly Buffer[]): Buffer[][] {
  const out: Buffer[][] = [];
  for (let start = 0; start < MESSAGES; start += BATCH) {
    out.push(Array.from({ length: Math.min(BATCH, MESSAGES - start) }, (_, i) => messages[(start + i) % messages.length]));
  }
  return out;
}

interface Sample {
  readonly rate: number;
  readonly mainUsPerMessage: number;
}

async function measure(run: () => Promise<number>): Promise<Sample> {
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  const parsed = await run();
  const wallMs = performance.now() - start;
  const busy = performance.eventLoopUtilization(elu);
  return { rate: parsed / (wallMs / 1000), mainUsPerMessage: (busy.active * 1000) / parsed };
}

type Store = (summaries: readonly SipSummary[]) => void;
const NO_STORE: Store = () => {};

/** An in-memory SQLite table shaped like the trace store's index columns. */
function sqliteStore(): { store: Store; close(): void } {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE sip_trace (call_id TEXT, method TEXT, status INTEGER, cseq INTEGER, from_user TEXT, from_tag TEXT, to_user TEXT, to_tag TEXT, branch TEXT)');
  const insert = db.prepare('INSERT INTO sip_trace VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const many = db.transaction((rows: readonly SipSummary[]) => {
    for (const r of rows) insert.run(r.callId, r.method, r.status, r.cseqNumber, r.fromUser, r.fromTag, r.toUser, r.toTag, r.viaBranch);
  });
  return { store: (rows) => void many(rows), close: () => db.close() };
}

async function inline(work: readonly Buffer[][], store: Store = NO_STORE): Promise<number> {
  let parsed = 0;
  for (const batch of work) {
    const summaries = parseSipSummaries(batch);
    store(summaries);
    parsed += summaries.length;
    // Yield as a collector would between reads.
    if (parsed % (BATCH * 16) === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return parsed;
}

async function pooled(pool: SipParsePool, work: readonly Buffer[][], threads: number, store: Store = NO_STORE): Promise<number> {
  let next = 0;
  let parsed = 0;
  const lane = async () => {
    while (next < work.length) {
      const batch = work[next++];
      // Not `parsed += await …`: that reads `parsed` before the await and loses the other lanes' counts.
      const summaries = await pool.parse(batch);
      store(summaries);
      parsed += summaries.length;
    }
  };
  await Promise.all(Array.from({ length: threads * IN_FLIGHT }, lane));
  return parsed;
}

function best(samples: Sample[]): Sample {
  return samples.reduce((a, b) => (b.rate > a.rate ? b : a));
}

async function rounds(run: () => Promise<number>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < ROUNDS; i++) samples.push(await measure(run));
  return best(samples);
}

function rows(label: string, base: Sample, pooledSamples: ReadonlyArray<readonly [number, Sample]>): BenchReport['results'] {
  const out: BenchReport['results'] = [
    { name: `${label}, main thread (anchor)`, value: Math.round(base.rate), unit: 'msg/s' },
    { name: `${label}, main thread: main-thread time`, value: round(base.mainUsPerMessage, 2), unit: 'µs/msg' },
  ];
  for (const [threads, s] of pooledSamples) {
    out.push(
      { name: `${label}, SipParsePool ${threads} thread(s)`, value: Math.round(s.rate), unit: 'msg/s', anchor: 'main thread', ratio: round(s.rate / base.rate, 2) },
      { name: `${label}, SipParsePool ${threads} thread(s): main-thread time`, value: round(s.mainUsPerMessage, 2), unit: 'µs/msg', anchor: 'main thread', ratio: round(s.mainUsPerMessage / base.mainUsPerMessage, 2) },
    );
  }
  return out;
}

export async function run(_options: BenchOptions): Promise<BenchReport> {
  const work = batches(corpus());
  const sqlite = sqliteStore();
  await inline(work);
  const parseOnly = await rounds(() => inline(work));
  const ingest = await rounds(() => inline(work, sqlite.store));
  const parsePooled: Array<[number, Sample]> = [];
  const ingestPooled: Array<[number, Sample]> = [];
  for (const threads of [1, 2]) {
    const pool = new SipParsePool({ workers: threads });
    await pooled(pool, work, threads); // warm the threads' JIT
    parsePooled.push([threads, await rounds(() => pooled(pool, work, threads))]);
    ingestPooled.push([threads, await rounds(() => pooled(pool, work, threads, sqlite.store))]);
    await pool.close();
  }
  sqlite.close();
  return {
    suite: 'autoscale',
    results: [...rows('parse', parseOnly, parsePooled), ...rows('parse + SQLite insert', ingest, ingestPooled)],
    notes: [
      `${MESSAGES} messages from test/fixtures/rawsip, batches of ${BATCH}, ${IN_FLIGHT} batches in flight per thread; best of ${ROUNDS} rounds.`,
      'Main-thread time is event-loop utilization: what is left for receiving and storing while the pool parses.',
    ],
  };
}
