import { readFile } from 'node:fs/promises';
import type { Catalogue } from '../../events/catalogue.js';
import type { EventDef } from '../../events/define.js';
import type { ParamValue } from '../../events/params.js';
import type { EventRecordJson } from '../../events/serialize-json.js';
import { parseJsonExact } from './json-exact.js';

export interface JsonlReadOptions {
  /** Decodes params of known events to their kinds (int64 as bigint when beyond 2^53). */
  readonly catalogue?: Catalogue;
}

/** bigints are kept only where an int param needs them; elsewhere they become numbers. */
function numbersOnly(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(numbersOnly);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, numbersOnly(item)]));
  }
  return value;
}

/** Params of a parsed record back to typed values for `def`. */
export function decodeJsonlParams(def: EventDef | undefined, params: Readonly<Record<string, unknown>>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(params)) {
    const kind = def?.params[name]?.kind;
    out[name] = (kind === 'int' && typeof value === 'bigint' ? value : numbersOnly(value)) as ParamValue;
  }
  return out;
}

function toRecord(line: string, lineNumber: number, options: JsonlReadOptions): EventRecordJson {
  let parsed: Record<string, unknown>;
  try {
    parsed = parseJsonExact(line) as Record<string, unknown>;
  } catch (error) {
    throw new SyntaxError(`Line ${lineNumber}: ${(error as Error).message}`, { cause: error });
  }
  const { params, ...rest } = parsed;
  const def = typeof rest.type === 'string' ? options.catalogue?.get(rest.type) : undefined;
  return {
    ...(numbersOnly(rest) as Omit<EventRecordJson, 'params'>),
    params: decodeJsonlParams(def, (params ?? {}) as Record<string, unknown>),
  };
}

/** Parses JSON-lines text. A final line without its `\n` is torn (a crash mid-write) and skipped. */
export function parseJsonl(text: string, options: JsonlReadOptions = {}): EventRecordJson[] {
  const lines = text.split('\n');
  lines.pop();
  return lines.map((line, index) => toRecord(line, index + 1, options));
}

/** Reads a jsonl events file; see parseJsonl. */
export async function readJsonl(path: string, options: JsonlReadOptions = {}): Promise<EventRecordJson[]> {
  return parseJsonl(await readFile(path, 'utf8'), options);
}
