import { CliExit, EXIT } from './exit-codes.js';

/**
 * Parses `key=value` arguments into an object. Values stay strings (the server
 * types them); `key:=JSON` passes a JSON value as is, e.g. `params:='{"a":1}'`.
 * @throws CliExit EXIT.USAGE for a malformed pair.
 */
export function parseKeyValues(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new CliExit(EXIT.USAGE, `herald: "${pair}" is not key=value`);
    const rawKey = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (!rawKey.endsWith(':')) {
      out[rawKey] = value;
      continue;
    }
    try {
      out[rawKey.slice(0, -1)] = JSON.parse(value) as unknown;
    } catch (error) {
      throw new CliExit(EXIT.USAGE, `herald: "${pair}": the value after := must be JSON (${(error as Error).message})`);
    }
  }
  return out;
}

/** `name=value` or `name:=JSON`: what parseKeyValues takes; anything else is a positional value. */
const NAMED = /^[A-Za-z_][A-Za-z0-9_]*:?=/;

/**
 * The params of `herald mi COMMAND …`: `key=value` pairs become an object;
 * plain values (`herald mi sip_trace on`) become a positional array, which the
 * server maps onto the command's declared param order, as OpenSIPS's MI does.
 * A value that itself looks like `name=value` must then be given by name.
 * @throws CliExit EXIT.USAGE when named and positional params are mixed, or a pair is malformed.
 */
export function parseMiParams(args: readonly string[]): Record<string, unknown> | string[] | undefined {
  if (args.length === 0) return undefined;
  const named = args.filter((arg) => NAMED.test(arg));
  if (named.length === args.length) return parseKeyValues(args);
  if (named.length === 0) return [...args];
  throw new CliExit(EXIT.USAGE, `herald: give params either by position or all as key=value, not both (positional: ${
    args.filter((arg) => !NAMED.test(arg)).map((arg) => JSON.stringify(arg)).join(' ')}; named: ${named.join(' ')})`);
}

/** Parses a non-negative integer option such as --expire. */
export function parseSeconds(text: string, option: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new CliExit(EXIT.USAGE, `herald: ${option} must be a whole number of seconds, got "${text}"`);
  return Number(text);
}
