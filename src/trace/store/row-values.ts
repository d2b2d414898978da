import { LEGACY_COLUMNS } from './columns.js';
import { COLUMN_WIDTH as W, fit } from './fit.js';
import type { TraceRecord, TraceRow } from './types.js';

let cachedSecond = Number.NaN;
let cachedStamp = '';

/**
 * `YYYY-MM-DD HH:MM:SS` in UTC for a whole second. Rows of one batch mostly share
 * their second, so the last answer is kept: formatting is the costliest part of
 * turning a row into values.
 */
export function formatUtcSecond(second: number): string {
  if (second === cachedSecond) return cachedStamp;
  const iso = new Date(second * 1000).toISOString();
  cachedSecond = second;
  cachedStamp = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return cachedStamp;
}

/** `YYYY-MM-DD HH:MM:SS` (UTC) for a µs timestamp, for query bounds. */
export function stampOfUs(timeUs: number): string {
  return formatUtcSecond(Math.floor(timeUs / 1e6));
}

/** Parses a stored time_stamp (string in SQLite; Date or string from the drivers) plus time_us. */
export function timeUsOf(stamp: unknown, timeUs: unknown): number {
  let ms: number;
  if (stamp instanceof Date) ms = stamp.getTime();
  else ms = Date.parse(`${String(stamp).replace(' ', 'T')}Z`);
  const seconds = Math.floor((Number.isFinite(ms) ? ms : 0) / 1000);
  return seconds * 1e6 + (Number(timeUs) || 0);
}

/**
 * Appends one row's values to `out` in DATA_COLUMNS order, each cut to its
 * column (fit: searches cut the same way), then the values of the legacy
 * columns the table has. Hot path: no intermediate arrays.
 */
export function pushRowValues(out: unknown[], row: TraceRow, legacy: readonly string[]): void {
  const second = Math.floor(row.timeUs / 1e6);
  const stamp = formatUtcSecond(second);
  out.push(
    stamp, row.timeUs - second * 1e6, fit(row.callid, W.callid), fit(row.tracedUser, W.traced_user),
    row.traceAttrs === null ? null : fit(row.traceAttrs, W.trace_attrs), row.msg, fit(row.method, W.method), fit(row.status, W.status),
    fit(row.fromProto, W.from_proto), fit(row.fromIp, W.from_ip), row.fromPort, fit(row.toProto, W.to_proto), fit(row.toIp, W.to_ip), row.toPort,
    fit(row.fromtag, W.fromtag), fit(row.totag, W.totag), row.direction, row.captureId, fit(row.node, W.node),
    fit(row.fromUser, W.from_user), fit(row.toUser, W.to_user), fit(row.ruriUser, W.ruri_user),
    fit(`${row.fromProto}:${row.fromIp}:${row.fromPort}`, W.fromip), fit(`${row.toProto}:${row.toIp}:${row.toPort}`, W.toip),
    row.uid ?? null,
  );
  for (const name of legacy) out.push(LEGACY_COLUMNS[name](row, stamp));
}

/** The columns of one stored row as the drivers return them. */
export type DbRow = Readonly<Record<string, unknown>>;

const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const num = (value: unknown): number => Number(value ?? 0) || 0;

/** Turns a driver row back into a TraceRecord (ids and bigints become numbers). */
export function recordOf(row: DbRow): TraceRecord {
  const direction = str(row.direction);
  return {
    id: num(row.id),
    timeUs: timeUsOf(row.time_stamp, row.time_us),
    callid: str(row.callid),
    tracedUser: str(row.traced_user),
    traceAttrs: row.trace_attrs === null || row.trace_attrs === undefined ? null : String(row.trace_attrs),
    msg: str(row.msg),
    method: str(row.method),
    status: str(row.status),
    fromProto: str(row.from_proto),
    fromIp: str(row.from_ip),
    fromPort: num(row.from_port),
    toProto: str(row.to_proto),
    toIp: str(row.to_ip),
    toPort: num(row.to_port),
    fromtag: str(row.fromtag),
    totag: str(row.totag),
    direction: direction === 'in' || direction === 'out' ? direction : '',
    captureId: num(row.capture_id),
    node: str(row.node),
    fromUser: str(row.from_user),
    toUser: str(row.to_user),
    ruriUser: str(row.ruri_user),
    ...(row.row_uid === null || row.row_uid === undefined ? {} : { uid: String(row.row_uid) }),
  };
}
