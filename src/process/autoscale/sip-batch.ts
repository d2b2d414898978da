import { parseSip } from '../../trace/sip/index.js';

/**
 * The compact form of a parsed SIP message that crosses the thread boundary:
 * the indexed fields the trace store needs, not the header list or body views
 * (a Buffer view would drag its whole batch buffer along when cloned). The
 * caller keeps the raw bytes it sent.
 */
export interface SipSummary {
  readonly ok: boolean;
  /** Why parsing failed ('' when ok): one of SIP_ERROR_REASONS. */
  readonly error: string;
  readonly kind: 'request' | 'response' | '';
  readonly method: string;
  readonly status: number;
  readonly requestUri: string;
  readonly callId: string;
  readonly cseqNumber: number;
  readonly cseqMethod: string;
  readonly fromUser: string;
  readonly fromTag: string;
  readonly toUser: string;
  readonly toTag: string;
  /** Branch of the topmost Via ('' when none). */
  readonly viaBranch: string;
}

/** Many messages in one transferable buffer: message i is bytes[offsets[i] .. offsets[i+1]). */
export interface SipBatch {
  readonly buffer: ArrayBuffer;
  readonly offsets: Uint32Array;
}

/** Parse results, column-wise: 10 strings and 3 numbers per message. */
export interface SipBatchResult {
  readonly strings: string[];
  readonly numbers: Float64Array;
}

const STRINGS = 10;
const NUMBERS = 3;
const KINDS = ['', 'request', 'response'] as const;

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

/** Parses a packed batch (this runs in the worker threads, and inline as the baseline). */
export function parseSipBatch(batch: SipBatch): SipBatchResult {
  const bytes = Buffer.from(batch.buffer);
  const count = batch.offsets.length - 1;
  const strings: string[] = [];
  const numbers = new Float64Array(count * NUMBERS);
  for (let i = 0; i < count; i++) {
    const result = parseSip(bytes.subarray(batch.offsets[i], batch.offsets[i + 1]));
    if (!result.ok) {
      strings.push(result.error.reason, '', '', '', '', '', '', '', '', '');
      continue;
    }
    const m = result.message;
    strings.push('', m.method ?? '', m.requestUri ?? '', m.callId, m.cseqMethod, m.fromUser, m.fromTag, m.toUser, m.toTag, m.viaBranches[0] ?? '');
    numbers[i * NUMBERS] = m.kind === 'request' ? 1 : 2;
    numbers[i * NUMBERS + 1] = m.status ?? 0;
    numbers[i * NUMBERS + 2] = m.cseqNumber;
  }
  return { strings, numbers };
}

/** Turns a batch result back into one summary per message. */
export function unpackSipBatch(result: SipBatchResult): SipSummary[] {
  const count = result.numbers.length / NUMBERS;
  const out: SipSummary[] = new Array<SipSummary>(count);
  for (let i = 0; i < count; i++) {
    const s = i * STRINGS;
    const n = i * NUMBERS;
    const kind = KINDS[result.numbers[n]];
    out[i] = {
      ok: kind !== '',
      error: result.strings[s],
      kind,
      method: result.strings[s + 1],
      status: result.numbers[n + 1],
      requestUri: result.strings[s + 2],
      callId: result.strings[s + 3],
      cseqNumber: result.numbers[n + 2],
      cseqMethod: result.strings[s + 4],
      fromUser: result.strings[s + 5],
      fromTag: result.strings[s + 6],
      toUser: result.strings[s + 7],
      toTag: result.strings[s + 8],
      viaBranch: result.strings[s + 9],
    };
  }
  return out;
}
