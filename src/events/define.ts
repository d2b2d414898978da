import { HeraldError } from '../errors/herald-error.js';
import type { Level } from './level.js';
import { param, type MergeShapes, type ParamShape, type ParamSpec } from './params.js';

/** A declared event. One declaration gives the TS type, the validator, serializers and docs. */
export interface EventDef<N extends string = string, S extends ParamShape = ParamShape> {
  readonly name: N;
  /** The catalogue pack it ships in: `core`, `dovecot`, `ovenmediaengine`, or an application's own. */
  readonly pack: string;
  readonly category: string;
  readonly level: Level;
  readonly description: string;
  /** All params, inherited ones first, in catalogue order (the flatstore column order). */
  readonly params: S;
  readonly paramNames: readonly string[];
  readonly parent: EventDef | undefined;
  /** Template over params, e.g. `Stream {stream} created`. */
  readonly summary: string | undefined;
  /** The cause an event of this type reports, when the origin defines one. */
  readonly cause: string | undefined;
  /** Whether raises of this event carry a JSON snapshot. */
  readonly snapshot: boolean;
  /** When this event is half of a `_started`/`_finished` pair, the other half's name. */
  readonly pairedWith: string | undefined;
  /**
   * Whether raises may carry params beyond the declared ones (kept and serialized after them).
   * Dovecot's exporter flattens parent and global fields into every event, and untyped ingest
   * events have no declaration at all: both are open.
   */
  readonly open: boolean;
  /** Dense process-wide number: lets the bus test "anyone listening?" with one array read. */
  readonly id: number;
}

/** What `defineEvent` takes: the def's own fields, with the derived ones (params order, id) left out. */
export type EventSpec<N extends string, S extends ParamShape, P extends EventDef | undefined> =
  Pick<EventDef<N, S>, 'name' | 'pack' | 'category' | 'level' | 'description' | 'params'> & {
    readonly parent?: P;
    readonly summary?: string;
    readonly cause?: string;
    readonly snapshot?: boolean;
    readonly pairedWith?: string;
    readonly open?: boolean;
  };

type ParentShape<P> = P extends EventDef<string, infer PS> ? PS : {};

let nextEventId = 0;
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_.:-]*$/;

/**
 * Declares an event. Params of `parent` are inherited; a param declared again
 * here overrides the parent's.
 * @throws HeraldError HERALD_ERR_INVALID_PARAMS when the name is not a bare token.
 */
export function defineEvent<N extends string, S extends ParamShape, P extends EventDef | undefined = undefined>(
  spec: EventSpec<N, S, P>,
): EventDef<N, MergeShapes<ParentShape<P>, S>> {
  if (!EVENT_NAME.test(spec.name)) {
    throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `Event name "${spec.name}" must match ${EVENT_NAME}`);
  }
  const params = Object.freeze({ ...(spec.parent?.params ?? {}), ...spec.params }) as MergeShapes<ParentShape<P>, S>;
  return Object.freeze({
    name: spec.name,
    pack: spec.pack,
    category: spec.category,
    level: spec.level,
    description: spec.description,
    params,
    paramNames: Object.freeze(Object.keys(params)),
    parent: spec.parent,
    summary: spec.summary,
    cause: spec.cause,
    snapshot: spec.snapshot ?? false,
    pairedWith: spec.pairedWith,
    open: spec.open ?? false,
    id: nextEventId++,
  });
}

/** The `duration` param every `_finished` event carries, as in Dovecot. */
const durationParam = param.duration('Time from the _started event to this one, in microseconds.');

export type OperationSpec<N extends string, S extends ParamShape, F extends ParamShape, P extends EventDef | undefined> =
  Omit<EventSpec<N, S, P>, 'pairedWith'> & {
    /** Params only the `_finished` event has (results, byte counts, errors). */
    readonly finishedParams: F;
    readonly finishedDescription?: string;
    /** Level of the `_finished` half; defaults to `level`. Dovecot starts at debug and finishes at info. */
    readonly finishedLevel?: Level;
  };

export interface OperationDefs<N extends string, S extends ParamShape, F extends ParamShape> {
  readonly started: EventDef<`${N}_started`, S>;
  readonly finished: EventDef<`${N}_finished`, MergeShapes<S, F & { duration: ParamSpec<'duration', false> }>>;
}

/**
 * Declares a timed operation: `NAME_started` and `NAME_finished`, the latter
 * inheriting the former's params and adding `duration` (µs) plus `finishedParams`.
 */
export function defineOperation<N extends string, S extends ParamShape, F extends ParamShape, P extends EventDef | undefined = undefined>(
  spec: OperationSpec<N, S, F, P>,
): OperationDefs<N, MergeShapes<ParentShape<P>, S>, F> {
  const { finishedParams, finishedDescription, finishedLevel, ...common } = spec;
  const started = defineEvent({
    ...common,
    name: `${spec.name}_started` as `${N}_started`,
    pairedWith: `${spec.name}_finished`,
  });
  const finished = defineEvent({
    ...common,
    name: `${spec.name}_finished` as `${N}_finished`,
    description: finishedDescription ?? spec.description,
    level: finishedLevel ?? spec.level,
    parent: started,
    params: { ...finishedParams, duration: durationParam },
    pairedWith: `${spec.name}_started`,
  });
  return { started, finished } as unknown as OperationDefs<N, MergeShapes<ParentShape<P>, S>, F>;
}
