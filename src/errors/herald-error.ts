/**
 * Herald's error base. Match on `code`, never on `instanceof`: a second copy of
 * the package in node_modules would break `instanceof` checks.
 */
export type HeraldErrorCode =
  | 'HERALD_ERR_UNKNOWN_EVENT'
  | 'HERALD_ERR_INVALID_PARAMS'
  | 'HERALD_ERR_DUPLICATE_EVENT'
  | 'HERALD_ERR_BAD_SOCKET'
  | 'HERALD_ERR_UNKNOWN_TRANSPORT'
  | 'HERALD_ERR_SUBSCRIBE'
  | 'HERALD_ERR_PATH_NOT_ALLOWED'
  | 'HERALD_ERR_NOT_ALLOWED'
  | 'HERALD_ERR_LIMIT'
  | 'HERALD_ERR_CONFIG'
  | 'HERALD_ERR_BACKEND_CLOSED'
  | 'HERALD_ERR_WRITE_TIMEOUT'
  | 'HERALD_ERR_BUS_CLOSED'
  | 'HERALD_ERR_UNKNOWN_STATUS'
  | 'HERALD_ERR_DUPLICATE_COMMAND'
  | 'HERALD_ERR_NOT_FOUND'
  | 'HERALD_ERR_FILTER_SYNTAX'
  | 'HERALD_ERR_EVENT_TOO_LARGE'
  | 'HERALD_ERR_PEER_REFUSED'
  | 'HERALD_ERR_PEER_UNAVAILABLE'
  | 'HERALD_ERR_SLOT_MISSING'
  | 'HERALD_ERR_SERVICE_CYCLE';

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
