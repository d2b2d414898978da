import type { EventDef } from '../../events/define.js';
import type { RaiseOptions } from '../../events/event.js';
import type { Level } from '../../events/level.js';
import type { ParamValue } from '../../events/params.js';
import { validateParams } from '../../events/validate.js';
import { lookupDef, type IngestContext } from './context.js';
import { rejected, type ParseOutcome } from './outcome.js';

/** How many params a refusal message lists before "…": one bad record must not flood a log. */
const MESSAGE_PROBLEMS = 3;

/**
 * A field of an untyped event: strings and finite numbers as they are, string
 * lists as lists, booleans and nested JSON as text; null means "not set".
 */
export function untypedValue(value: unknown): ParamValue | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function untypedFields(fields: Readonly<Record<string, unknown>>): Record<string, ParamValue | undefined> {
  const out: Record<string, ParamValue | undefined> = {};
  for (const name of Object.keys(fields)) {
    const value = untypedValue(fields[name]);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export interface EventInput {
  readonly name: string;
  /** Params as received (JSON values, or text with `fromText`). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly fromText: boolean;
  readonly options: RaiseOptions;
  /** Category and level of the untyped definition when the name is unknown. */
  readonly untypedCategory: string;
  readonly untypedLevel: Level;
}

/** A catalogue event with params validated the way `raise_event` validates them. */
export function typedOutcome(def: EventDef, input: EventInput): ParseOutcome {
  const checked = validateParams(def, input.fields, input.fromText);
  if (!checked.ok) {
    const shown = checked.problems.slice(0, MESSAGE_PROBLEMS).map((p) => p.message);
    if (checked.problems.length > MESSAGE_PROBLEMS) shown.push(`and ${checked.problems.length - MESSAGE_PROBLEMS} more`);
    return rejected('invalid_params', shown.join('; '));
  }
  return { ok: true, event: { def, params: checked.params, options: input.options, typed: true } };
}

/** An event the catalogue does not know: untyped under `unknown: accept`, else refused. */
export function unknownOutcome(ctx: IngestContext, input: EventInput, why: string): ParseOutcome {
  if (ctx.unknown === 'reject') return rejected('unknown_event', `${why} (unknown: reject)`);
  const found = ctx.untyped.lookup({ name: input.name, pack: ctx.source, category: input.untypedCategory, level: input.untypedLevel });
  if (!found.ok) return rejected(found.reason, found.message);
  return { ok: true, event: { def: found.def, params: untypedFields(input.fields), options: input.options, typed: false } };
}

/** Resolves the name, then types the fields strictly (HTTP records, OpenSIPS, OME). */
export function resolveEvent(ctx: IngestContext, input: EventInput): ParseOutcome {
  const found = lookupDef(ctx, input.name);
  if (found.kind === 'typed') return typedOutcome(found.def, input);
  if (found.kind === 'foreign') {
    return rejected('unknown_event', `Event ${input.name} belongs to pack ${found.def.pack}, which ${ctx.source} may not raise`);
  }
  return unknownOutcome(ctx, input, `Unknown event ${JSON.stringify(input.name.slice(0, 80))}`);
}
