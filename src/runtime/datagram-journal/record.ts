/*
 * One journalled datagram on disk, little-endian:
 *
 *   u32 length of the rest │ f64 receive time, µs since the epoch │ u16 sender port
 *   │ u8 sender address length │ sender address (ASCII) │ the datagram
 *
 * The receive time travels with it: a raw SIP copy has no time of its own, and a HEP
 * packet that left its time at zero is stored with the time it arrived, not the time
 * it was replayed.
 */

const LENGTH_BYTES = 4;
const FIXED_AFTER_LENGTH = 8 + 2 + 1;
export const RECORD_HEADER_BYTES = LENGTH_BYTES + FIXED_AFTER_LENGTH;
/** A UDP datagram's largest payload. */
export const MAX_DATAGRAM_BYTES = 65_535;
const MAX_ADDRESS_CHARS = 255;
const MAX_LENGTH = FIXED_AFTER_LENGTH + MAX_ADDRESS_CHARS + MAX_DATAGRAM_BYTES;

export interface DatagramPeer {
  readonly address: string;
  readonly port: number;
}

export interface JournalRecord {
  readonly data: Buffer;
  readonly peer: DatagramPeer;
  readonly receivedUs: number;
  /** Bytes the record takes on disk. */
  readonly size: number;
}

export type RecordRead =
  | { readonly kind: 'record'; readonly record: JournalRecord }
  /** The bytes end inside the record: read more, or the record was torn by a crash. */
  | { readonly kind: 'partial' }
  | { readonly kind: 'corrupt'; readonly reason: string };

/** Bytes a datagram takes in the journal; undefined when it cannot be journalled (never for a real UDP datagram). */
export function recordSize(data: Uint8Array, peer: DatagramPeer): number | undefined {
  if (data.length > MAX_DATAGRAM_BYTES || peer.address.length > MAX_ADDRESS_CHARS) return undefined;
  return RECORD_HEADER_BYTES + peer.address.length + data.length;
}

/** Writes a record at `at` (room checked by the caller with recordSize); returns the offset after it. */
export function writeRecord(target: Buffer, at: number, data: Uint8Array, peer: DatagramPeer, receivedUs: number): number {
  const size = RECORD_HEADER_BYTES + peer.address.length + data.length;
  target.writeUInt32LE(size - LENGTH_BYTES, at);
  target.writeDoubleLE(receivedUs, at + 4);
  target.writeUInt16LE(peer.port, at + 12);
  target.writeUInt8(peer.address.length, at + 14);
  target.write(peer.address, at + RECORD_HEADER_BYTES, 'latin1');
  target.set(data, at + RECORD_HEADER_BYTES + peer.address.length);
  return at + size;
}

/** Reads the record at `at`. The datagram is a view of `source`, which must not be reused. */
export function readRecord(source: Buffer, at: number): RecordRead {
  if (source.length - at < LENGTH_BYTES) return { kind: 'partial' };
  const length = source.readUInt32LE(at);
  if (length < FIXED_AFTER_LENGTH || length > MAX_LENGTH) return { kind: 'corrupt', reason: `record length ${length} at byte ${at}` };
  if (source.length - at - LENGTH_BYTES < length) return { kind: 'partial' };
  const addressChars = source[at + 14];
  if (FIXED_AFTER_LENGTH + addressChars > length) return { kind: 'corrupt', reason: `address length ${addressChars} at byte ${at + 14}` };
  const dataAt = at + RECORD_HEADER_BYTES + addressChars;
  return {
    kind: 'record',
    record: {
      receivedUs: source.readDoubleLE(at + 4),
      peer: { address: source.toString('latin1', at + RECORD_HEADER_BYTES, dataAt), port: source.readUInt16LE(at + 12) },
      data: source.subarray(dataAt, at + LENGTH_BYTES + length),
      size: LENGTH_BYTES + length,
    },
  };
}

export interface RecordSpan {
  /** Bytes of the whole records at the start. */
  readonly bytes: number;
  readonly records: number;
  /** Set when the bytes after the whole records can never be a record (garbage, or a wild length). */
  readonly corrupt?: string;
}

/** How many whole records `source` starts with, without decoding them. */
export function wholeRecords(source: Buffer, length = source.length): RecordSpan {
  let at = 0;
  let records = 0;
  while (length - at >= LENGTH_BYTES) {
    const size = source.readUInt32LE(at);
    if (size < FIXED_AFTER_LENGTH || size > MAX_LENGTH) return { bytes: at, records, corrupt: `record length ${size} at byte ${at}` };
    if (length - at - LENGTH_BYTES < size) break;
    at += LENGTH_BYTES + size;
    records++;
  }
  return { bytes: at, records };
}
