import type { IngestContext } from '../ingest/context.js';
import { parseOpensipsJsonRpc, type OpensipsMessage } from './parse-jsonrpc.js';
import { parseOpensipsText } from './parse-text.js';

/** One event_datagram payload: JSON-RPC (OpenSIPS ≥ 3.1) when it starts with `{`, else the ≤ 3.0 text format. */
export function parseOpensipsDatagram(payload: Buffer | string, ctx: IngestContext): OpensipsMessage {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  if (text.trimStart().startsWith('{')) return parseOpensipsJsonRpc(text, ctx);
  return { outcome: parseOpensipsText(text, ctx), requestId: undefined };
}
