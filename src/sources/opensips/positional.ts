import type { EventDef } from '../../events/define.js';
import type { IngestContext } from '../ingest/context.js';

/**
 * OpenSIPS sends params as an array when the first one is unnamed: they are
 * matched to the event's params by position. An unknown event's positional
 * params are named `p1`, `p2`, ...
 */
export function namePositional(ctx: IngestContext, name: string, values: readonly unknown[]): Record<string, unknown> | string {
  const def: EventDef | undefined = ctx.catalogue.get(name);
  const names = def?.paramNames;
  if (names !== undefined && values.length > names.length) {
    return `Event ${name} takes ${names.length} params, received ${values.length} positional ones`;
  }
  const out: Record<string, unknown> = {};
  values.forEach((value, index) => {
    out[names !== undefined ? names[index] : `p${index + 1}`] = value;
  });
  return out;
}
