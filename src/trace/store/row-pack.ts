import type { TraceRow } from './types.js';

/*
 * Trace rows packed for the hop to the SQLite writer thread. Structured clone of row
 * objects cost the collector's main thread about 3-12 µs a row (a fifth of its time at
 * 10,000 packets/s, issue 11); one string of every text field end to end, their lengths
 * and the numbers in two transferred typed arrays cost about a quarter of that.
 */

/** The text fields, in packing order. */
const TEXT = [
  'callid', 'tracedUser', 'msg', 'method', 'status', 'fromProto', 'fromIp', 'toProto', 'toIp',
  'fromtag', 'totag', 'direction', 'node', 'fromUser', 'toUser', 'ruriUser',
] as const satisfies ReadonlyArray<keyof TraceRow>;

/** The number fields, in packing order. */
const NUMBER = ['timeUs', 'fromPort', 'toPort', 'captureId'] as const satisfies ReadonlyArray<keyof TraceRow>;

// A TraceRow field in neither list (nor traceAttrs and uid, packed apart as they may be absent) fails to compile here.
type Packed = (typeof TEXT)[number] | (typeof NUMBER)[number] | 'traceAttrs' | 'uid';
const everyFieldPacked: Record<Exclude<keyof TraceRow, Packed>, never> = {};
void everyFieldPacked;

/** Length written for a null traceAttrs or an absent uid. */
const NULL = 0xffff_ffff;
const LENGTHS_PER_ROW = TEXT.length + 2;

export interface PackedRows {
  readonly count: number;
  readonly text: string;
  readonly lengths: Uint32Array;
  readonly numbers: Float64Array;
}

export function packRows(rows: readonly TraceRow[]): PackedRows {
  const lengths = new Uint32Array(rows.length * LENGTHS_PER_ROW);
  const numbers = new Float64Array(rows.length * NUMBER.length);
  let text = '';
  let l = 0;
  let n = 0;
  for (const row of rows) {
    for (const field of TEXT) {
      const value = row[field];
      text += value;
      lengths[l++] = value.length;
    }
    for (const value of [row.traceAttrs, row.uid]) {
      if (value === null || value === undefined) lengths[l++] = NULL;
      else {
        text += value;
        lengths[l++] = value.length;
      }
    }
    for (const field of NUMBER) numbers[n++] = row[field];
  }
  return { count: rows.length, text, lengths, numbers };
}

/** The buffers to transfer (not copy) with a packed chunk. */
export function packedTransfer(packed: PackedRows): ArrayBuffer[] {
  return [packed.lengths.buffer as ArrayBuffer, packed.numbers.buffer as ArrayBuffer];
}

export function unpackRows(packed: PackedRows): TraceRow[] {
  const { text, lengths, numbers } = packed;
  const rows: TraceRow[] = [];
  let at = 0;
  let l = 0;
  let n = 0;
  for (let r = 0; r < packed.count; r++) {
    const row: Record<string, unknown> = {};
    for (const field of TEXT) {
      const length = lengths[l++];
      row[field] = text.slice(at, at + length);
      at += length;
    }
    const attrsLength = lengths[l++];
    if (attrsLength === NULL) row.traceAttrs = null;
    else {
      row.traceAttrs = text.slice(at, at + attrsLength);
      at += attrsLength;
    }
    const uidLength = lengths[l++];
    if (uidLength !== NULL) {
      row.uid = text.slice(at, at + uidLength);
      at += uidLength;
    }
    for (const field of NUMBER) row[field] = numbers[n++];
    rows.push(row as unknown as TraceRow);
  }
  return rows;
}
