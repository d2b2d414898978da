import type { EventDef } from './define.js';
import { newEventId } from './event-id.js';
import type { JsonValue } from './json.js';
import type { Level } from './level.js';
import type { ParamValue } from './params.js';

/** A raised event, as the bus hands it to filters and backends. Never mutated after raise. */
export interface HeraldEvent {
  /** Unique and time-ordered (UUIDv7, src/events/event-id.ts), so consumers can de-duplicate. */
  readonly id: string;
  readonly def: EventDef;
  readonly name: string;
  readonly category: string;
  readonly level: Level;
  /** Microseconds since the Unix epoch. */
  readonly timeUs: number;
  /** URI-like origin, e.g. `#default#app/stream`. */
  readonly sourceId: string;
  readonly params: Readonly<Record<string, ParamValue | undefined>>;
  readonly summary: string | undefined;
  readonly cause: string | undefined;
  readonly snapshot: JsonValue | undefined;
  /**
   * Names of the params this event carries from its parent beyond its own declaration
   * (serializers write them after the declared ones). Undefined when it has no parent.
   */
  readonly inherited?: readonly string[] | undefined;
}

/**
 * What a raise can name as its parent (Dovecot's event tree): a raised event, an
 * operation handle, or any object with params. The child carries the parent's
 * params, its own winning; the parent's params are already flat, so a chain of
 * parents flattens too.
 */
export interface EventParent {
  readonly params: Readonly<Record<string, ParamValue | undefined>>;
}

/** Per-raise extras. Everything is optional. */
export interface RaiseOptions {
  readonly sourceId?: string;
  /** Overrides the level declared in the catalogue (e.g. a log line's own level). */
  readonly level?: Level;
  readonly cause?: string;
  readonly snapshot?: JsonValue;
  /** Microseconds since the epoch; defaults to now. */
  readonly timeUs?: number;
  /** The id the event already has, when it is raised again (ingest from another Herald, a broker); defaults to a new one. */
  readonly id?: string;
  /** The origin's own summary text (an ingested record); defaults to the catalogue template rendered. */
  readonly summary?: string;
  /** The event (or operation) this one is a child of: its params are inherited (docs/metrics.md, Parent events). */
  readonly parent?: EventParent;
}

const ORIGIN_MS = performance.timeOrigin;

/** Wall-clock time with microsecond precision (Date.now() only has milliseconds). */
export function nowUs(): number {
  return Math.round((ORIGIN_MS + performance.now()) * 1000);
}

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/** A template split once into literal text (even indexes) and param names (odd indexes). */
const compiledTemplates = new Map<string, readonly string[]>();

function templateParts(template: string): readonly string[] {
  let parts = compiledTemplates.get(template);
  if (parts === undefined) {
    parts = template.split(PLACEHOLDER);
    // Catalogue templates are few; a caller rendering ad-hoc templates must not grow this forever.
    if (compiledTemplates.size < 4096) compiledTemplates.set(template, parts);
  }
  return parts;
}

function placeholderText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Fills a summary template such as `Stream {stream} created`; unknown names render empty.
 * Templates are split once and cached: this runs on every raise somebody listens to.
 */
export function renderSummary(template: string | undefined, params: Readonly<Record<string, unknown>>): string | undefined {
  if (template === undefined) return undefined;
  const parts = templateParts(template);
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) out += placeholderText(params[parts[i]]) + parts[i + 1];
  return out;
}

/** The flattened params of a child and which of them only the parent declared. */
interface Inherited {
  readonly params: Readonly<Record<string, ParamValue | undefined>>;
  readonly names: readonly string[] | undefined;
}

/**
 * Dovecot's flattening: the parent's params, then the child's over them (later
 * values win); a child value of `''` removes the field, inherited or not.
 */
export function inheritParams(
  def: EventDef, parent: EventParent, own: Readonly<Record<string, ParamValue | undefined>>,
): Inherited {
  const params: Record<string, ParamValue | undefined> = {};
  const from = parent.params;
  for (const name of Object.keys(from)) if (from[name] !== undefined) params[name] = from[name];
  for (const name of Object.keys(own)) {
    const value = own[name];
    if (value === '') delete params[name];
    else if (value !== undefined) params[name] = value;
  }
  let names: string[] | undefined;
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(def.params, name)) (names ??= []).push(name);
  }
  return { params, names };
}

/**
 * An event only observers see (metrics, which read its params): its time and id
 * are made on first read, not at raise. On this machine's clock reading the time
 * cost more than the rest of such a raise; an observer that wants the raise's own
 * time reads it inside its callback (raise() calls it synchronously).
 */
class ObservedEvent implements HeraldEvent {
  readonly def: EventDef;
  readonly name: string;
  readonly category: string;
  readonly level: Level;
  readonly sourceId: string;
  readonly params: Readonly<Record<string, ParamValue | undefined>>;
  readonly cause: string | undefined;
  readonly snapshot: JsonValue | undefined;
  readonly inherited: readonly string[] | undefined;
  readonly #options: RaiseOptions | undefined;
  #timeUs = -1;
  #id: string | undefined;

  constructor(def: EventDef, ownParams: Readonly<Record<string, ParamValue | undefined>>, options: RaiseOptions | undefined, defaultSourceId: string) {
    const parent = options?.parent;
    let params = ownParams;
    let inherited: readonly string[] | undefined;
    if (parent !== undefined) ({ params, names: inherited } = inheritParams(def, parent, ownParams));
    this.def = def;
    this.name = def.name;
    this.category = def.category;
    this.level = options?.level ?? def.level;
    this.sourceId = options?.sourceId ?? defaultSourceId;
    this.params = params;
    this.cause = options?.cause ?? def.cause;
    this.snapshot = options?.snapshot;
    this.inherited = inherited;
    this.#options = options;
  }

  get timeUs(): number {
    if (this.#timeUs < 0) this.#timeUs = this.#options?.timeUs ?? nowUs();
    return this.#timeUs;
  }

  get id(): string {
    this.#id ??= this.#options?.id ?? newEventId(this.#options?.timeUs === undefined ? this.timeUs / 1000 : Date.now());
    return this.#id;
  }

  get summary(): string | undefined {
    return this.#options?.summary ?? renderSummary(this.def.summary, this.params);
  }
}

/** The event handed to observers when nobody else takes the raise (Bus.observe). */
export function createObservedEvent(
  def: EventDef,
  params: Readonly<Record<string, ParamValue | undefined>>,
  options: RaiseOptions | undefined,
  defaultSourceId: string,
): HeraldEvent {
  return new ObservedEvent(def, params, options, defaultSourceId);
}

export function createEvent(
  def: EventDef,
  ownParams: Readonly<Record<string, ParamValue | undefined>>,
  options: RaiseOptions | undefined,
  defaultSourceId: string,
): HeraldEvent {
  const timeUs = options?.timeUs ?? nowUs();
  // Without a parent (the common case) this is one property read.
  const parent = options?.parent;
  let params = ownParams;
  let inherited: readonly string[] | undefined;
  if (parent !== undefined) ({ params, names: inherited } = inheritParams(def, parent, ownParams));
  return {
    // A supplied time may lie in the past; the id orders by when the event was raised here.
    id: options?.id ?? newEventId(options?.timeUs === undefined ? timeUs / 1000 : Date.now()),
    def,
    name: def.name,
    category: def.category,
    level: options?.level ?? def.level,
    timeUs,
    sourceId: options?.sourceId ?? defaultSourceId,
    params,
    summary: options?.summary ?? renderSummary(def.summary, params),
    cause: options?.cause ?? def.cause,
    snapshot: options?.snapshot,
    inherited,
  };
}
