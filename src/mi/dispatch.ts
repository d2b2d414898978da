import type { MiCallContext } from '../runtime/mi/command.js';
import { toRpcError } from './errors.js';
import {
  checkEnvelope, isResponse, rpcError, rpcResult, RPC_ERROR,
  type JsonRpcCall, type JsonRpcErrorObject, type JsonRpcResponse,
} from './jsonrpc.js';
import { checkParams } from '../runtime/mi/params.js';
import type { MiCommandRegistry } from '../runtime/mi/registry.js';

export interface DispatchOptions {
  readonly registry: MiCommandRegistry;
  readonly ctx: MiCallContext;
  /** Most calls one batch may hold. */
  readonly maxBatch: number;
}

/** What to answer: a response, an array of them, or nothing at all (only notifications). */
export type DispatchReply = JsonRpcResponse | JsonRpcResponse[] | undefined;

/**
 * Answers one POST /mi body: parse, then a single call or a batch. Calls in a batch
 * run in order, so `subscribe` then `raise` in one batch behaves as two calls would.
 * Never throws: every failure becomes a JSON-RPC error.
 */
export async function dispatchBody(body: string, options: DispatchOptions): Promise<DispatchReply> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body) as unknown;
  } catch (error) {
    return rpcError(null, { code: RPC_ERROR.PARSE_ERROR, message: `Parse error: ${(error as Error).message}` });
  }
  if (!Array.isArray(parsed)) return runOne(parsed, options);
  if (parsed.length === 0) {
    return rpcError(null, { code: RPC_ERROR.INVALID_REQUEST, message: 'Invalid request: an empty batch' });
  }
  if (parsed.length > options.maxBatch) {
    return rpcError(null, {
      code: RPC_ERROR.INVALID_REQUEST,
      message: `Invalid request: a batch of ${parsed.length} calls is longer than mi.max_batch (${options.maxBatch})`,
    });
  }
  const responses: JsonRpcResponse[] = [];
  for (const item of parsed) {
    const response = await runOne(item, options);
    if (response !== undefined) responses.push(response);
  }
  return responses.length > 0 ? responses : undefined;
}

async function runOne(input: unknown, options: DispatchOptions): Promise<JsonRpcResponse | undefined> {
  const checked = checkEnvelope(input);
  if (isResponse(checked)) return checked;
  const outcome = await invoke(checked, options);
  // A notification (no id) never gets an answer, not even an error (JSON-RPC 2.0 §4.1).
  if (checked.id === undefined) return undefined;
  return 'error' in outcome ? rpcError(checked.id, outcome.error) : rpcResult(checked.id, outcome.result);
}

type Outcome = { readonly result: unknown } | { readonly error: JsonRpcErrorObject };

async function invoke(call: JsonRpcCall, options: DispatchOptions): Promise<Outcome> {
  const { registry, ctx } = options;
  const command = registry.get(call.method);
  if (command === undefined) {
    const suggestions = registry.suggest(call.method);
    return {
      error: {
        code: RPC_ERROR.METHOD_NOT_FOUND,
        message: suggestions.length > 0
          ? `Method not found: "${call.method}"; nearest: ${suggestions.join(', ')} (call "which" for the list)`
          : `Method not found: "${clip(call.method)}" (call "which" for the list)`,
        data: { suggestions },
      },
    };
  }
  try {
    const params = checkParams(command, call.params);
    ctx.logger.debug({ method: call.method }, 'MI call.');
    return { result: (await command.handler(params, ctx)) as unknown };
  } catch (error) {
    return { error: toRpcError(error, call.method, ctx.logger) };
  }
}

/** A method name echoed in an error is cut, so a huge one is not sent back whole. */
function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}… (${text.length} characters)` : text;
}
