import { HeraldError } from '../errors/herald-error.js';
import { buildLadder, endpoint, type Ladder } from './ladder.js';
import type { TraceQuery, TraceRecord, TraceStore } from './store/types.js';

/** Search criteria as people type them (CLI flags, MI params): times may be relative. */
export interface SearchInput {
  readonly callid?: string;
  /** Traced user, or the From, To or Request-URI user. */
  readonly user?: string;
  readonly fromUser?: string;
  readonly toUser?: string;
  readonly ip?: string;
  readonly method?: string;
  readonly status?: string;
  /** ISO 8601, Unix seconds, or an age such as `15m`, `2h`, `7d`. */
  readonly since?: string;
  readonly until?: string;
  readonly limit?: number;
}

const AGE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A time bound in µs: `2026-11-22T05:00:00Z` (no zone means UTC, as stored),
 * `1795317185` (Unix seconds), `now`, or an age back from `nowMs` (`90s`, `15m`, `2h`, `7d`, `1w`).
 * @throws HeraldError HERALD_ERR_INVALID_PARAMS
 */
export function parseTimeBound(text: string, nowMs = Date.now()): number {
  const value = text.trim();
  if (value === 'now') return nowMs * 1000;
  const age = AGE.exec(value);
  if (age !== null) return Math.round((nowMs - Number(age[1]) * UNIT_MS[age[2]]) * 1000);
  if (/^\d{9,11}(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1e6);
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(value);
  const ms = Date.parse(hasZone ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) {
    throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `Invalid time "${text}": use ISO 8601 (2026-11-22T05:00:00Z), Unix seconds, or an age such as 15m, 2h, 7d`);
  }
  return ms * 1000;
}

/** Turns people's criteria into a store query. */
export function toTraceQuery(input: SearchInput, nowMs = Date.now()): TraceQuery {
  const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
  return {
    callid: nonEmpty(input.callid),
    user: nonEmpty(input.user),
    fromUser: nonEmpty(input.fromUser),
    toUser: nonEmpty(input.toUser),
    ip: nonEmpty(input.ip),
    method: nonEmpty(input.method),
    status: nonEmpty(input.status),
    sinceUs: input.since === undefined ? undefined : parseTimeBound(input.since, nowMs),
    untilUs: input.until === undefined ? undefined : parseTimeBound(input.until, nowMs),
    limit: input.limit,
  };
}

/** One search hit as shown to people and scripts (the message itself only via `show`). */
export interface SearchHit {
  readonly id: number;
  readonly time: string;
  readonly callid: string;
  readonly method: string;
  readonly status: string;
  readonly from: string;
  readonly to: string;
  readonly proto: string;
  readonly direction: string;
  readonly tracedUser: string;
  readonly fromUser: string;
  readonly toUser: string;
  readonly ruriUser: string;
  readonly captureId: number;
}

export function toHit(record: TraceRecord): SearchHit {
  return {
    id: record.id,
    time: isoMicros(record.timeUs),
    callid: record.callid,
    method: record.method,
    status: record.status,
    from: endpoint(record.fromIp, record.fromPort),
    to: endpoint(record.toIp, record.toPort),
    proto: record.fromProto,
    direction: record.direction,
    tracedUser: record.tracedUser,
    fromUser: record.fromUser,
    toUser: record.toUser,
    ruriUser: record.ruriUser,
    captureId: record.captureId,
  };
}

/** `2026-11-22T05:21:46.359217Z`. */
export function isoMicros(timeUs: number): string {
  const ms = Math.floor(timeUs / 1000);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(Math.round(timeUs % 1e6)).padStart(6, '0')}Z`;
}

/** Searches a store: newest first. */
export async function searchTraces(store: TraceStore, input: SearchInput, nowMs = Date.now()): Promise<SearchHit[]> {
  return (await store.search(toTraceQuery(input, nowMs))).map(toHit);
}

/** A call's messages and its ladder. */
export interface CallView {
  readonly ladder: Ladder;
  readonly messages: ReadonlyArray<SearchHit & { readonly msg: string }>;
}

/** Reads a call and orders it causally; messages come in ladder order. */
export async function showCall(store: TraceStore, callid: string): Promise<CallView> {
  const records = await store.byCallId(callid);
  const ladder = buildLadder(callid, records);
  const byId = new Map(records.map((record) => [record.id, record]));
  const messages = ladder.entries.map((entry) => {
    const record = byId.get(entry.id) as TraceRecord;
    return { ...toHit(record), msg: record.msg };
  });
  return { ladder, messages };
}
