import { isHeraldError, toError, type HeraldErrorCode } from '../errors/herald-error.js';
import type { Logger } from '../log/logger.js';
import { RPC_ERROR, RpcError, type JsonRpcErrorObject } from './jsonrpc.js';
import { MiParamsError } from '../runtime/mi/params.js';

/** How each Herald error code is answered. Codes not listed are plain command failures (-32000). */
const CODE_FOR: Partial<Record<HeraldErrorCode, number>> = {
  HERALD_ERR_UNKNOWN_EVENT: RPC_ERROR.NOT_FOUND,
  HERALD_ERR_UNKNOWN_STATUS: RPC_ERROR.NOT_FOUND,
  HERALD_ERR_NOT_FOUND: RPC_ERROR.NOT_FOUND,
  HERALD_ERR_PATH_NOT_ALLOWED: RPC_ERROR.NOT_ALLOWED,
  HERALD_ERR_NOT_ALLOWED: RPC_ERROR.NOT_ALLOWED,
  HERALD_ERR_INVALID_PARAMS: RPC_ERROR.INVALID_PARAMS,
  HERALD_ERR_BAD_SOCKET: RPC_ERROR.BAD_VALUE,
  HERALD_ERR_UNKNOWN_TRANSPORT: RPC_ERROR.BAD_VALUE,
  HERALD_ERR_SUBSCRIBE: RPC_ERROR.BAD_VALUE,
  HERALD_ERR_FILTER_SYNTAX: RPC_ERROR.BAD_VALUE,
  HERALD_ERR_LIMIT: RPC_ERROR.BAD_VALUE,
  HERALD_ERR_CONFIG: RPC_ERROR.BAD_VALUE,
  HERALD_ERR_BUS_CLOSED: RPC_ERROR.UNAVAILABLE,
  HERALD_ERR_BACKEND_CLOSED: RPC_ERROR.UNAVAILABLE,
  HERALD_ERR_WRITE_TIMEOUT: RPC_ERROR.UNAVAILABLE,
};

function stringCode(error: Error): string | undefined {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns whatever a command threw into a JSON-RPC error object. Herald errors and
 * system errors (EACCES, ENOENT…) keep their message and code; anything else is a bug,
 * logged with its stack and answered as -32603.
 */
export function toRpcError(thrown: unknown, method: string, logger: Logger): JsonRpcErrorObject {
  if (thrown instanceof RpcError) return thrown.toObject();
  if (thrown instanceof MiParamsError) {
    return { code: RPC_ERROR.INVALID_PARAMS, message: thrown.message, data: { problems: thrown.problems } };
  }
  const error = toError(thrown);
  const code = stringCode(error);
  if (isHeraldError(error) || code === 'HERALD_ERR_FILTER_SYNTAX') {
    const rpcCode = CODE_FOR[code as HeraldErrorCode] ?? RPC_ERROR.COMMAND_FAILED;
    logger.debug({ method, code, message: error.message }, 'MI command refused.');
    return { code: rpcCode, message: error.message, data: { code } };
  }
  if (code !== undefined) {
    logger.warn({ method, err: error }, 'MI command failed.');
    return { code: RPC_ERROR.COMMAND_FAILED, message: error.message, data: { code } };
  }
  logger.error({ method, err: error }, 'MI command crashed.');
  return { code: RPC_ERROR.INTERNAL_ERROR, message: `Internal error: ${error.message}` };
}
