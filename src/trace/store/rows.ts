import type { TracedSip } from '../destinations/types.js';
import { DATA_COLUMNS } from './columns.js';
import type { TraceRow } from './types.js';

/** Where and when a message was seen, and who it is traced for. */
export interface RowMeta {
  readonly timeUs: number;
  readonly direction: '' | 'in' | 'out';
  readonly fromProto: string;
  readonly fromIp: string;
  readonly fromPort: number;
  readonly toProto: string;
  readonly toIp: string;
  readonly toPort: number;
  readonly captureId: number;
  readonly node: string;
  /** One row per user; none gives one row with traced_user ''. */
  readonly users: readonly string[];
  readonly attrs: string | null;
}

const LIMIT: Readonly<Record<string, number>> = Object.fromEntries(
  DATA_COLUMNS.filter((column) => column.maxChars !== undefined).map((column) => [column.name, column.maxChars as number]),
);

/**
 * Cuts a value to its column's width in characters (code points, never half a
 * surrogate pair), so one hostile header cannot make a database refuse the
 * whole batch. The message column keeps the full text.
 */
export function fitColumn(value: string, column: string): string {
  const max = LIMIT[column];
  if (max === undefined || value.length <= max) return value;
  return Array.from(value).slice(0, max).join('');
}

/** Turns one parsed SIP message into its rows: one per traced user (or one with none). */
export function rowsFromSip(message: TracedSip, text: string, meta: RowMeta): TraceRow[] {
  const isRequest = message.kind === 'request';
  const base = {
    timeUs: meta.timeUs,
    callid: fitColumn(message.callId, 'callid'),
    traceAttrs: meta.attrs === null ? null : fitColumn(meta.attrs, 'trace_attrs'),
    msg: text,
    method: fitColumn((isRequest ? message.method : message.cseqMethod) ?? '', 'method'),
    status: isRequest ? '' : String(message.status ?? ''),
    fromProto: fitColumn(meta.fromProto, 'from_proto'),
    fromIp: fitColumn(meta.fromIp, 'from_ip'),
    fromPort: meta.fromPort,
    toProto: fitColumn(meta.toProto, 'to_proto'),
    toIp: fitColumn(meta.toIp, 'to_ip'),
    toPort: meta.toPort,
    fromtag: fitColumn(message.fromTag, 'fromtag'),
    totag: fitColumn(message.toTag, 'totag'),
    direction: meta.direction,
    captureId: meta.captureId,
    node: fitColumn(meta.node, 'node'),
  };
  if (meta.users.length === 0) return [{ ...base, tracedUser: '' }];
  return meta.users.map((user) => ({ ...base, tracedUser: fitColumn(user, 'traced_user') }));
}
