import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reachable } from '../src/testing/services.js';
import { TraceIngest } from '../src/trace/ingest.js';
import { INDEXES, openTraceStore, type TraceRow, type TraceStore } from '../src/trace/store/index.js';
import { SqliteTraceStore } from '../src/trace/store/sqlite-store.js';
import { round } from './measure.js';
import type { BenchOptions, BenchReport, BenchResult } from './report.js';
import { run as runCodec } from './trace-codec.js';
import { copyPostgres, naivePostgres, naiveSqlite } from './trace-baselines.js';
import { collectRow, hepFixtures, trafficRows } from './trace-rows.js';

/*
 * npm run bench -- trace
 *   codec     HEP decode (beside hep-js), HEP encode, TCP framing, SIP parse   (bench/trace-codec.ts)
 *   collector decode + parse + row per packet: the main thread's share of ingest
 *   sqlite    Herald's ingest beside naive better-sqlite3 (1,000-row transactions, WAL), the search indexes
 *   search    call-id lookup in a 1,000,000-row SQLite store
 *   postgres  Herald's unnest() batches beside COPY and beside naive single-row INSERTs
 * HERALD_BENCH_ROWS sets the ingest size (default 300,000).
 */
const INGEST_ROWS = Number(process.env.HERALD_BENCH_ROWS ?? 300_000);
const SEARCH_STORE_ROWS = 1_000_000;
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function codecResults(): Promise<BenchResult[]> {
  return (await runCodec()).map((r) => ({ name: r.name, value: Math.round(r.opsPerSec), unit: 'ops/s', ...(r.anchor !== undefined ? { anchor: r.anchor } : {}), ...(r.ratio !== undefined ? { ratio: round(r.ratio, 1) } : {}) }));
}

function collectorRate(): number {
  const packets = hepFixtures();
  let n = 0;
  for (let i = 0; i < 20_000; i++) if (collectRow(packets[i % packets.length])) n++; // warm up
  const rounds = 200_000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) if (collectRow(packets[i % packets.length])) n++;
  if (n === -1) process.stdout.write('');
  return rounds / ((performance.now() - start) / 1000);
}

/** Rows/s through TraceIngest (accept per message, batches of up to 10,000) until stop() has written and closed everything. */
async function heraldIngest(store: TraceStore, rows: readonly TraceRow[]): Promise<number> {
  await store.open();
  // Every row is queued at once: the queue bounds (rows and bytes) are lifted so none is refused.
  const ingest = new TraceIngest({ store, maxBatchRows: 10_000, maxQueueRows: rows.length, maxQueueBytes: Number.MAX_SAFE_INTEGER });
  const start = performance.now();
  for (const row of rows) {
    if (!ingest.accept([row])) throw new Error('TraceIngest refused a row: the benchmark would measure fewer rows than it reports');
  }
  await ingest.stop(600_000);
  await store.close();
  return rows.length / ((performance.now() - start) / 1000);
}

async function sqliteResults(dir: string, notes: string[]): Promise<BenchResult[]> {
  const rows = trafficRows(INGEST_ROWS);
  const naive = naiveSqlite(join(dir, 'naive.db'), rows);
  const herald = await heraldIngest(new SqliteTraceStore({ path: join(dir, 'herald.db'), table: 'sip_trace', mode: 'write' }), rows);
  const anchor = 'naive better-sqlite3 (1,000-row tx, WAL)';
  notes.push(`SQLite: ${INGEST_ROWS.toLocaleString('en-US')} rows, ${INDEXES.length} indexes, random Call-IDs; timed until the store is closed (final checkpoint included).`);
  return [
    { name: 'sqlite ingest, Herald (TraceIngest, 10,000-row batches)', value: Math.round(herald), unit: 'rows/s', anchor, ratio: round(herald / naive) },
    { name: anchor, value: Math.round(naive), unit: 'rows/s' },
  ];
}

async function searchResults(dir: string): Promise<BenchResult[]> {
  const store = await openTraceStore(`sqlite:${join(dir, 'search.db')}`);
  const callids: string[] = [];
  for (let at = 0; at < SEARCH_STORE_ROWS; at += 100_000) {
    const rows = trafficRows(100_000, Date.UTC(2026, 10, 1) * 1000 + at * 10);
    for (let i = 0; i < rows.length; i += 900) callids.push(rows[i].callid);
    await store.insertBatch(rows);
  }
  const samples: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    const callid = callids[(i * 7919) % callids.length];
    const start = performance.now();
    const found = await store.byCallId(callid);
    samples.push(performance.now() - start);
    if (found.length === 0) throw new Error(`call ${callid} not found`);
  }
  await store.close();
  samples.sort((a, b) => a - b);
  const at = (q: number) => round(samples[Math.floor(samples.length * q)], 3);
  return [
    { name: 'search by call-id, 1M-row SQLite store, median', value: at(0.5), unit: 'ms' },
    { name: 'search by call-id, 1M-row SQLite store, p99', value: at(0.99), unit: 'ms' },
  ];
}

async function postgresResults(notes: string[]): Promise<BenchResult[]> {
  if (!await reachable('127.0.0.1', 5432)) {
    notes.push('PostgreSQL not reachable on 127.0.0.1:5432: its figures were skipped.');
    return [];
  }
  const rows = trafficRows(Math.min(INGEST_ROWS, 200_000));
  const tables = ['bench_herald', 'bench_copy', 'bench_naive'].map((t) => `${t}_${process.pid}`);
  const stores = await Promise.all(tables.map((table) => openTraceStore(PG_URL, { table })));
  try {
    const herald = await heraldIngest(stores[0], rows);
    const copy = await copyPostgres(PG_URL, tables[1], rows);
    const naive = await naivePostgres(PG_URL, tables[2], rows.slice(0, 50_000));
    notes.push(`PostgreSQL: ${rows.length.toLocaleString('en-US')} rows into day-partitioned tables with the ${INDEXES.length} indexes (naive: the first 50,000).`);
    return [
      { name: 'postgres ingest, Herald (unnest() batches of 10,000)', value: Math.round(herald), unit: 'rows/s', anchor: 'COPY FROM STDIN', ratio: round(herald / copy) },
      { name: 'COPY FROM STDIN (10,000-row batches)', value: Math.round(copy), unit: 'rows/s' },
      { name: 'postgres naive single-row INSERTs (1,000-row tx)', value: Math.round(naive), unit: 'rows/s', anchor: 'COPY FROM STDIN', ratio: round(naive / copy) },
    ];
  } finally {
    for (const store of stores) await store.close().catch(() => undefined);
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    for (const table of tables) await client.query(`DROP TABLE IF EXISTS "${table}" CASCADE`);
    await client.query('DELETE FROM herald_schema WHERE table_name = ANY($1)', [tables]);
    await client.end();
  }
}

export async function run(_options: BenchOptions): Promise<BenchReport> {
  const notes: string[] = [];
  const results: BenchResult[] = [...await codecResults()];
  const collector = collectorRate();
  results.push({ name: 'collector decode + parse + row (per HEP packet, one thread)', value: Math.round(collector), unit: 'packets/s' });
  const dir = await mkdtemp(join(tmpdir(), 'herald-bench-trace-'));
  try {
    results.push(...await sqliteResults(dir, notes));
    results.push(...await searchResults(dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  results.push(...await postgresResults(notes));
  return { suite: 'trace', results, notes };
}
