import type { Static, StaticDecode, TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { schemaProblems } from '../../config/schema-problems.js';
import { HeraldError } from '../../errors/herald-error.js';

/*
 * A backend's options are one TypeBox object (its schema.ts). From it come
 * the typed options, the parsing of socket query strings (`udp:h:1?format=text`),
 * and the options table of its docs page (a test keeps the page current).
 */

/** Words a query string may use for booleans besides `true`/`false`/`1`/`0` (OpenSIPS scripts write `yes`, `on`). */
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { yes: true, on: true, no: false, off: false, '': false };

function booleanWord(schema: TSchema, value: string): unknown {
  if (schema.type !== 'boolean') return value;
  const word = BOOLEAN_WORDS[value.toLowerCase()];
  return word ?? value;
}

/**
 * Socket query options (strings) checked and converted against `schema`, over
 * `defaults` (a config section, as written) and the schema's own defaults, then
 * decoded (a mode string to bits, `10m` to bytes). Every bad or unknown option is
 * reported at once.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET
 */
export function socketOptions<S extends TObject>(
  socket: string, schema: S, query: Readonly<Record<string, string>>, defaults: Readonly<Partial<Static<S>>> = {} as Partial<Static<S>>,
): StaticDecode<S> {
  const properties = schema.properties as Record<string, TSchema>;
  const problems: string[] = [];
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    // hasOwn, not `in`: `?__proto__=x` or `?toString=1` is an unknown option like any other.
    if (Object.hasOwn(properties, key)) given[key] = booleanWord(properties[key], value);
    else problems.push(`unknown option "${key}" (known: ${Object.keys(properties).join(', ')})`);
  }
  const converted = Value.Default(schema, Value.Convert(schema, { ...defaults, ...given })) as Static<S>;
  for (const problem of schemaProblems(schema, converted)) {
    const key = problem.path.replace(/^\//, '');
    const message = problem.message.charAt(0).toLowerCase() + problem.message.slice(1);
    problems.push(`option "${key}" ${message}${message.includes('(got ') ? '' : ` (got ${JSON.stringify(query[key] ?? problem.value)})`}`);
  }
  if (problems.length > 0) throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: ${problems.join('; ')}`);
  return Value.Decode(schema, converted);
}

function typeText(schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) {
    const members = schema.anyOf as TSchema[];
    return members.map((s) => (s.const !== undefined ? `\`${String(s.const)}\`` : typeText(s))).join(', ');
  }
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
