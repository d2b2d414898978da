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

/** Parses a non-negative integer option such as --expire. */
export function parseSeconds(text: string, option: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new CliExit(EXIT.USAGE, `herald: ${option} must be a whole number of seconds, got "${text}"`);
  return Number(text);
}
