import { defineEvent, type EventDef, type EventSpec, type OperationDefs } from '../../define.js';
import { param, type MergeShapes, type ParamShape } from '../../params.js';

/** Every event declared here ships in the `dovecot` pack. */
export const DOVECOT_PACK = 'dovecot';

/** Dovecot's stats process adds `duration` (µs, creation to send) to every event it exports. */
const durationParam = param.duration('Time from the _started event to this one, in microseconds (Dovecot `duration`).');

export interface DovecotOperationSpec<N extends string, S extends ParamShape, F extends ParamShape> {
  /** The operation's name without the `_started`/`_finished` suffix. */
  readonly name: N;
  readonly category: string;
  readonly startedDescription: string;
  readonly finishedDescription: string;
  /** Fields both halves carry. */
  readonly params: S;
  /** Fields only the `_finished` half carries (results, errors). */
  readonly finishedParams: F;
}

/**
 * Declares a Dovecot `_started`/`_finished` pair. Same shape as core's
 * `defineOperation` (the finished half inherits the started params and adds
 * `duration`), but with Dovecot's two levels: the start is `debug`, the end
 * `info`. `defineOperation` gives both halves one level, hence this helper.
 */
export function defineDovecotOperation<N extends string, S extends ParamShape, F extends ParamShape>(
  spec: DovecotOperationSpec<N, S, F>,
): OperationDefs<N, S, F> {
  const startedName = `${spec.name}_started` as const;
  const finishedName = `${spec.name}_finished` as const;
  const started = defineEvent({
    name: startedName,
    pack: DOVECOT_PACK,
    category: spec.category,
    level: 'debug',
    description: spec.startedDescription,
    params: spec.params,
    pairedWith: finishedName,
  });
  const finished = defineEvent({
    name: finishedName,
    pack: DOVECOT_PACK,
    category: spec.category,
    level: 'info',
    description: spec.finishedDescription,
    parent: started,
    params: { ...spec.finishedParams, duration: durationParam },
    pairedWith: startedName,
  });
  return { started, finished } as unknown as OperationDefs<N, S, F>;
}

type ParentShape<P> = P extends EventDef<string, infer PS> ? PS : {};

/** A single Dovecot event: `defineEvent` with the pack filled in. */
export function defineDovecotEvent<N extends string, S extends ParamShape, P extends EventDef | undefined = undefined>(
  spec: Omit<EventSpec<N, S, P>, 'pack'>,
): EventDef<N, MergeShapes<ParentShape<P>, S>> {
  return defineEvent<N, S, P>({ ...spec, pack: DOVECOT_PACK });
}
