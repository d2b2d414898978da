import { defineEvent, type EventDef, type EventSpec } from '../../define.js';
import { param, type MergeShapes, type ParamShape } from '../../params.js';

/** Every event declared here ships in the `ovenmediaengine` pack. */
export const OME_PACK = 'ovenmediaengine';

type ParentShape<P> = P extends EventDef<string, infer PS> ? PS : {};

/** `defineEvent` with the pack filled in. */
export function defineOmeEvent<N extends string, S extends ParamShape, P extends EventDef | undefined = undefined>(
  spec: Omit<EventSpec<N, S, P>, 'pack'>,
): EventDef<N, MergeShapes<ParentShape<P>, S>> {
  return defineEvent<N, S, P>({ ...spec, pack: OME_PACK });
}

/** The names in an application's source id `#vhost#app`. */
export const appParams = {
  vhost: param.string('The virtual host name, e.g. default.'),
  app: param.string('The application name.'),
};

/** The names in a stream's source id `#vhost#app/stream`. */
export const streamParams = {
  ...appParams,
  stream: param.string('The stream name.'),
};

/** Notes the OME version a type first appeared in. */
export const SINCE_0_18_1_2 = 'Supported since OvenMediaEngine 0.18.1.2.';
