/** JSON-RPC 2.0 shapes and the error codes the management interface answers with. */
import { RPC_ERROR, type JsonRpcErrorObject } from '../runtime/mi/rpc-error.js';

export type JsonRpcId = string | number | null;

// The error codes and RpcError live with the command kit (runtime/mi/), which commands in every service use.
export { RPC_ERROR, RpcError } from '../runtime/mi/rpc-error.js';
export type { JsonRpcErrorObject } from '../runtime/mi/rpc-error.js';

export type JsonRpcResponse =
  | { readonly jsonrpc: '2.0'; readonly id: JsonRpcId; readonly result: unknown }
  | { readonly jsonrpc: '2.0'; readonly id: JsonRpcId; readonly error: JsonRpcErrorObject };

/** A request that passed the envelope checks. `id` is absent for notifications. */
export interface JsonRpcCall {
  readonly method: string;
  readonly params: unknown;
  readonly id: JsonRpcId | undefined;
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
