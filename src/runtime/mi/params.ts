import type { MiCommand, MiParamSpec } from './command.js';

/** One problem with one param: which, what was expected, what came. */
export interface MiParamProblem {
  readonly param: string;
  readonly expected: string;
  readonly received: string;
}

/**
 * Thrown for params that do not fit the command (answered with -32602). Handlers throw it
 * too, for rules a declaration cannot say (e.g. "give event or filter").
 */
export class MiParamsError extends Error {
  readonly problems: readonly MiParamProblem[];

  constructor(problems: readonly MiParamProblem[]) {
    super(`Invalid params: ${problems.map((p) => `"${p.param}" expected ${p.expected}, received ${p.received}`).join('; ')}`);
    this.name = 'MiParamsError';
    this.problems = problems;
  }
}

const EXPECTED: Readonly<Record<MiParamSpec['type'], string>> = {
  string: 'a string',
  int: 'an integer (number or decimal string)',
  bool: 'a boolean (true/false, 1/0, yes/no)',
  object: 'an object (or a string holding a JSON object)',
  array: 'an array (or a string holding a JSON array)',
};

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);
const MAX_RECEIVED_CHARS = 60;

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_RECEIVED_CHARS ? `${text.slice(0, MAX_RECEIVED_CHARS)}…` : text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Coerces one value the lenient way OpenSIPS MI does (numbers may come as strings); undefined when it does not fit. */
function coerce(spec: MiParamSpec, value: unknown): unknown {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'int': {
      const number = typeof value === 'string' && /^-?\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : value;
      return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 0 || value === 1) return value === 1;
      if (typeof value !== 'string') return undefined;
      return TRUE_WORDS.has(value.toLowerCase()) ? true : FALSE_WORDS.has(value.toLowerCase()) ? false : undefined;
    case 'object': {
      const parsed = typeof value === 'string' ? parseJson(value) : value;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
    }
    case 'array': {
      const parsed = typeof value === 'string' ? parseJson(value) : value;
      return Array.isArray(parsed) ? parsed : undefined;
    }
  }
}

function checkOne(spec: MiParamSpec, value: unknown, problems: MiParamProblem[]): unknown {
  const coerced = coerce(spec, value);
  if (coerced === undefined) {
    problems.push({ param: spec.name, expected: EXPECTED[spec.type], received: describeValue(value) });
    return undefined;
  }
  if (spec.type === 'int' && spec.minimum !== undefined && (coerced as number) < spec.minimum) {
    problems.push({ param: spec.name, expected: `an integer ≥ ${spec.minimum}`, received: describeValue(value) });
    return undefined;
  }
  if (spec.type === 'string' && spec.enum !== undefined && !spec.enum.includes(coerced as string)) {
    problems.push({ param: spec.name, expected: `one of ${spec.enum.join(', ')}`, received: describeValue(value) });
    return undefined;
  }
  return coerced;
}

/** Positional params (OpenSIPS allows them) map onto the declaration order. */
function byName(command: MiCommand, params: unknown, problems: MiParamProblem[]): Record<string, unknown> {
  if (params === undefined) return {};
  if (!Array.isArray(params)) return params as Record<string, unknown>;
  const names = command.params.map((p) => p.name);
  if (params.length > names.length) {
    problems.push({
      param: `(position ${names.length + 1})`,
      expected: names.length === 0 ? 'no params' : `at most ${names.length} positional params (${names.join(', ')})`,
      received: `${params.length} params`,
    });
  }
  return Object.fromEntries(params.slice(0, names.length).map((value, index) => [names[index], value]));
}

/**
 * Checks and coerces a call's params against the command's declaration. Null counts as absent.
 * @throws MiParamsError listing every problem.
 */
export function checkParams(command: MiCommand, params: unknown): Record<string, unknown> {
  const problems: MiParamProblem[] = [];
  const given = byName(command, params, problems);
  const known = command.params.map((p) => p.name);
  for (const name of Object.keys(given)) {
    if (!known.includes(name)) {
      problems.push({ param: name, expected: known.length === 0 ? 'no params' : `one of the known params (${known.join(', ')})`, received: 'an unknown param' });
    }
  }
  const out: Record<string, unknown> = {};
  for (const spec of command.params) {
    const value = Object.hasOwn(given, spec.name) ? given[spec.name] : undefined;
    if (value === undefined || value === null) {
      if (spec.required === true) problems.push({ param: spec.name, expected: `${EXPECTED[spec.type]} (required)`, received: 'nothing' });
      continue;
    }
    const checked = checkOne(spec, value, problems);
    if (checked !== undefined) out[spec.name] = checked;
  }
  if (problems.length > 0) throw new MiParamsError(problems);
  return out;
}
