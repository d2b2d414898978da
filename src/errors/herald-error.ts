import type { HeraldErrorCode } from './codes.js';

export type { HeraldErrorCode } from './codes.js';

/**
 * Herald's error base. Match on `code`, never on `instanceof`: a second copy of
 * the package in node_modules would break `instanceof` checks. The codes and
 * their meanings are listed in codes.ts.
 */
export class HeraldError extends Error {
  readonly code: HeraldErrorCode;
  constructor(code: HeraldErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HeraldError';
    this.code = code;
  }
}

export function isHeraldError(value: unknown): value is HeraldError {
  const code: unknown = value instanceof Error ? (value as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('HERALD_ERR_');
}

/** Turns anything thrown into an Error, so results and logs always carry one. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
