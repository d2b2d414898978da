import { parseSip } from '../sip/index.js';
import { decodeSummaries, SummaryEncoder, type SipSummary, type SipSummaryColumns } from './summary-codec.js';

export type { SipSummary } from './summary-codec.js';

/** Many messages in one transferable buffer: message i is bytes[offsets[i] .. offsets[i+1]). */
export interface SipBatch {
  readonly buffer: ArrayBuffer;
  readonly offsets: Uint32Array;
}

/** Parse results of a batch, one column per summary field (summary-codec.ts). */
export type SipBatchResult = SipSummaryColumns;

const NO_MESSAGE = { kind: '', method: '', status: 0, requestUri: '', callId: '', cseqNumber: 0, cseqMethod: '', fromUser: '', fromTag: '', toUser: '', toTag: '', viaBranch: '' } as const;

/** Packs messages into one buffer the pool can transfer without copying. */
export function packSipBatch(messages: readonly Uint8Array[]): SipBatch {
  const offsets = new Uint32Array(messages.length + 1);
  let total = 0;
  for (let i = 0; i < messages.length; i++) {
    offsets[i] = total;
    total += messages[i].byteLength;
  }
  offsets[messages.length] = total;
  const buffer = new ArrayBuffer(total);
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < messages.length; i++) bytes.set(messages[i], offsets[i]);
  return { buffer, offsets };
}

/** One message's summary: the parsed fields, or the refusal. */
function summarize(bytes: Buffer): SipSummary {
  const result = parseSip(bytes);
  if (!result.ok) {
    const e = result.error;
    return { ...NO_MESSAGE, ok: false, error: e.reason, errorOffset: e.offset, errorMessage: e.message, errorHeader: e.header ?? '' };
  }
  const m = result.message;
  return {
    ok: true, error: '', errorOffset: 0, errorMessage: '', errorHeader: '',
    kind: m.kind, method: m.method ?? '', status: m.status ?? 0, requestUri: m.requestUri ?? '', callId: m.callId,
    cseqNumber: m.cseqNumber, cseqMethod: m.cseqMethod, fromUser: m.fromUser, fromTag: m.fromTag, toUser: m.toUser, toTag: m.toTag,
    viaBranch: m.viaBranches[0] ?? '',
  };
}

/** Parses a packed batch (this runs in the worker threads, and inline as the baseline). */
export function parseSipBatch(batch: SipBatch): SipBatchResult {
  const bytes = Buffer.from(batch.buffer);
  const encoder = new SummaryEncoder();
  for (let i = 0; i < batch.offsets.length - 1; i++) encoder.push(summarize(bytes.subarray(batch.offsets[i], batch.offsets[i + 1])));
  return encoder.finish();
}

/** Turns a batch result back into one summary per message. */
export function unpackSipBatch(result: SipBatchResult): SipSummary[] {
  return decodeSummaries(result);
}
