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
  /** Present when the writer was asked for ids (JsonRecordOptions.id). */
  readonly id?: string;
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

/** Formats epoch ms as ISO 8601 with milliseconds and offset; caches per second and per millisecond. */
export class IsoTimeFormatter {
  readonly #tz: JsonTimeZone;
  #second = Number.NaN;
  #prefix = '';
  #offset = '';
  #lastMs = Number.NaN;
  #lastText = '';
  #lastLinePrefix = '';

  constructor(tz: JsonTimeZone) {
    this.#tz = tz;
  }

  format(ms: number): string {
    const whole = Math.floor(ms);
    // Busy outputs see many events per millisecond: reuse the last string.
    if (whole === this.#lastMs) return this.#lastText;
    const second = Math.floor(whole / 1000);
    if (second !== this.#second) this.#fill(second);
    const milli = whole - second * 1000;
    this.#lastMs = whole;
    this.#lastText = `${this.#prefix}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}${this.#offset}`;
    this.#lastLinePrefix = '';
    return this.#lastText;
  }

  /** `"time":"…","level":"` for a JSON record (after its `{`), cached with the time. */
  linePrefix(ms: number): string {
    const text = this.format(ms);
    if (this.#lastLinePrefix === '') this.#lastLinePrefix = `"time":"${text}","level":"`;
    return this.#lastLinePrefix;
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

/** Declared params first, in catalogue order, then the undeclared ones an open event (or a child, from its parent) carries. */
function compileOpenParams(def: EventDef, declared: ParamsJson): ParamsJson {
  return (params) => {
    let out = declared(params);
    for (const name of Object.keys(params)) {
      const value = params[name];
      if (value === undefined || Object.hasOwn(def.params, name)) continue;
      out += `${out === '' ? '' : ','}${quoteJson(name)}:${jsonText(value)}`;
    }
    return out;
  };
}

/** Both writers of one definition: a closed event's child carries undeclared params from its parent. */
interface CompiledParams {
  readonly declared: ParamsJson;
  readonly all: ParamsJson;
}

function compileParams(def: EventDef): CompiledParams {
  const declared = compileDeclaredParams(def);
  const all = compileOpenParams(def, declared);
  return { declared: def.open ? all : declared, all };
}

function compileDeclaredParams(def: EventDef): ParamsJson {
  const names = def.paramNames;
  const firstKeys = names.map((name) => `${JSON.stringify(name)}:`);
  const laterKeys = firstKeys.map((key) => `,${key}`);
  // Text values that need no escaping are written between a key-and-quote piece and a quote.
  const firstKeysQuoted = firstKeys.map((key) => `${key}"`);
  const laterKeysQuoted = laterKeys.map((key) => `${key}"`);
  const textual = names.map((name) => def.params[name].kind === 'string' || def.params[name].kind === 'ip');
  const encoders = names.map((name) => valueJson(def.params[name].kind));
  return (params) => {
    let out = '';
    for (let i = 0; i < names.length; i++) {
      const value = params[names[i]];
      if (value === undefined) continue;
      if (textual[i] && typeof value === 'string' && !NEEDS_ESCAPE.test(value)) {
        out += `${out === '' ? firstKeysQuoted[i] : laterKeysQuoted[i]}${value}"`;
      } else {
        out += (out === '' ? firstKeys[i] : laterKeys[i]) + encoders[i](value);
      }
    }
    return out;
  };
}

/**
 * The serializer for one definition: constant parts computed once, plus the
 * head for the last level and sourceId seen (a batch usually repeats them).
 */
class CompiledRecord {
  readonly #params: CompiledParams;
  readonly #after: string;
  #level = '';
  #sourceId: string | undefined;
  /** `<level>","category":…,"type":…,"sourceId":…,"summary":` */
  head = '';
  /** The same plus the summary's opening quote, for summaries that need no escaping. */
  headQuoted = '';

  constructor(def: EventDef) {
    this.#params = compileParams(def);
    this.#after = `","category":${quoteJson(def.category)},"type":${quoteJson(def.name)},"sourceId":`;
  }

  params(event: HeraldEvent): string {
    return (event.inherited === undefined ? this.#params.declared : this.#params.all)(event.params);
  }

  prepare(level: string, sourceId: string): void {
    if (level === this.#level && sourceId === this.#sourceId) return;
    this.head = `${level}${this.#after}${quoteJson(sourceId)},"summary":`;
    this.headQuoted = `${this.head}"`;
    this.#level = level;
    this.#sourceId = sourceId;
  }
}

const compiled = new WeakMap<EventDef, CompiledRecord>();

function compiledFor(def: EventDef): CompiledRecord {
  let entry = compiled.get(def);
  if (entry === undefined) {
    entry = new CompiledRecord(def);
    compiled.set(def, entry);
  }
  return entry;
}

/**
 * The members of an event's params object, without braces (`"a":1,"b":"x"`), in
 * catalogue order; absent optional params are left out. Empty when there are none.
 */
export function paramsJsonMembers(event: HeraldEvent): string {
  return compiledFor(event.def).params(event);
}

function causeAndSnapshot(event: HeraldEvent): string {
  let out = '';
  if (event.cause !== undefined) out += `,"cause":${quoteJson(event.cause)}`;
  if (event.snapshot !== undefined) out += `,"snapshot":${jsonText(event.snapshot)}`;
  return out;
}

export interface JsonRecordOptions {
  /**
   * Write the event id first (`{"id":"…","time":…`). Network and SQL formats
   * always carry it; the jsonl file only on request, so by default its record
   * stays exactly OvenMediaEngine's. Default false.
   */
  readonly id?: boolean;
}

/** Serializes events as JSON lines for one time zone. Reuse one per output: it caches per millisecond. */
export class JsonLineSerializer {
  readonly #time: IsoTimeFormatter;
  readonly #withId: boolean;
  #lastDef: EventDef | undefined;
  #lastCompiled: CompiledRecord | undefined;

  constructor(tz: JsonTimeZone, options: JsonRecordOptions = {}) {
    this.#time = new IsoTimeFormatter(tz);
    this.#withId = options.id ?? false;
  }

  /** The record without the trailing newline. Never throws on well-typed events. */
  record(event: HeraldEvent): string {
    return this.#build(event, '}}');
  }

  /** The record plus `\n`. */
  line(event: HeraldEvent): string {
    return this.#build(event, '}}\n');
  }

  /**
   * `closing` ends the params object and the record: `}}` or `}}\n`. The line is a
   * rope flattened later at a cost per piece, so constant text is kept in few, long pieces.
   */
  #build(event: HeraldEvent, closing: string): string {
    const c = this.#compiled(event.def);
    c.prepare(event.level, event.sourceId);
    const summary = event.summary ?? '';
    const start = (this.#withId ? `{"id":${quoteJson(event.id)},` : '{') + this.#time.linePrefix(event.timeUs / 1000);
    let out: string;
    if (event.cause !== undefined || event.snapshot !== undefined) {
      out = `${start}${c.head}${quoteJson(summary)}${causeAndSnapshot(event)},"params":{`;
    } else if (NEEDS_ESCAPE.test(summary)) {
      out = `${start}${c.head}${JSON.stringify(summary)},"params":{`;
    } else {
      out = `${start}${c.headQuoted}${summary}","params":{`;
    }
    return out + c.params(event) + closing;
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
