import type { TraceRow } from '../trace/store/types.js';

/*
 * A trace row as it crosses JetStream from a collector to a writer: one JSON object per
 * message, `{"v":1,"uid":…,<the TraceRow fields>}`. Both sides use these two functions
 * (test/scale-out/row-codec.test.ts round-trips them); a writer refuses anything else
 * with a message naming the field.
 */

const FORMAT_VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STRINGS = [
  'callid', 'tracedUser', 'msg', 'method', 'status', 'fromProto', 'fromIp', 'toProto', 'toIp', 'fromtag', 'totag', 'node', 'fromUser', 'toUser', 'ruriUser',
] as const;
const INTEGERS = ['timeUs', 'fromPort', 'toPort', 'captureId'] as const;

export type DecodedRow = { readonly ok: true; readonly row: TraceRow & { readonly uid: string } } | { readonly ok: false; readonly message: string };

/** The message body for one row; `uid` is its id across the broker (and its Nats-Msg-Id). */
export function encodeTraceRow(row: TraceRow, uid: string): string {
  return JSON.stringify({ ...row, v: FORMAT_VERSION, uid });
}

/** Parses and checks one message body; never throws. */
export function decodeTraceRow(body: string): DecodedRow {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return { ok: false, message: `not JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  if (record.v !== FORMAT_VERSION) return { ok: false, message: `unknown row format v=${JSON.stringify(record.v)} (this writer reads v=${FORMAT_VERSION})` };
  if (typeof record.uid !== 'string' || !UUID.test(record.uid)) return { ok: false, message: 'uid: not a UUID' };
  for (const key of STRINGS) if (typeof record[key] !== 'string') return { ok: false, message: `${key}: not a string` };
  for (const key of INTEGERS) if (!Number.isSafeInteger(record[key]) || (record[key] as number) < 0) return { ok: false, message: `${key}: not a whole number >= 0` };
  if (record.traceAttrs !== null && typeof record.traceAttrs !== 'string') return { ok: false, message: 'traceAttrs: not a string or null' };
  if (record.direction !== '' && record.direction !== 'in' && record.direction !== 'out') return { ok: false, message: 'direction: not "", "in" or "out"' };
  const row = {} as Record<string, unknown>;
  for (const key of [...STRINGS, ...INTEGERS, 'traceAttrs', 'direction', 'uid']) row[key] = record[key];
  return { ok: true, row: row as unknown as TraceRow & { readonly uid: string } };
}
