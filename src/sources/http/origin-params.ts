import type { EventDef } from '../../events/define.js';

/*
 * OvenMediaEngine's events.log records carry no params: what the OME pack
 * declares is inside `sourceId` (`#vhost#app/stream`) and `summary`, which the
 * pack's templates mirror ("Stream created. Id: {streamId}, ..."). Reading a
 * template backwards gives the values as text, to be typed by the catalogue.
 */

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;
const readers = new WeakMap<EventDef, { readonly pattern: RegExp; readonly names: readonly string[] } | null>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function readerFor(def: EventDef): { readonly pattern: RegExp; readonly names: readonly string[] } | null {
  let reader = readers.get(def);
  if (reader !== undefined) return reader;
  reader = null;
  if (def.summary !== undefined) {
    const parts = def.summary.split(PLACEHOLDER);
    const names = parts.filter((_, i) => i % 2 === 1);
    // Lazy groups, anchored at both ends: the literal text between placeholders decides the split.
    const source = parts.map((part, i) => (i % 2 === 1 ? '([\\s\\S]*?)' : escapeRegExp(part))).join('');
    reader = { pattern: new RegExp(`^${source}$`), names };
  }
  readers.set(def, reader);
  return reader;
}

/** `#vhost#app/stream` (stream), `#vhost#app` (application), else the virtual host name. */
function sourceNames(sourceId: string): Record<string, string> {
  const m = /^#([^#/]*)#([^/]*)(?:\/(.*))?$/.exec(sourceId);
  if (m === null) return {};
  const out: Record<string, string> = { vhost: m[1], app: m[2] };
  if (m[3] !== undefined) out.stream = m[3];
  return out;
}

/** Params of `def` recoverable from an OME record's sourceId and summary, as text. */
export function paramsFromOrigin(def: EventDef, sourceId: unknown, summary: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof sourceId === 'string') {
    for (const [name, value] of Object.entries(sourceNames(sourceId))) if (Object.hasOwn(def.params, name)) out[name] = value;
  }
  const reader = readerFor(def);
  const match = reader !== null && typeof summary === 'string' ? reader.pattern.exec(summary) : null;
  if (reader !== null && match !== null) {
    reader.names.forEach((name, i) => {
      const value = match[i + 1];
      // An empty placeholder is how an unset optional param renders.
      if (value !== '' || !def.params[name]?.isOptional) out[name] = value;
    });
  }
  return out;
}
