import { defineEvent, defineOperation, type EventDef, type EventSpec, type OperationDefs } from '../../define.js';
import type { MergeShapes, ParamShape } from '../../params.js';

/**
 * Every event declared here ships in the `dovecot` pack. Dovecot events are open:
 * the exporter sends each event flattened with its parents' and the global fields
 * (user, session, remote_ip, reason_code, ...), which vary by process and version.
 */
export const DOVECOT_PACK = 'dovecot';

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

/** A Dovecot `_started`/`_finished` pair: the start is `debug`, the end `info`, as Dovecot emits them. */
export function defineDovecotOperation<N extends string, S extends ParamShape, F extends ParamShape>(
  spec: DovecotOperationSpec<N, S, F>,
): OperationDefs<N, S, F> {
  return defineOperation({
    name: spec.name,
    pack: DOVECOT_PACK,
    open: true,
    category: spec.category,
    level: 'debug',
    finishedLevel: 'info',
    description: spec.startedDescription,
    finishedDescription: spec.finishedDescription,
    params: spec.params,
    finishedParams: spec.finishedParams,
  }) as unknown as OperationDefs<N, S, F>;
}

type ParentShape<P> = P extends EventDef<string, infer PS> ? PS : {};

/** A single Dovecot event: `defineEvent` with the pack filled in. */
export function defineDovecotEvent<N extends string, S extends ParamShape, P extends EventDef | undefined = undefined>(
  spec: Omit<EventSpec<N, S, P>, 'pack'>,
): EventDef<N, MergeShapes<ParentShape<P>, S>> {
  return defineEvent<N, S, P>({ ...spec, pack: DOVECOT_PACK, open: true });
}
