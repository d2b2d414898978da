import type { EventDef } from './define.js';
import type { JsonValue } from './json.js';
import type { Level } from './level.js';
import type { ParamValue } from './params.js';

/** A raised event, as the bus hands it to filters and backends. Never mutated after raise. */
export interface HeraldEvent {
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
}

const ORIGIN_MS = performance.timeOrigin;

/** Wall-clock time with microsecond precision (Date.now() only has milliseconds). */
export function nowUs(): number {
  return Math.round((ORIGIN_MS + performance.now()) * 1000);
}

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/** Fills a summary template such as `Stream {stream} created`; unknown names render empty. */
export function renderSummary(template: string | undefined, params: Readonly<Record<string, unknown>>): string | undefined {
  if (template === undefined) return undefined;
  return template.replace(PLACEHOLDER, (_, key: string) => {
    const value = params[key];
    if (value === undefined || value === null) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

export function createEvent(
  def: EventDef,
  params: Readonly<Record<string, ParamValue | undefined>>,
  options: RaiseOptions | undefined,
  defaultSourceId: string,
): HeraldEvent {
  return {
    def,
    name: def.name,
    category: def.category,
    level: options?.level ?? def.level,
    timeUs: options?.timeUs ?? nowUs(),
    sourceId: options?.sourceId ?? defaultSourceId,
    params,
    summary: renderSummary(def.summary, params),
    cause: options?.cause ?? def.cause,
    snapshot: options?.snapshot,
  };
}
