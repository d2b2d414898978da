import type { SipSummary } from './sip-pool/sip-batch.js';
import type { TracedSip } from './message.js';
import { SIP_ERROR_REASONS, type SipErrorReason, type SipParseError } from './sip/index.js';

export type SummaryParse = { readonly ok: true; readonly sip: TracedSip } | { readonly ok: false; readonly error: SipParseError };

function isReason(reason: string): reason is SipErrorReason {
  return (SIP_ERROR_REASONS as readonly string[]).includes(reason);
}

/**
 * A SipParsePool summary as the tracer's parse result, with the fields parseSip
 * would give (requests have method and Request-URI, responses a status).
 * Undefined when the caller must parse again itself: `oversized` depends on
 * the tracer's own limit, not the pool's.
 */
export function fromSummary(summary: SipSummary): SummaryParse | undefined {
  if (!summary.ok || summary.kind === '') {
    if (!isReason(summary.error) || summary.error === 'oversized') return undefined;
    const error: SipParseError = { reason: summary.error, offset: summary.errorOffset, message: summary.errorMessage };
    if (summary.errorHeader !== '') error.header = summary.errorHeader;
    return { ok: false, error };
  }
  const common = {
    callId: summary.callId,
    cseqNumber: summary.cseqNumber,
    cseqMethod: summary.cseqMethod,
    fromUser: summary.fromUser,
    fromTag: summary.fromTag,
    toUser: summary.toUser,
    toTag: summary.toTag,
  };
  const sip: TracedSip = summary.kind === 'request'
    ? { kind: 'request', method: summary.method, requestUri: summary.requestUri, ...common }
    : { kind: 'response', status: summary.status, ...common };
  return { ok: true, sip };
}
