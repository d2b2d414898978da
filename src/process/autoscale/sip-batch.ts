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
  /** Where and why parsing failed (0 and '' when ok): the rest of the SipParseError, so a refusal reads as on the main thread. */
  readonly errorOffset: number;
  readonly errorMessage: string;
  /** The header a missing_header / bad_header error names ('' when none). */
  readonly errorHeader: string;
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

/**
 * Parse results, column-wise: 12 string fields and 4 numbers per message. The
 * strings travel as one text plus their lengths: one string and two typed
 * arrays cross the thread boundary instead of thousands of small strings
 * (structured clone of those cost as much as a third of the parse).
 */
export interface SipBatchResult {
  readonly text: string;
  readonly lengths: Uint32Array;
  readonly numbers: Float64Array;
}

const STRINGS = 12;
const NUMBERS = 4;
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
      const e = result.error;
      strings.push(e.reason, e.message, e.header ?? '', '', '', '', '', '', '', '', '', '');
      numbers[i * NUMBERS + 3] = e.offset;
      continue;
    }
    const m = result.message;
    strings.push('', '', '', m.method ?? '', m.requestUri ?? '', m.callId, m.cseqMethod, m.fromUser, m.fromTag, m.toUser, m.toTag, m.viaBranches[0] ?? '');
    numbers[i * NUMBERS] = m.kind === 'request' ? 1 : 2;
    numbers[i * NUMBERS + 1] = m.status ?? 0;
    numbers[i * NUMBERS + 2] = m.cseqNumber;
  }
  const lengths = new Uint32Array(strings.length);
  for (let i = 0; i < strings.length; i++) lengths[i] = strings[i].length;
  return { text: strings.join(''), lengths, numbers };
}

/** Turns a batch result back into one summary per message. */
export function unpackSipBatch(result: SipBatchResult): SipSummary[] {
  const count = result.numbers.length / NUMBERS;
  const { text, lengths, numbers } = result;
  const out: SipSummary[] = new Array<SipSummary>(count);
  let at = 0;
  const field = (index: number): string => {
    const value = text.substring(at, at + lengths[index]);
    at += lengths[index];
    return value;
  };
  for (let i = 0; i < count; i++) {
    const s = i * STRINGS;
    const n = i * NUMBERS;
    const kind = KINDS[numbers[n]];
    out[i] = {
      ok: kind !== '',
      error: field(s),
      errorOffset: numbers[n + 3],
      errorMessage: field(s + 1),
      errorHeader: field(s + 2),
      kind,
      method: field(s + 3),
      status: numbers[n + 1],
      requestUri: field(s + 4),
      callId: field(s + 5),
      cseqNumber: numbers[n + 2],
      cseqMethod: field(s + 6),
      fromUser: field(s + 7),
      fromTag: field(s + 8),
      toUser: field(s + 9),
      toTag: field(s + 10),
      viaBranch: field(s + 11),
    };
  }
  return out;
}
