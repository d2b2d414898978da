import { isHeraldError, toError, type HeraldErrorCode } from '../errors/herald-error.js';
import type { Logger } from '../log/logger.js';
import { RPC_ERROR, RpcError, type JsonRpcErrorObject } from './jsonrpc.js';
import { MiParamsError } from '../runtime/mi/params.js';

/**
 * The JSON-RPC error code each Herald error code is answered with; `data.code` always
 * carries the Herald code itself. A full Record, so a new code in errors/codes.ts is a
 * type error here until someone decides how the MI answers it (docs/errors.md shows it).
 */
export const RPC_CODE_FOR: Readonly<Record<HeraldErrorCode, number>> = {
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
  // Failures of the command's own work, not of what the caller gave: plain command failures.
  HERALD_ERR_LISTEN: RPC_ERROR.COMMAND_FAILED,
  HERALD_ERR_SLOT_MISSING: RPC_ERROR.COMMAND_FAILED,
  HERALD_ERR_SERVICE_CYCLE: RPC_ERROR.COMMAND_FAILED,
  HERALD_ERR_DUPLICATE_EVENT: RPC_ERROR.COMMAND_FAILED,
  HERALD_ERR_DUPLICATE_COMMAND: RPC_ERROR.COMMAND_FAILED,
  HERALD_ERR_PEER_UNAVAILABLE: RPC_ERROR.COMMAND_FAILED,
  HERALD_ERR_PEER_REFUSED: RPC_ERROR.COMMAND_FAILED,
  HERALD_ERR_EVENT_TOO_LARGE: RPC_ERROR.COMMAND_FAILED,
};

/** Whether a string is one of the listed codes (a foreign `HERALD_ERR_…` string is not). */
function isListedCode(code: string | undefined): code is HeraldErrorCode {
  return code !== undefined && Object.hasOwn(RPC_CODE_FOR, code);
}

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
    const rpcCode = isListedCode(code) ? RPC_CODE_FOR[code] : RPC_ERROR.COMMAND_FAILED;
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
