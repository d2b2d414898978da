import type { EnvelopeParse } from './envelope.js';

/*
 * Dovecot's tab escaping (lib/strescape.c str_append_tabescaped): \x01 is the escape
 * character; \x010 = NUL, \x011 = \x01, \x01t = TAB, \x01r = CR, \x01n = LF. A string
 * list is its escaped items joined by TAB, then escaped again, so one unescape
 * leaves the items joined by TAB (and each item still escaped once).
 */
const ESCAPES: Readonly<Record<string, string>> = { '0': '\u0000', '1': '\u0001', t: '\t', r: '\r', n: '\n' };

/** Removes one level of tab escaping; undefined when an escape is broken. */
export function tabUnescape(text: string): string | undefined {
  if (!text.includes('\u0001')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\u0001') {
      out += c;
      continue;
    }
    const replacement = ESCAPES[text[i + 1]];
    if (replacement === undefined) return undefined;
    out += replacement;
    i++;
  }
  return out;
}

interface Collected {
  name?: string;
  hostname?: string;
  startTime?: string;
  endTime?: string;
  categories: string[];
  fields: Record<string, string>;
}

type TokenResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

function collect(into: Collected, token: string): TokenResult {
  const colon = token.indexOf(':');
  if (colon < 0) return { ok: false, message: `no "key:" prefix in ${JSON.stringify(token.slice(0, 40))}` };
  const key = token.slice(0, colon);
  const raw = token.slice(colon + 1);
  const value = tabUnescape(raw);
  if (value === undefined) return { ok: false, message: `broken \\x01 escape in ${key}` };
  switch (key) {
    case 'event': into.name = value; break;
    case 'hostname': into.hostname = value; break;
    case 'start_time': into.startTime = value; break;
    case 'end_time': into.endTime = value; break;
    case 'category': into.categories.push(value); break;
    case 'field': {
      const eq = value.indexOf('=');
      if (eq <= 0) return { ok: false, message: `field without "name=" in ${JSON.stringify(value.slice(0, 40))}` };
      into.fields[value.slice(0, eq)] = value.slice(eq + 1);
      break;
    }
    default: return { ok: false, message: `unknown key "${key.slice(0, 40)}"` };
  }
  return { ok: true };
}

/** A `format = tab-text` body: TAB-separated `key:value` tokens, one event per request. */
export function parseDovecotTabText(text: string): EnvelopeParse {
  const into: Collected = { categories: [], fields: Object.create(null) as Record<string, string> };
  const body = text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
  let offset = 0;
  for (const token of body.split('\t')) {
    const result = collect(into, token);
    if (!result.ok) return { ok: false, reason: 'malformed', message: `Dovecot tab-text at byte ${offset}: ${result.message}`, offset };
    offset += Buffer.byteLength(token) + 1;
  }
  if (into.name === undefined || into.name === '') {
    return { ok: false, reason: 'not_an_event', message: 'Dovecot tab-text body: no "event:" (the name); set exporter_include to include name' };
  }
  return {
    ok: true,
    envelope: {
      name: into.name,
      hostname: into.hostname,
      startTime: into.startTime,
      endTime: into.endTime,
      categories: into.categories,
      fields: { ...into.fields },
      fromText: true,
    },
  };
}
