/*
 * The one codec for SIP summaries crossing the thread boundary, used by the
 * worker (encode) and the main thread (decode). Each field travels in its own
 * named column: strings as one text plus their lengths, numbers in a
 * Float64Array. Few large values cross instead of thousands of small strings
 * (structured clone of those cost as much as a third of the parse), and a field
 * is always written and read by its name, never by a counted position.
 */

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

type FieldsOf<T, V> = { [K in keyof T]: T[K] extends V ? K : never }[keyof T];
/** Summary fields that travel as text (`kind` included); `ok` is derived from `kind`. */
export type SummaryStringField = FieldsOf<SipSummary, string>;
export type SummaryNumberField = FieldsOf<SipSummary, number>;

const STRING_FIELDS = [
  'error', 'errorMessage', 'errorHeader', 'kind', 'method', 'requestUri', 'callId',
  'cseqMethod', 'fromUser', 'fromTag', 'toUser', 'toTag', 'viaBranch',
] as const satisfies readonly SummaryStringField[];
const NUMBER_FIELDS = ['errorOffset', 'status', 'cseqNumber'] as const satisfies readonly SummaryNumberField[];

// A field added to SipSummary and not to the lists above fails to compile here.
type Unlisted = Exclude<SummaryStringField, (typeof STRING_FIELDS)[number]> | Exclude<SummaryNumberField, (typeof NUMBER_FIELDS)[number]>;
const everyFieldListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyFieldListed;

/** One string column: the values joined, and each value's length. */
export interface TextColumn {
  readonly text: string;
  readonly lengths: Uint32Array;
}

/** A batch of summaries as it crosses the thread boundary, one column per field. */
export interface SipSummaryColumns {
  readonly count: number;
  readonly strings: { readonly [K in SummaryStringField]: TextColumn };
  readonly numbers: { readonly [K in SummaryNumberField]: Float64Array };
}

/** Gathers summaries into columns (on the worker thread). */
export class SummaryEncoder {
  readonly #strings: { readonly [K in SummaryStringField]: string[] } = {
    error: [], errorMessage: [], errorHeader: [], kind: [], method: [], requestUri: [], callId: [],
    cseqMethod: [], fromUser: [], fromTag: [], toUser: [], toTag: [], viaBranch: [],
  };
  readonly #numbers: { readonly [K in SummaryNumberField]: number[] } = { errorOffset: [], status: [], cseqNumber: [] };
  #count = 0;

  push(summary: SipSummary): void {
    for (const field of STRING_FIELDS) this.#strings[field].push(summary[field]);
    for (const field of NUMBER_FIELDS) this.#numbers[field].push(summary[field]);
    this.#count++;
  }

  finish(): SipSummaryColumns {
    const text = (field: SummaryStringField): TextColumn => {
      const values = this.#strings[field];
      return { text: values.join(''), lengths: Uint32Array.from(values, (value) => value.length) };
    };
    const numbers = (field: SummaryNumberField): Float64Array => Float64Array.from(this.#numbers[field]);
    return {
      count: this.#count,
      strings: {
        error: text('error'), errorMessage: text('errorMessage'), errorHeader: text('errorHeader'), kind: text('kind'),
        method: text('method'), requestUri: text('requestUri'), callId: text('callId'), cseqMethod: text('cseqMethod'),
        fromUser: text('fromUser'), fromTag: text('fromTag'), toUser: text('toUser'), toTag: text('toTag'), viaBranch: text('viaBranch'),
      },
      numbers: { errorOffset: numbers('errorOffset'), status: numbers('status'), cseqNumber: numbers('cseqNumber') },
    };
  }
}

/** The buffers of a batch's columns, to transfer instead of copy. */
export function summaryTransferList(columns: SipSummaryColumns): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const field of STRING_FIELDS) out.push(columns.strings[field].lengths.buffer as ArrayBuffer);
  for (const field of NUMBER_FIELDS) out.push(columns.numbers[field].buffer as ArrayBuffer);
  return out;
}

/** Reads a text column value by value, in order. */
class TextReader {
  readonly #column: TextColumn;
  #at = 0;
  #index = 0;

  constructor(column: TextColumn) {
    this.#column = column;
  }

  next(): string {
    const length = this.#column.lengths[this.#index++];
    const value = this.#column.text.substring(this.#at, this.#at + length);
    this.#at += length;
    return value;
  }
}

function kindOf(text: string): SipSummary['kind'] {
  return text === 'request' || text === 'response' ? text : '';
}

/** Turns a batch's columns back into one summary per message (on the main thread). */
export function decodeSummaries(columns: SipSummaryColumns): SipSummary[] {
  const s = columns.strings;
  const r: { readonly [K in SummaryStringField]: TextReader } = {
    error: new TextReader(s.error), errorMessage: new TextReader(s.errorMessage), errorHeader: new TextReader(s.errorHeader),
    kind: new TextReader(s.kind), method: new TextReader(s.method), requestUri: new TextReader(s.requestUri),
    callId: new TextReader(s.callId), cseqMethod: new TextReader(s.cseqMethod), fromUser: new TextReader(s.fromUser),
    fromTag: new TextReader(s.fromTag), toUser: new TextReader(s.toUser), toTag: new TextReader(s.toTag), viaBranch: new TextReader(s.viaBranch),
  };
  const { errorOffset, status, cseqNumber } = columns.numbers;
  const out = new Array<SipSummary>(columns.count);
  for (let i = 0; i < columns.count; i++) {
    const k = kindOf(r.kind.next());
    out[i] = {
      ok: k !== '',
      kind: k,
      error: r.error.next(),
      errorOffset: errorOffset[i],
      errorMessage: r.errorMessage.next(),
      errorHeader: r.errorHeader.next(),
      method: r.method.next(),
      status: status[i],
      requestUri: r.requestUri.next(),
      callId: r.callId.next(),
      cseqNumber: cseqNumber[i],
      cseqMethod: r.cseqMethod.next(),
      fromUser: r.fromUser.next(),
      fromTag: r.fromTag.next(),
      toUser: r.toUser.next(),
      toTag: r.toTag.next(),
      viaBranch: r.viaBranch.next(),
    };
  }
  return out;
}
