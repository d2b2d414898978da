import type { TracedSip } from '../message.js';
import { uriUser } from '../sip/address.js';
import type { TraceRow } from './types.js';

/** Where and when a message was seen, and who it is traced for. */
export interface RowMeta {
  readonly timeUs: number;
  readonly direction: '' | 'in' | 'out';
  readonly fromProto: string;
  readonly fromIp: string;
  readonly fromPort: number;
  readonly toProto: string;
  readonly toIp: string;
  readonly toPort: number;
  readonly captureId: number;
  readonly node: string;
  /** One row per user; none gives one row with traced_user ''. */
  readonly users: readonly string[];
  readonly attrs: string | null;
}

/**
 * Turns one parsed SIP message into its rows: one per traced user (or one with
 * none). Values are cut to their columns when written (fit.ts), not here.
 */
export function rowsFromSip(message: TracedSip, text: string, meta: RowMeta): TraceRow[] {
  const isRequest = message.kind === 'request';
  const base = {
    timeUs: meta.timeUs,
    callid: message.callId,
    traceAttrs: meta.attrs,
    msg: text,
    method: (isRequest ? message.method : message.cseqMethod) ?? '',
    status: isRequest ? '' : String(message.status ?? ''),
    fromProto: meta.fromProto,
    fromIp: meta.fromIp,
    fromPort: meta.fromPort,
    toProto: meta.toProto,
    toIp: meta.toIp,
    toPort: meta.toPort,
    fromtag: message.fromTag,
    totag: message.toTag,
    direction: meta.direction,
    captureId: meta.captureId,
    node: meta.node,
    fromUser: message.fromUser,
    toUser: message.toUser,
    ruriUser: isRequest && message.requestUri !== undefined ? uriUser(message.requestUri) : '',
  };
  if (meta.users.length === 0) return [{ ...base, tracedUser: '' }];
  return meta.users.map((user) => ({ ...base, tracedUser: user }));
}
