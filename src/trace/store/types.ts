import type { WriteResult } from '../../bus/backend.js';

/**
 * One row of the `sip_trace` table, as Herald writes it. Column names are the
 * snake_case forms (`fromIp` → `from_ip`); see columns.ts for types per database.
 */
export interface TraceRow {
  /** Capture time in µs since the epoch (UTC): `time_stamp` holds the second, `time_us` the µs within it. */
  readonly timeUs: number;
  readonly callid: string;
  /** '' when no user is traced (Kamailio's default). */
  readonly tracedUser: string;
  /** OpenSIPS's free-form attributes; null when none. */
  readonly traceAttrs: string | null;
  /** The SIP message as received. */
  readonly msg: string;
  /** Request method; for replies the CSeq method (Kamailio), so `method = 'INVITE'` finds a whole transaction. */
  readonly method: string;
  /** Reply code, e.g. `200`; '' for requests. */
  readonly status: string;
  readonly fromProto: string;
  readonly fromIp: string;
  readonly fromPort: number;
  readonly toProto: string;
  readonly toIp: string;
  readonly toPort: number;
  readonly fromtag: string;
  readonly totag: string;
  /** `in` (received), `out` (sent), or '' when the capture does not say (HEP, raw SIP copies). */
  readonly direction: '' | 'in' | 'out';
  /** HEP capture agent id; 0 when not captured over HEP. */
  readonly captureId: number;
  /** Capture agent (HEP chunk 0x13) or tracer node name; '' when none. */
  readonly node: string;
  /** User part of the From URI; '' when it has none. */
  readonly fromUser: string;
  /** User part of the To URI; '' when it has none. */
  readonly toUser: string;
  /** User part of the Request-URI; '' for replies and URIs without one. */
  readonly ruriUser: string;
  /**
   * The row's own id (a UUID, column `row_uid`), given when it crossed a broker (role
   * collector, docs/scale-out.md): PostgreSQL keeps one row per uid, so a redelivered
   * row is not stored twice. Undefined (NULL) for rows written where they were collected.
   */
  readonly uid?: string;
}

/** A stored row: the row plus its id. */
export interface TraceRecord extends TraceRow {
  readonly id: number;
}

/** What `search` matches; every given field must match (AND). */
export interface TraceQuery {
  readonly callid?: string;
  /** Matches any of `traced_user`, `from_user`, `to_user` and `ruri_user`. */
  readonly user?: string;
  /** Matches `from_user`. */
  readonly fromUser?: string;
  /** Matches `to_user`. */
  readonly toUser?: string;
  /** Matches `from_ip` or `to_ip`. */
  readonly ip?: string;
  /** Request method (case-insensitive input, stored upper case as received). */
  readonly method?: string;
  /** Reply code (`486`), or a class (`4xx`). */
  readonly status?: string;
  /** Inclusive lower bound, µs since the epoch. */
  readonly sinceUs?: number;
  /** Exclusive upper bound, µs since the epoch. */
  readonly untilUs?: number;
  /** Most rows returned, newest first. Default 100, at most MAX_SEARCH_LIMIT. */
  readonly limit?: number;
}

export const DEFAULT_SEARCH_LIMIT = 100;
export const MAX_SEARCH_LIMIT = 10_000;
/** Rows deleted per retention statement (SQLite, MySQL, plain PostgreSQL tables); the event loop runs between them. */
export const RETENTION_CHUNK_ROWS = 5000;
/** Most rows `byCallId` returns: a call with more is cut (and says so). */
export const MAX_CALL_ROWS = 10_000;

/** What a retention pass removed. */
export interface RetentionResult {
  readonly deletedRows: number;
  /** PostgreSQL: day partitions dropped whole. */
  readonly droppedPartitions: readonly string[];
}

/**
 * Result of writing one batch: the bus's WriteResult. `retryable` when the same
 * batch may succeed later (connection, lock, disk full); `failed` when the
 * database refused the data (TraceIngest then isolates the refused rows).
 */
export type StoreWriteResult = WriteResult;

export type TraceStoreKind = 'sqlite' | 'postgres' | 'mysql' | 'jetstream';

/**
 * The trace store: one `sip_trace`-style table in SQLite, PostgreSQL or MySQL/MariaDB.
 * `insertBatch` never throws; it says whether the batch may be retried.
 */
export interface TraceStore {
  readonly kind: TraceStoreKind;
  readonly table: string;
  /** Where it is, for people: a path or a URL without password. */
  readonly location: string;
  /** Connects and creates or migrates the schema (write mode), or checks the table exists (read mode). */
  open(): Promise<void>;
  insertBatch(rows: readonly TraceRow[]): Promise<StoreWriteResult>;
  search(query: TraceQuery): Promise<TraceRecord[]>;
  /** Every row of one call (up to MAX_CALL_ROWS), oldest first. */
  byCallId(callid: string): Promise<TraceRecord[]>;
  count(): Promise<number>;
  /** Removes rows older than `keepDays` days before `nowMs`. */
  applyRetention(keepDays: number, nowMs?: number): Promise<RetentionResult>;
  /** Graceful and idempotent. */
  close(): Promise<void>;
}

export interface TraceStoreOptions {
  /** Table name; validated against TABLE_NAME_PATTERN. Default `sip_trace`. */
  readonly table?: string;
  /** `read` never creates or alters anything (CLI search on a live daemon's store). Default `write`. */
  readonly mode?: 'read' | 'write';
  /** Resolves `sqlite:` (no path) to `<dataDir>/trace.db`. */
  readonly dataDir?: string;
  /**
   * SQLite in write mode: run the database on its own worker thread (SqliteThreadStore), so
   * writes never hold the caller's event loop. The daemon's store does; one-off tools need not.
   */
  readonly writerThread?: boolean;
  /** Linux nice value of the writer thread (see trace.yield_to_receivers); absent leaves it alone. */
  readonly writerNice?: number;
}
