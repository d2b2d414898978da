import type { IngestContext } from '../ingest/context.js';
import { rejected, type ParseOutcome } from '../ingest/outcome.js';
import { resolveEvent } from '../ingest/resolve.js';
import { namePositional } from './positional.js';

/*
 * event_datagram up to OpenSIPS 3.0:
 *   NAME\n
 *   [name::]value\n      one line per param; a value containing \n is written as
 *   ...                  "…" with inner quotes escaped by a backslash
 *   \n                   an empty line ends the event
 */

interface Param {
  readonly name: string | undefined;
  readonly value: string;
}

type Scan = { readonly ok: true; readonly value: string; readonly next: number } | { readonly ok: false; readonly message: string };

/** A quoted value starting at `start` (the opening quote): up to the closing quote and its newline. */
function scanQuoted(text: string, start: number): Scan {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      value += text[++i];
    } else if (c === '"') {
      if (i + 1 < text.length && text[i + 1] !== '\n') return { ok: false, message: `text after a closing quote at byte ${Buffer.byteLength(text.slice(0, i + 1))}` };
      return { ok: true, value, next: i + 2 };
    } else value += c;
  }
  return { ok: false, message: 'unterminated quoted value' };
}

function splitName(line: string): Param {
  const sep = line.indexOf('::');
  return sep < 0 ? { name: undefined, value: line } : { name: line.slice(0, sep), value: line.slice(sep + 2) };
}

type Scanned = { readonly ok: true; readonly name: string; readonly params: Param[] } | { readonly ok: false; readonly message: string };

function scanText(text: string): Scanned {
  const firstEnd = text.indexOf('\n');
  const name = (firstEnd < 0 ? text : text.slice(0, firstEnd)).trim();
  if (name === '') return { ok: false, message: 'no event name on the first line' };
  const params: Param[] = [];
  let pos = firstEnd < 0 ? text.length : firstEnd + 1;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const line = end < 0 ? text.slice(pos) : text.slice(pos, end);
    if (line === '') break;
    const { name: paramName, value } = splitName(line);
    if (value.startsWith('"')) {
      const quotedStart = pos + (paramName === undefined ? 0 : paramName.length + 2);
      const quoted = scanQuoted(text, quotedStart);
      if (!quoted.ok) return quoted;
      params.push({ name: paramName, value: quoted.value });
      pos = quoted.next;
    } else {
      params.push({ name: paramName, value });
      pos = end < 0 ? text.length : end + 1;
    }
  }
  return { ok: true, name, params };
}

/** One ≤ 3.0 text datagram. Params are all named or all positional, as OpenSIPS writes them. */
export function parseOpensipsText(text: string, ctx: IngestContext): ParseOutcome {
  const scanned = scanText(text);
  if (!scanned.ok) return rejected('malformed', `OpenSIPS text datagram: ${scanned.message}`);
  const named = scanned.params.every((p) => p.name !== undefined);
  let fields: Record<string, unknown>;
  if (named) fields = Object.fromEntries(scanned.params.map((p) => [p.name as string, p.value]));
  else if (scanned.params.every((p) => p.name === undefined)) {
    const positional = namePositional(ctx, scanned.name, scanned.params.map((p) => p.value));
    if (typeof positional === 'string') return rejected('invalid_params', positional);
    fields = positional;
  } else return rejected('malformed', `OpenSIPS text datagram ${scanned.name}: named and unnamed params mixed`);
  return resolveEvent(ctx, { name: scanned.name, fields, fromText: true, options: {}, untypedCategory: 'opensips', untypedLevel: 'info' });
}
