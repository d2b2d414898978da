import type { EventDef } from './define.js';
import type { HeraldEvent } from './event.js';
import type { ParamKind } from './params.js';

/*
 * The event record, one compact JSON object (design.md, fixed):
 *   {"time":"2026-11-22T05:21:46.315+00:00","level":"info","category":…,"type":…,"sourceId":…,
 *    "summary":…,["cause":…,]["snapshot":…,]"params":{…}}
 * Built by string concatenation from per-definition key prefixes; JSON.stringify runs
 * only on strings and nested JSON. int64 params that are bigints keep every digit.
 */

/** The clock face of the `time` field. */
export type JsonTimeZone = 'local' | 'utc';

/** A parsed record, as readers get it back. */
export interface EventRecordJson {
  readonly time: string;
  readonly level: string;
  readonly category: string;
  readonly type: string;
  readonly sourceId: string;
  readonly summary: string;
  readonly cause?: string;
  readonly snapshot?: unknown;
  readonly params: Readonly<Record<string, unknown>>;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function offsetText(minutesEast: number): string {
  const sign = minutesEast < 0 ? '-' : '+';
  const abs = Math.abs(minutesEast);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** Formats epoch ms as ISO 8601 with milliseconds and offset. Caches the per-second part. */
export class IsoTimeFormatter {
  readonly #tz: JsonTimeZone;
  #second = Number.NaN;
  #prefix = '';
  #offset = '';

  constructor(tz: JsonTimeZone) {
    this.#tz = tz;
  }

  format(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.#second) this.#fill(second);
    const milli = Math.floor(ms) - second * 1000;
    return `${this.#prefix}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}${this.#offset}`;
  }

  #fill(second: number): void {
    const date = new Date(second * 1000);
    const offsetMinutes = this.#tz === 'utc' ? 0 : -date.getTimezoneOffset();
    const shifted = new Date(second * 1000 + offsetMinutes * 60_000);
    this.#prefix = shifted.toISOString().slice(0, 19);
    this.#offset = offsetText(offsetMinutes);
    this.#second = second;
  }
}

const BIGINT_MARK = '\u0000herald-bigint:';

/** JSON with bigints written as exact JSON numbers; the plain (fast) path is tried first. */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return jsonTextWithBigints(value);
  }
}

function jsonTextWithBigints(value: unknown): string {
  let sawBigint = false;
  const text = JSON.stringify(value, (_, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    sawBigint = true;
    return `${BIGINT_MARK}${v}`;
  });
  if (text === undefined) return 'null';
  // A bigint nested in a JSON value keeps every digit, as a JSON number.
  return sawBigint ? text.replace(/"\\u0000herald-bigint:(-?\d+)"/g, '$1') : text;
}

/** Characters JSON.stringify would escape (or check, for lone surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal; plain text (the common case) skips JSON.stringify, which costs 2-3× more. */
export function quoteJson(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function numberJson(v: number): string {
  return Number.isFinite(v) ? String(v) : 'null';
}

type ValueJson = (value: unknown) => string;

function valueJson(kind: ParamKind): ValueJson {
  switch (kind) {
    case 'int':
      return (v) => (typeof v === 'number' ? numberJson(v) : typeof v === 'bigint' ? v.toString() : jsonText(v));
    case 'float': case 'timestamp': case 'port': case 'duration':
      return (v) => (typeof v === 'number' ? numberJson(v) : jsonText(v));
    case 'bool':
      return (v) => (v === true ? 'true' : v === false ? 'false' : jsonText(v));
    case 'string': case 'ip':
      return (v) => (typeof v === 'string' ? quoteJson(v) : jsonText(v));
    case 'string_list': case 'json':
      return jsonText;
  }
}

type ParamsJson = (params: Readonly<Record<string, unknown>>) => string;

function compileParams(def: EventDef): ParamsJson {
  const names = def.paramNames;
  const firstKeys = names.map((name) => `${JSON.stringify(name)}:`);
  const laterKeys = firstKeys.map((key) => `,${key}`);
  const encoders = names.map((name) => valueJson(def.params[name].kind));
  return (params) => {
    let out = '';
    for (let i = 0; i < names.length; i++) {
      const value = params[names[i]];
      if (value === undefined) continue;
      out += (out === '' ? firstKeys[i] : laterKeys[i]) + encoders[i](value);
    }
    return out;
  };
}

/** The serializer for one definition: its constant parts computed once. */
interface CompiledRecord {
  readonly head: string;
  readonly params: ParamsJson;
  lastSourceId: string;
  lastSourceJson: string;
}

const compiled = new WeakMap<EventDef, CompiledRecord>();

function compiledFor(def: EventDef): CompiledRecord {
  let entry = compiled.get(def);
  if (entry === undefined) {
    entry = {
      head: `","category":${quoteJson(def.category)},"type":${quoteJson(def.name)},"sourceId":`,
      params: compileParams(def),
      lastSourceId: '',
      lastSourceJson: '""',
    };
    compiled.set(def, entry);
  }
  return entry;
}

/** Serializes events as JSON lines for one time zone. Reuse one per output: it caches per second. */
export class JsonLineSerializer {
  readonly #time: IsoTimeFormatter;
  #lastDef: EventDef | undefined;
  #lastCompiled: CompiledRecord | undefined;

  constructor(tz: JsonTimeZone) {
    this.#time = new IsoTimeFormatter(tz);
  }

  /** The record without the trailing newline. Never throws on well-typed events. */
  record(event: HeraldEvent): string {
    return this.#build(event, '}');
  }

  /** The record plus `\n`. */
  line(event: HeraldEvent): string {
    return this.#build(event, '}\n');
  }

  #build(event: HeraldEvent, end: string): string {
    const c = this.#compiled(event.def);
    if (event.sourceId !== c.lastSourceId) {
      c.lastSourceJson = quoteJson(event.sourceId);
      c.lastSourceId = event.sourceId;
    }
    let out = `{"time":"${this.#time.format(event.timeUs / 1000)}","level":"${event.level}${c.head}${c.lastSourceJson}`
      + `,"summary":${quoteJson(event.summary ?? '')}`;
    if (event.cause !== undefined) out += `,"cause":${quoteJson(event.cause)}`;
    if (event.snapshot !== undefined) out += `,"snapshot":${jsonText(event.snapshot)}`;
    return `${out},"params":{${c.params(event.params)}}${end}`;
  }

  /** Batches usually repeat one definition: skip the WeakMap then. */
  #compiled(def: EventDef): CompiledRecord {
    if (def !== this.#lastDef) {
      this.#lastCompiled = compiledFor(def);
      this.#lastDef = def;
    }
    return this.#lastCompiled as CompiledRecord;
  }
}

const shared: Record<JsonTimeZone, JsonLineSerializer> = {
  utc: new JsonLineSerializer('utc'),
  local: new JsonLineSerializer('local'),
};

/** One event as a JSON line (with `\n`), `time` in the given zone. */
export function eventToJsonLine(event: HeraldEvent, tz: JsonTimeZone = 'utc'): string {
  return shared[tz].line(event);
}
