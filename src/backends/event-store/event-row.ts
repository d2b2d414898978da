import type { HeraldEvent } from '../../events/event.js';
import { paramsJsonMembers } from '../../events/serialize-json.js';
import { parseJsonExact } from '../jsonl/json-exact.js';

/** Columns of the event table, in insert order (design.md: the OME record's fields, plus params). */
export const EVENT_COLUMNS = ['id', 'time', 'time_us', 'level', 'category', 'type', 'source_id', 'summary', 'cause', 'snapshot', 'params'] as const;

/** Text columns that are indexed are cut to this many characters, the same in every database. */
export const INDEXED_TEXT_CHARS = 255;

function fit(text: string): string {
  return text.length <= INDEXED_TEXT_CHARS ? text : text.slice(0, INDEXED_TEXT_CHARS);
}

/** `2026-12-05T12:00:00.123456Z`: UTC with microseconds; sorts as text. */
export function isoMicros(timeUs: number): string {
  const ms = Math.floor(timeUs / 1000);
  const micros = String(Math.round(timeUs - ms * 1000)).padStart(3, '0');
  return `${new Date(ms).toISOString().slice(0, 23)}${micros}Z`;
}

function snapshotJson(value: unknown): string | null {
  if (value === undefined) return null;
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Appends one event's column values to `out`, in EVENT_COLUMNS order; `time` as the dialect wants it. */
export function pushEventValues(out: unknown[], event: HeraldEvent, timeText: (timeUs: number) => string): void {
  out.push(
    event.id, timeText(event.timeUs), event.timeUs, event.level, fit(event.category), fit(event.name), fit(event.sourceId),
    event.summary ?? null, event.cause ?? null, snapshotJson(event.snapshot), `{${paramsJsonMembers(event)}}`,
  );
}

/** An event read back from a store. */
export interface StoredEvent {
  readonly id: string;
  readonly timeUs: number;
  readonly time: string;
  readonly level: string;
  readonly category: string;
  readonly type: string;
  readonly sourceId: string;
  readonly summary: string | undefined;
  readonly cause: string | undefined;
  readonly snapshot: unknown;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A row as the drivers return it (JSON columns as text, time_us as number or string). */
export interface EventDbRow {
  readonly id: string;
  readonly time_us: number | string | bigint;
  readonly level: string;
  readonly category: string;
  readonly type: string;
  readonly source_id: string;
  readonly summary: string | null;
  readonly cause: string | null;
  readonly snapshot: string | null;
  readonly params: string;
}

export function storedEventOf(row: EventDbRow): StoredEvent {
  const timeUs = Number(row.time_us);
  return {
    id: row.id, timeUs, time: isoMicros(timeUs), level: row.level, category: row.category, type: row.type, sourceId: row.source_id,
    summary: row.summary ?? undefined, cause: row.cause ?? undefined,
    snapshot: row.snapshot === null ? undefined : JSON.parse(row.snapshot) as unknown,
    // Exact: an int64 param beyond 2^53 comes back as a bigint, every digit kept.
    params: parseJsonExact(row.params) as Record<string, unknown>,
  };
}
