import { setPriority } from 'node:os';
import { isHeraldError } from '../../errors/herald-error.js';
import { SqliteTraceStore } from './sqlite-store.js';
import { unpackRows, type PackedRows } from './row-pack.js';
import type { TraceQuery, TraceRow } from './types.js';

/*
 * The worker-thread side of SqliteThreadStore (sqlite-thread-store.ts): one write-mode
 * SqliteTraceStore per thread, opened by the first task (every task names the file, so
 * a thread that replaced a crashed one opens it again). A batch arrives as chunks
 * (`stage`) and is written by `commit` in one transaction, so the main thread never
 * copies more than a chunk at a time. Answers are plain data and never throw: errors
 * come back with their code.
 */

export type SqliteThreadTask =
  | { readonly op: 'open'; readonly nice?: number }
  | { readonly op: 'stage'; readonly batch: number; readonly rows: PackedRows }
  | { readonly op: 'commit'; readonly batch: number; readonly rows: number }
  | { readonly op: 'search'; readonly query: TraceQuery }
  | { readonly op: 'byCallId'; readonly callid: string }
  | { readonly op: 'count' }
  | { readonly op: 'retention'; readonly keepDays: number; readonly nowMs?: number }
  | { readonly op: 'close' };

export interface SqliteThreadInput {
  readonly path: string;
  readonly table: string;
  readonly task: SqliteThreadTask;
}

export interface ThreadError {
  readonly message: string;
  readonly code?: string;
  readonly herald: boolean;
}

export type SqliteThreadOutput = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ThreadError };

let store: SqliteTraceStore | undefined;
let staged: { batch: number; rows: TraceRow[] } | undefined;

async function storeFor(path: string, table: string): Promise<SqliteTraceStore> {
  if (store === undefined) {
    const opening = new SqliteTraceStore({ path, table, mode: 'write' });
    await opening.open();
    store = opening;
  }
  return store;
}

function stage(batch: number, packed: PackedRows): void {
  if (staged?.batch !== batch) staged = { batch, rows: [] };
  for (const row of unpackRows(packed)) staged.rows.push(row);
}

async function perform(path: string, table: string, task: SqliteThreadTask): Promise<unknown> {
  if (task.op === 'close') {
    await store?.close();
    store = undefined;
    return undefined;
  }
  const open = await storeFor(path, table);
  switch (task.op) {
    case 'open':
      if (task.nice !== undefined) yieldCpu(task.nice);
      return undefined;
    case 'stage': return stage(task.batch, task.rows);
    case 'commit': {
      const rows = staged?.batch === task.batch ? staged.rows : [];
      staged = undefined;
      // Chunks lost with a crashed thread: the whole batch is sent again.
      if (rows.length !== task.rows) return { status: 'retryable', error: { message: `Trace store thread had ${rows.length} of ${task.rows} rows of the batch`, herald: false } };
      const result = await open.insertBatch(rows);
      return result.status === 'ok' ? result : { status: result.status, error: errorOf(result.error) };
    }
    case 'search': return open.search(task.query);
    case 'byCallId': return open.byCallId(task.callid);
    case 'count': return open.count();
    case 'retention': return open.applyRetention(task.keepDays, task.nowMs);
  }
}

/**
 * Bulk writes give way to the collector sockets' receive threads: what the writer has not
 * stored waits in the queue or the journal, while a datagram the kernel drops is gone.
 * On Linux a priority set with pid 0 is the calling thread's alone.
 */
function yieldCpu(nice: number): void {
  try {
    setPriority(nice);
  } catch {
    // Not permitted here: the writer keeps the process's priority.
  }
}

function errorOf(error: unknown): ThreadError {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as Error & { code?: unknown }).code;
  return { message: err.message, herald: isHeraldError(err), ...(typeof code === 'string' ? { code } : {}) };
}

export async function run(input: SqliteThreadInput): Promise<SqliteThreadOutput> {
  try {
    return { ok: true, value: await perform(input.path, input.table, input.task) };
  } catch (error) {
    return { ok: false, error: errorOf(error) };
  }
}
