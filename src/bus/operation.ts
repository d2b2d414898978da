import type { EventDef, OperationDefs } from '../events/define.js';
import { nowUs, type RaiseOptions } from '../events/event.js';
import type { ParamShape, ParamsOf } from '../events/params.js';

/** A running timed operation; `finish` raises the `_finished` event with `duration` in µs. */
export interface OperationHandle<F extends ParamShape> {
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
  return {
    finish(finishParams, finishOptions) {
      if (finished) return;
      finished = true;
      const endUs = nowUs();
      const all = { ...params, ...finishParams, duration: Math.max(0, endUs - startedUs) };
      bus.raise(operation.finished, all as never, { ...options, ...finishOptions, timeUs: endUs });
    },
  };
}
