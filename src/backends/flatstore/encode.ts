import type { EventDef } from '../../events/define.js';
import type { HeraldEvent } from '../../events/event.js';
import type { ParamKind } from '../../events/params.js';

export { delimiterProblem } from './delimiter.js';

/*
 * Flatstore line: [NAME] { DELIM VALUE }* "\n" — OpenSIPS's layout, with a
 * reversible escape instead of OpenSIPS's raw or space-replaced values. Inside a
 * value (and the name):
 *
 *   \  → \\      LF → \n      CR → \r      D → \D   (D = the delimiter's first character, a code point)
 *
 * Escaping every occurrence of the delimiter's *first character* (not only whole
 * delimiters) is what makes multi-character delimiters safe: no delimiter can then
 * start inside a value, even one that overlaps itself (`::`, `aba`).
 */

export interface FlatstoreFormat {
  readonly delimiter: string;
  readonly suppressEventName: boolean;
}

/** The delimiter's first character, a whole code point (an emoji is two UTF-16 units). */
export function leadCharacter(delimiter: string): string {
  return String.fromCodePoint(delimiter.codePointAt(0) ?? 0);
}

/** `char` as a member of a regex character class. */
export function classChar(char: string): string {
  return char.replace(/[\]\\^-]/g, '\\$&');
}

/** Builds the escape function for one delimiter. Values without special characters are returned as they are. */
export function createEscaper(delimiter: string): (value: string) => string {
  const special = new RegExp(`[\\\\\\n\\r${classChar(leadCharacter(delimiter))}]`, 'u');
  const specialAll = new RegExp(special.source, 'gu');
  const replace = (char: string) => (char === '\n' ? '\\n' : char === '\r' ? '\\r' : `\\${char}`);
  return (value) => (special.test(value) ? value.replace(specialAll, replace) : value);
}

/** `-0` keeps its sign; everything else is JavaScript's shortest round-trip form. */
function numberText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** List elements joined by `,`, with `\` and `,` inside an element escaped by `\`. */
export function joinList(items: readonly string[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    out += (i === 0 ? '' : ',') + (/[\\,]/.test(item) ? item.replace(/[\\,]/g, '\\$&') : item);
  }
  return out;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? '';
}

type ValueEncoder = (value: unknown) => string;

/** A value of an unexpected runtime type is still written, readably, never thrown on. */
function fallback(escape: (s: string) => string, value: unknown): string {
  return escape(typeof value === 'object' ? jsonText(value) : String(value));
}

function valueEncoder(kind: ParamKind, escape: (s: string) => string): ValueEncoder {
  switch (kind) {
    case 'int': case 'port': case 'duration':
      return (v) => (typeof v === 'number' ? numberText(v) : typeof v === 'bigint' ? v.toString() : fallback(escape, v));
    case 'float': case 'timestamp':
      return (v) => (typeof v === 'number' ? numberText(v) : fallback(escape, v));
    case 'bool':
      return (v) => (v === true ? '1' : v === false ? '0' : fallback(escape, v));
    case 'string': case 'ip':
      return (v) => (typeof v === 'string' ? escape(v) : fallback(escape, v));
    case 'string_list':
      return (v) => (Array.isArray(v) ? escape(joinList(v.map(String))) : fallback(escape, v));
    case 'json':
      return (v) => escape(jsonText(v));
  }
}

type LineEncoder = (event: HeraldEvent) => string;

function compileLine(def: EventDef, format: FlatstoreFormat, escape: (s: string) => string): LineEncoder {
  const names = def.paramNames;
  const encoders = names.map((name) => valueEncoder(def.params[name].kind, escape));
  const head = format.suppressEventName ? '' : escape(def.name);
  const delimiter = format.delimiter;
  // With the name suppressed the first value has no leading delimiter, even when it is empty
  // (OpenSIPS drops one more delimiter in that case and shifts every column).
  const firstSeparator = format.suppressEventName ? '' : delimiter;
  return (event) => {
    const params = event.params;
    let line = head;
    for (let i = 0; i < names.length; i++) {
      const value = params[names[i]];
      line += (i === 0 ? firstSeparator : delimiter) + (value === undefined || value === null ? '' : encoders[i](value));
    }
    return `${line}\n`;
  };
}

/** Compiles (once per event definition) and returns the line encoder for one flatstore format. */
export function createFlatstoreEncoder(format: FlatstoreFormat): LineEncoder {
  const escape = createEscaper(format.delimiter);
  const compiled = new WeakMap<EventDef, LineEncoder>();
  return (event) => {
    let encode = compiled.get(event.def);
    if (encode === undefined) {
      encode = compileLine(event.def, format, escape);
      compiled.set(event.def, encode);
    }
    return encode(event);
  };
}
