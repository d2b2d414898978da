/** JSON-RPC 2.0 shapes and the error codes the management interface answers with. */

export type JsonRpcId = string | number | null;

/** Standard codes (https://www.jsonrpc.org/specification#error_object) plus Herald's server errors. */
export const RPC_ERROR = Object.freeze({
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** The command ran and failed for a reason not listed below. */
  COMMAND_FAILED: -32000,
  /** What the command names does not exist (event, subscriber, status group). OpenSIPS answers 404. */
  NOT_FOUND: -32001,
  /** Refused by policy: a path outside files.roots. */
  NOT_ALLOWED: -32002,
  /** A value the command was given is unusable: bad socket, unknown transport, bad filter. OpenSIPS answers 400. */
  BAD_VALUE: -32003,
  /** The daemon is shutting down or a backend is closed. */
  UNAVAILABLE: -32004,
  /** Missing or wrong bearer token (sent with HTTP 401). */
  UNAUTHORIZED: -32010,
  /** Refused Origin or Host header (sent with HTTP 403). */
  FORBIDDEN: -32011,
});

export interface JsonRpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

export type JsonRpcResponse =
  | { readonly jsonrpc: '2.0'; readonly id: JsonRpcId; readonly result: unknown }
  | { readonly jsonrpc: '2.0'; readonly id: JsonRpcId; readonly error: JsonRpcErrorObject };

/** A request that passed the envelope checks. `id` is absent for notifications. */
export interface JsonRpcCall {
  readonly method: string;
  readonly params: unknown;
  readonly id: JsonRpcId | undefined;
}

/** Thrown anywhere inside a call to answer with a precise JSON-RPC error. */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }

  toObject(): JsonRpcErrorObject {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

export function rpcResult(id: JsonRpcId, result: unknown): JsonRpcResponse {
  return { jsonrpc: '2.0', id, result: result === undefined ? null : result };
}

export function rpcError(id: JsonRpcId, error: JsonRpcErrorObject): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error };
}

function isValidId(value: unknown): value is JsonRpcId {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Checks one request envelope. Returns the call, or an error response carrying the
 * request's id when it had a usable one (so a client can still match it).
 */
export function checkEnvelope(input: unknown): JsonRpcCall | JsonRpcResponse {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return rpcError(null, { code: RPC_ERROR.INVALID_REQUEST, message: 'Invalid request: expected a JSON-RPC 2.0 request object' });
  }
  const request = input as Record<string, unknown>;
  const hasId = Object.hasOwn(request, 'id');
  const id = hasId && isValidId(request.id) ? request.id : null;
  const invalid = (why: string) => rpcError(id, { code: RPC_ERROR.INVALID_REQUEST, message: `Invalid request: ${why}` });
  if (request.jsonrpc !== '2.0') return invalid('"jsonrpc" must be "2.0"');
  if (hasId && !isValidId(request.id)) return invalid('"id" must be a string, a number or null');
  if (typeof request.method !== 'string' || request.method === '') return invalid('"method" must be a non-empty string');
  const params = request.params;
  if (params !== undefined && (typeof params !== 'object' || params === null)) {
    return invalid('"params" must be an object (by name) or an array (by position)');
  }
  const extra = Object.keys(request).filter((key) => !['jsonrpc', 'id', 'method', 'params'].includes(key));
  if (extra.length > 0) return invalid(`unknown member${extra.length > 1 ? 's' : ''} ${extra.map((key) => `"${key}"`).join(', ')}`);
  return { method: request.method, params, id: hasId ? (request.id as JsonRpcId) : undefined };
}

export function isResponse(value: JsonRpcCall | JsonRpcResponse): value is JsonRpcResponse {
  return Object.hasOwn(value, 'jsonrpc');
}
