import { readFile } from 'node:fs/promises';
import type { Catalogue } from '../../events/catalogue.js';
import type { EventDef } from '../../events/define.js';
import type { JsonValue } from '../../events/json.js';
import type { ParamKind, ParamValue } from '../../events/params.js';
import { classChar, leadCharacter } from './encode.js';

/** One line of a flatstore file, unescaped. */
export interface FlatRecord {
  /** The event name; undefined when the file was written with suppress_event_name. */
  readonly event: string | undefined;
  /** The columns after the name, in catalogue param order. */
  readonly values: readonly string[];
  /** Named params: typed when a catalogue knows the event, else raw text when paramNames were given. */
  readonly params?: Readonly<Record<string, ParamValue | undefined>>;
}

export interface FlatReadOptions {
  /** Default `,`. */
  readonly delimiter?: string;
  readonly suppressEventName?: boolean;
  /** Names for the columns when the file carries no event names (or the catalogue does not know them). */
  readonly paramNames?: readonly string[];
  /** Decodes the columns of known events back to typed params. */
  readonly catalogue?: Catalogue;
}

/** The character escaped after a backslash at `at`, and how many UTF-16 units the pair spans. */
function unescapeAt(line: string, at: number): [string, number] {
  const code = line.codePointAt(at + 1);
  if (code === undefined) return ['\\', 1];
  const next = String.fromCodePoint(code);
  if (next === 'n') return ['\n', 2];
  if (next === 'r') return ['\r', 2];
  return [next, 1 + next.length];
}

/** Splits one line (without its `\n`) into unescaped columns. The inverse of the encoder in encode.ts. */
export function splitFlatstoreLine(line: string, delimiter = ','): string[] {
  const stops = new RegExp(`[\\\\${classChar(leadCharacter(delimiter))}]`, 'gu');
  const columns: string[] = [];
  let current = '';
  let from = 0;
  for (let match = stops.exec(line); match !== null; match = stops.exec(line)) {
    const at = match.index;
    if (line[at] === '\\') {
      const [char, span] = unescapeAt(line, at);
      current += line.slice(from, at) + char;
      from = at + span;
    } else if (line.startsWith(delimiter, at)) {
      columns.push(current + line.slice(from, at));
      current = '';
      from = at + delimiter.length;
    } else {
      continue;
    }
    stops.lastIndex = from;
  }
  columns.push(current + line.slice(from));
  return columns;
}

/** Splits a list column (`a,b\,c`) back into its items. An empty column is the empty list. */
export function splitList(text: string): string[] {
  if (text === '') return [];
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && i + 1 < text.length) current += text[++i];
    else if (char === ',') {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  return items;
}

function decodeValue(kind: ParamKind, text: string): ParamValue | undefined {
  if (text === '') return kind === 'string' || kind === 'ip' ? '' : kind === 'string_list' ? [] : undefined;
  switch (kind) {
    case 'int': {
      if (!/^-?\d+$/.test(text)) return text;
      const big = BigInt(text);
      return Number.isSafeInteger(Number(big)) ? Number(big) : big;
    }
    case 'float': case 'timestamp': case 'port': case 'duration': return Number(text);
    case 'bool': return text === '1' ? true : text === '0' ? false : text;
    case 'string': case 'ip': return text;
    case 'string_list': return splitList(text);
    case 'json':
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        return text;
      }
  }
}

/**
 * Columns back to typed params. Empty columns read as '' for string/ip params, []
 * for lists and absent for the rest: the line cannot tell absent from empty.
 */
export function decodeFlatstoreParams(def: EventDef, values: readonly string[]): Record<string, ParamValue | undefined> {
  const params: Record<string, ParamValue | undefined> = {};
  def.paramNames.forEach((name, index) => {
    const value = decodeValue(def.params[name].kind, values[index] ?? '');
    if (value !== undefined) params[name] = value;
  });
  return params;
}

function toRecord(line: string, options: FlatReadOptions): FlatRecord {
  const columns = splitFlatstoreLine(line, options.delimiter ?? ',');
  const event = options.suppressEventName === true ? undefined : columns.shift();
  const def = event === undefined ? undefined : options.catalogue?.get(event);
  if (def !== undefined) return { event, values: columns, params: decodeFlatstoreParams(def, columns) };
  if (options.paramNames !== undefined) {
    const params = Object.fromEntries(options.paramNames.map((name, i) => [name, columns[i]]));
    return { event, values: columns, params };
  }
  return { event, values: columns };
}

/** Parses flatstore text. A final line without its `\n` is torn (a crash mid-write) and skipped. */
export function parseFlatstore(text: string, options: FlatReadOptions = {}): FlatRecord[] {
  const lines = text.split('\n');
  lines.pop(); // Either '' after the last newline, or a torn line.
  return lines.map((line) => toRecord(line, options));
}

/** Reads a flatstore file; see parseFlatstore. */
export async function readFlatstore(path: string, options: FlatReadOptions = {}): Promise<FlatRecord[]> {
  return parseFlatstore(await readFile(path, 'utf8'), options);
}
