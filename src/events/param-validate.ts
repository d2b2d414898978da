import { isIP } from 'node:net';
import type { ParamKind, ParamValue } from './params.js';

/** What each kind expects, in the words error messages use. */
export const EXPECTED: Readonly<Record<ParamKind, string>> = {
  int: 'int (64-bit integer)',
  float: 'float (finite number)',
  bool: 'bool (true or false)',
  string: 'string',
  ip: 'ip (IPv4 or IPv6 address)',
  port: 'port (integer 0-65535)',
  duration: 'duration (non-negative integer, µs)',
  timestamp: 'timestamp (Unix time in seconds)',
  string_list: 'string list (array of strings)',
  json: 'json (any JSON value)',
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type Check = (value: unknown, fromText: boolean) => ParamValue | undefined;

function toInt(value: unknown, fromText: boolean): number | bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
  if (fromText && typeof value === 'string' && INT_TEXT.test(value.trim())) {
    const big = BigInt(value.trim());
    if (big < INT64_MIN || big > INT64_MAX) return undefined;
    const small = Number(big);
    return Number.isSafeInteger(small) ? small : big;
  }
  return undefined;
}

function toNumber(value: unknown, fromText: boolean): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (fromText && typeof value === 'string' && FLOAT_TEXT.test(value.trim())) return Number(value.trim());
  return undefined;
}

function toSmallInt(value: unknown, fromText: boolean, min: number, max: number): number | undefined {
  const n = toInt(value, fromText);
  return typeof n === 'number' && n >= min && n <= max ? n : undefined;
}

function isJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
  if (typeof value === 'object') return Object.values(value).every((item) => isJson(item, depth + 1));
  return false;
}

const CHECKS: Readonly<Record<ParamKind, Check>> = {
  int: toInt,
  float: toNumber,
  bool: (value, fromText) => {
    if (typeof value === 'boolean') return value;
    if (fromText && (value === 'true' || value === '1')) return true;
    if (fromText && (value === 'false' || value === '0')) return false;
    return undefined;
  },
  string: (value) => (typeof value === 'string' ? value : undefined),
  ip: (value) => (typeof value === 'string' && isIP(value) !== 0 ? value : undefined),
  port: (value, fromText) => toSmallInt(value, fromText, 0, 65535),
  duration: (value, fromText) => toSmallInt(value, fromText, 0, Number.MAX_SAFE_INTEGER),
  timestamp: (value, fromText) => toNumber(value, fromText),
  string_list: (value, fromText) => {
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
    if (fromText && typeof value === 'string') return value === '' ? [] : value.split(',');
    return undefined;
  },
  json: (value, fromText) => {
    if (fromText && typeof value === 'string') {
      try {
        return JSON.parse(value) as ParamValue;
      } catch {
        return value;
      }
    }
    return isJson(value) ? (value as ParamValue) : undefined;
  },
};

/**
 * Checks one untyped value against a kind. With `fromText`, strings are parsed
 * (CLI `key=value`, query strings); otherwise the JSON type must already match.
 * Returns undefined when the value does not fit.
 */
export function checkParamValue(kind: ParamKind, value: unknown, fromText: boolean): ParamValue | undefined {
  return CHECKS[kind](value, fromText);
}

/** Renders a received value for an error message, cut so one bad value cannot flood a log. */
export function describeReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
