import { HeraldError } from '../../errors/herald-error.js';

/** Turns a config value or a socket query string into a typed option; throws a problem text. */
export type OptionParser<T> = (raw: unknown) => T;

class OptionProblem extends Error {}

function problem(message: string): never {
  throw new OptionProblem(message);
}

/**
 * `"644"`, `"0640"` → permission bits. Setuid, setgid and sticky are refused
 * (`7777` made `-rwsrwsrwt` files owned by root; issue 12, point 7).
 */
export function parseOctalMode(raw: unknown): number {
  const text = String(raw);
  if (!/^[0-7]{3,4}$/.test(text)) problem(`must be an octal mode such as "644" or "0640" (got ${JSON.stringify(raw)})`);
  const mode = Number.parseInt(text, 8);
  if (mode > 0o777) problem(`must be permission bits only: setuid, setgid and sticky are refused (got ${JSON.stringify(raw)})`);
  return mode;
}

/** The octal text of a mode, as configs write it (`0o640` → `"0640"`). */
export function formatMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `1048576`, `"512k"`, `"10m"`, `"1g"` → bytes (OpenSIPS's ×1024 units). */
export function parseSize(raw: unknown): number {
  const match = /^(\d+)([kmg]?)$/i.exec(String(raw).trim());
  if (match === null) problem(`must be a byte count, optionally ending in k, m or g (got ${JSON.stringify(raw)})`);
  return Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()];
}

export function parseBool(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  const text = String(raw).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(text)) return false;
  return problem(`must be true or false (got ${JSON.stringify(raw)})`);
}

export function intParser(min: number, max = Number.MAX_SAFE_INTEGER): OptionParser<number> {
  return (raw) => {
    const value = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(String(raw)) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) problem(`must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
    return value;
  };
}

export function oneOf<T extends string>(...values: readonly T[]): OptionParser<T> {
  return (raw) => {
    if (!values.includes(raw as T)) problem(`must be one of ${values.join(', ')} (got ${JSON.stringify(raw)})`);
    return raw as T;
  };
}

export function checkedString(check: (value: string) => string | undefined): OptionParser<string> {
  return (raw) => {
    const text = String(raw);
    const why = check(text);
    if (why !== undefined) problem(`${why} (got ${JSON.stringify(raw)})`);
    return text;
  };
}

/** Suffixes are appended to the file name: no directory parts. */
export const parseSuffix = checkedString((value) => (value.includes('/') ? 'must not contain "/"' : undefined));

export type OptionParsers<R> = { readonly [K in keyof R]: OptionParser<R[K]> };

/**
 * Config defaults (snake_case keys) overridden by socket query options, every value
 * parsed into `R`. Reports every bad or unknown option at once.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET
 */
export function resolveOptions<R extends object>(
  socket: string, defaults: object, query: Readonly<Record<string, string>>, parsers: OptionParsers<R>,
): R {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of Object.keys(query)) {
    if (!Object.hasOwn(parsers, key)) problems.push(`unknown option "${key}" (known: ${Object.keys(parsers).join(', ')})`);
  }
  for (const [key, parse] of Object.entries(parsers) as Array<[string, OptionParser<unknown>]>) {
    const raw = Object.hasOwn(query, key) ? query[key] : (defaults as Record<string, unknown>)[key];
    try {
      out[key] = parse(raw);
    } catch (error) {
      if (!(error instanceof OptionProblem)) throw error;
      problems.push(`option "${key}" ${error.message}`);
    }
  }
  if (problems.length > 0) throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: ${problems.join('; ')}`);
  return out as R;
}
