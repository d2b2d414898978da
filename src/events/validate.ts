import type { EventDef } from './define.js';
import { checkParamValue, describeReceived, EXPECTED } from './param-validate.js';
import type { ParamKind, ParamValue } from './params.js';

export interface ParamProblem {
  readonly event: string;
  readonly param: string;
  readonly expected: string;
  readonly received: string;
  readonly message: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly params: Readonly<Record<string, ParamValue | undefined>> }
  | { readonly ok: false; readonly problems: readonly ParamProblem[] };

function problem(event: string, name: string, expected: string, value: unknown): ParamProblem {
  const received = describeReceived(value);
  return {
    event,
    param: name,
    expected,
    received,
    message: `Event ${event}: param "${name}" expected ${expected}, received ${received}`,
  };
}

/** `now` as text, for a time param: the current time in the param's form; anything else unchanged. */
function timeFromText(kind: ParamKind, value: unknown): unknown {
  if (typeof value !== 'string' || value.trim().toLowerCase() !== 'now') return value;
  return kind === 'string' ? new Date().toISOString() : Date.now() / 1000;
}

/**
 * Validates params that arrived untyped (management interface, ingest, CLI).
 * Reports every problem at once. `fromText` parses strings (CLI `key=value`).
 */
export function validateParams(def: EventDef, input: unknown, fromText = false): ValidationResult {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: [problem(def.name, '(params)', 'an object of params', input)] };
  }
  const raw = input as Record<string, unknown>;
  const problems: ParamProblem[] = [];
  const out: Record<string, ParamValue | undefined> = {};
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(def.params, name)) {
      const known = def.paramNames.length > 0 ? def.paramNames.join(', ') : 'none';
      problems.push(problem(def.name, name, `no such param (known: ${known})`, raw[name]));
    }
  }
  for (const name of def.paramNames) {
    const spec = def.params[name];
    const value = raw[name];
    if (value === undefined || value === null) {
      if (!spec.isOptional) problems.push(problem(def.name, name, `${EXPECTED[spec.kind]} (required)`, value));
      continue;
    }
    const checked = checkParamValue(spec.kind, fromText && spec.isTime ? timeFromText(spec.kind, value) : value, fromText);
    if (checked === undefined) problems.push(problem(def.name, name, EXPECTED[spec.kind], value));
    else out[name] = checked;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, params: out };
}
