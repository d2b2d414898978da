import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Transferable } from 'node:worker_threads';
import { WRITE_OK } from '../../bus/backend.js';
import { HeraldError, toError, type HeraldErrorCode } from '../../errors/herald-error.js';
import { WorkerPool } from '../../process/autoscale/worker-pool.js';
import { packedTransfer, packRows } from './row-pack.js';
import type { SqliteThreadInput, SqliteThreadOutput, SqliteThreadTask, ThreadError } from './sqlite-thread-task.js';
import type { RetentionResult, StoreWriteResult, TraceQuery, TraceRecord, TraceRow, TraceStore } from './types.js';
import { siblingModule } from '../../runtime/thread-module.js';

// From source (tsx) the task module is .ts; from dist it is .js.
const TASK_MODULE = siblingModule(import.meta.url, 'sqlite-thread-task');

/**
 * Rows sent to the thread per message. A 10,000-row batch copied at once held the
 * main thread for 40-140 ms on a loaded 2-core machine (structured clone, ~4-14 µs a
 * row); 500 rows hold it a few ms, and the sockets are read between chunks. The rows
 * travel packed (row-pack.ts), a quarter of the clone's cost.
 */
const ROWS_PER_CHUNK = 500;

/*
 *  main thread                                   writer thread (sqlite-thread-task.ts)
 *  insertBatch(rows) ─ stage 500 rows ─ … ─────▶  collects the chunks of batch N
 *                    └ commit N ───────────────▶  one transaction (SqliteTraceStore) ─▶ result
 *  search / byCallId / count / retention ──────▶  same thread, in turn with the writes
 *
 * The SQLite file's writes (one 10,000-row transaction is ~100 ms) never run on the
 * event loop that reads the collector sockets (issue 11: the receive loop stalled for
 * hundreds of ms and the kernel dropped half of 25,000 packets/s).
 */

/** The SQLite trace store written from its own worker thread; same file, same behaviour as SqliteTraceStore. */
export class SqliteThreadStore implements TraceStore {
  readonly kind = 'sqlite';
  readonly table: string;
  readonly location: string;
  #pool: WorkerPool | undefined;
  #batch = 0;
  #closed = false;

  readonly #nice: number | undefined;

  constructor(options: { readonly path: string; readonly table: string; readonly nice?: number }) {
    this.table = options.table;
    this.location = options.path;
    this.#nice = options.nice;
  }

  async open(): Promise<void> {
    this.#pool = new WorkerPool({ taskModule: TASK_MODULE, workers: 1, name: 'sqlite_writer' });
    try {
      await this.#call({ op: 'open', ...(this.#nice !== undefined ? { nice: this.#nice } : {}) });
    } catch (error) {
      await this.#pool.close();
      this.#pool = undefined;
      throw error;
    }
  }

  async insertBatch(rows: readonly TraceRow[]): Promise<StoreWriteResult> {
    if (this.#pool === undefined || this.#closed) return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', 'Trace store is closed') };
    if (rows.length === 0) return WRITE_OK;
    const batch = ++this.#batch;
    try {
      const staged: Array<Promise<unknown>> = [];
      for (let at = 0; at < rows.length; at += ROWS_PER_CHUNK) {
        if (at > 0) await yieldToLoop();
        const packed = packRows(rows.slice(at, at + ROWS_PER_CHUNK));
        staged.push(this.#call({ op: 'stage', batch, rows: packed }, packedTransfer(packed)));
      }
      const result = await this.#call({ op: 'commit', batch, rows: rows.length }) as { status: 'ok' } | { status: 'retryable' | 'failed'; error: ThreadError };
      await Promise.all(staged);
      return result.status === 'ok' ? WRITE_OK : { status: result.status, error: errorFrom(result.error) };
    } catch (error) {
      // The thread died or the pool closed under the batch: nothing was committed, so it may be sent again.
      return { status: this.#closed ? 'failed' : 'retryable', error: toError(error) };
    }
  }

  async search(query: TraceQuery): Promise<TraceRecord[]> {
    return await this.#call({ op: 'search', query }) as TraceRecord[];
  }

  async byCallId(callid: string): Promise<TraceRecord[]> {
    return await this.#call({ op: 'byCallId', callid }) as TraceRecord[];
  }

  async count(): Promise<number> {
    return await this.#call({ op: 'count' }) as number;
  }

  async applyRetention(keepDays: number, nowMs?: number): Promise<RetentionResult> {
    return await this.#call({ op: 'retention', keepDays, ...(nowMs !== undefined ? { nowMs } : {}) }) as RetentionResult;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const pool = this.#pool;
    if (pool === undefined) return;
    try {
      await this.#call({ op: 'close' });
    } finally {
      await pool.close();
    }
  }

  async #call(task: SqliteThreadTask, transfer: readonly Transferable[] = []): Promise<unknown> {
    const pool = this.#pool;
    if (pool === undefined) throw new HeraldError('HERALD_ERR_BACKEND_CLOSED', 'Trace store is not open');
    const input: SqliteThreadInput = { path: this.location, table: this.table, task };
    const output = await pool.run<SqliteThreadOutput>(input, transfer);
    if (!output.ok) throw errorFrom(output.error);
    return output.value;
  }
}

/** The thread's error as the main thread's: a HeraldError keeps its code, a SQLite error its `code`. */
function errorFrom(error: ThreadError): Error {
  if (error.herald && error.code !== undefined) return new HeraldError(error.code as HeraldErrorCode, error.message);
  return Object.assign(new Error(error.message), error.code !== undefined ? { code: error.code } : {});
}
