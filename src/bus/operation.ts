import type { EventDef, OperationDefs } from '../events/define.js';
import { inheritParams, nowUs, type EventParent, type RaiseOptions } from '../events/event.js';
import type { ParamShape, ParamsOf, ParamValue } from '../events/params.js';

/**
 * A running timed operation; `finish` raises the `_finished` event with `duration` in µs.
 * It is also an event parent: events raised with `{ parent: handle }` inherit the
 * operation's started params (and what they inherited themselves).
 */
export interface OperationHandle<F extends ParamShape> extends EventParent {
  finish(params: ParamsOf<F>, options?: RaiseOptions): void;
}

interface Raiser {
  raise(def: EventDef, params: never, options?: RaiseOptions): void;
}

/**
 * Raises `NAME_started` now and returns a handle whose `finish` raises
 * `NAME_finished` with the started params, the finish params and `duration`.
 */
export function startOperation<N extends string, S extends ParamShape, F extends ParamShape>(
  bus: Raiser,
  operation: OperationDefs<N, S, F>,
  params: ParamsOf<S>,
  options?: RaiseOptions,
): OperationHandle<F> {
  const startedUs = nowUs();
  bus.raise(operation.started, params as never, { ...options, timeUs: startedUs });
  let finished = false;
  let flat: EventParent['params'] | undefined;
  const own = params as Readonly<Record<string, ParamValue | undefined>>;
  return {
    // Flattened on first use: most operations never become a parent.
    get params() {
      flat ??= options?.parent === undefined ? own : inheritParams(operation.started, options.parent, own).params;
      return flat;
    },
    finish(finishParams, finishOptions) {
      if (finished) return;
      finished = true;
      const endUs = nowUs();
      const all = { ...params, ...finishParams, duration: Math.max(0, endUs - startedUs) };
      bus.raise(operation.finished, all as never, { ...options, ...finishOptions, timeUs: endUs });
    },
  };
}
