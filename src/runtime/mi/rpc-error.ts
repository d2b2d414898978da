/** The JSON-RPC errors an MI command may answer with: throw RpcError with one of RPC_ERROR's codes. */

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
