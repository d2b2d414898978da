import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { HeraldError } from '../../errors/herald-error.js';

/*
 * A network backend's options are one TypeBox object (its schema.ts). From it come
 * the typed options, the parsing of socket query strings (`udp:h:1?format=text`),
 * and the options table of its docs page (a test keeps the page current).
 */

/**
 * Socket query options (strings) checked and converted against `schema`, defaults
 * filled in. Every bad or unknown option is reported at once.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET
 */
export function socketOptions<S extends TObject>(socket: string, schema: S, query: Readonly<Record<string, string>>): Static<S> {
  const properties = schema.properties as Record<string, TSchema>;
  const problems: string[] = [];
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    // hasOwn, not `in`: `?__proto__=x` or `?toString=1` is an unknown option like any other.
    if (Object.hasOwn(properties, key)) given[key] = value;
    else problems.push(`unknown option "${key}" (known: ${Object.keys(properties).join(', ')})`);
  }
  const converted = Value.Default(schema, Value.Convert(schema, given));
  for (const error of Value.Errors(schema, converted)) {
    const key = error.path.replace(/^\//, '');
    problems.push(`option "${key}" ${error.message.toLowerCase()} (got ${JSON.stringify(given[key])})`);
  }
  if (problems.length > 0) throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: ${problems.join('; ')}`);
  return converted as Static<S>;
}

function typeText(schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as TSchema[]).map((s) => `\`${String(s.const)}\``).join(', ');
  return String(schema.type ?? 'any');
}

/** The options table of a backend's docs page: option, type, default, behaviour. */
export function optionsTable(schema: TObject): string {
  const rows = Object.entries(schema.properties as Record<string, TSchema>).map(([key, child]) => {
    const fallback = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    return `| \`${key}\` | ${typeText(child)} | ${fallback} | ${String(child.description ?? '').replace(/\|/g, '\\|')} |`;
  });
  return ['| option | type | default | behaviour |', '|---|---|---|---|', ...rows].join('\n');
}

const BEGIN = '<!-- options:begin (generated from the schema; `npm run docs:backends`) -->';
const END = '<!-- options:end -->';

/** `page` with the text between the options markers replaced by the table of `schema`. */
export function withOptionsTable(page: string, schema: TObject): string {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start === -1 || end < start) throw new Error(`The page has no ${BEGIN} … ${END} markers`);
  return `${page.slice(0, start + BEGIN.length)}\n${optionsTable(schema)}\n${page.slice(end)}`;
}
