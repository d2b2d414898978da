import { closeSync, fdatasyncSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/*
 * An append-only log of records in numbered segment files, with a cursor file
 * saying how far the consumer acknowledged:
 *
 *   <dir>/00000001.seg  [u32 length][u32 crc32(payload)][payload] [length][crc][payload] …
 *   <dir>/cursor        {"segment":1,"offset":4096}   (replaced atomically: write, rename)
 *
 * A record whose length runs past the end of the file or whose checksum is wrong
 * is a torn tail (a crash mid-append): reading stops there and it is counted.
 * Segments wholly before the cursor are deleted.
 */

const HEADER_BYTES = 8;
const READ_CHUNK_BYTES = 1 << 20;
const SEGMENT = /^(\d{8})\.seg$/;

export interface Position {
  readonly segment: number;
  readonly offset: number;
}

export interface LogRecord {
  readonly payload: Buffer;
  /** Where the record after this one starts: acknowledging this record moves the cursor here. */
  readonly next: Position;
}

export interface SegmentLogOptions {
  /** A new segment is started once the current one reaches this size. */
  readonly segmentBytes: number;
  /** fdatasync after every append (acknowledged means on disk, as the file backends' fsync). */
  readonly fsync: boolean;
}

function segmentName(segment: number): string {
  return `${String(segment).padStart(8, '0')}.seg`;
}

export class SegmentLog {
  readonly #dir: string;
  readonly #options: SegmentLogOptions;
  #cursor: Position = { segment: 1, offset: 0 };
  /** The cursor as the file holds it. */
  #savedCursor: Position | undefined;
  #read: Position = { segment: 1, offset: 0 };
  #writeSegment = 1;
  #writeFd: number | undefined;
  #writeOffset = 0;
  /** Bytes per segment, for the total and for dropping the oldest. */
  readonly #sizes = new Map<number, number>();
  /** One read fd, for the segment being read: replay reads a segment start to end. */
  #readFd: { segment: number; fd: number } | undefined;
  /**
   * The first segment this run writes: records in it and later ones were written whole by this process
   * (writeSync returned), so reading them back skips the checksum, which is for what a crash left behind.
   */
  #firstOwnSegment = Number.POSITIVE_INFINITY;
  /** Torn or corrupt records found while reading. */
  corrupt = 0;

  constructor(dir: string, options: SegmentLogOptions) {
    this.#dir = dir;
    this.#options = options;
  }

  /** Opens or creates the log; reading restarts at the acknowledged cursor (replay). */
  open(): void {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const segments = readdirSync(this.#dir).map((name) => SEGMENT.exec(name)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
    try {
      const saved = JSON.parse(readFileSync(join(this.#dir, 'cursor'), 'utf8')) as Position;
      if (Number.isSafeInteger(saved.segment) && Number.isSafeInteger(saved.offset)) this.#cursor = saved;
    } catch {
      this.#cursor = { segment: segments[0] ?? 1, offset: 0 };
    }
    for (const segment of segments) {
      if (segment < this.#cursor.segment) unlinkSync(join(this.#dir, segmentName(segment)));
      else this.#sizes.set(segment, fstatSizeOf(join(this.#dir, segmentName(segment))));
    }
    this.#read = this.#cursor;
    this.#savedCursor = this.#cursor;
    // Appends go to a fresh segment, never after a torn tail.
    this.#writeSegment = Math.max(this.#cursor.segment, ...segments, 0) + (segments.length > 0 ? 1 : 0);
    this.#firstOwnSegment = this.#writeSegment;
  }

  /** Bytes not yet acknowledged (whole segments, so slightly more). */
  get bytes(): number {
    let total = 0;
    for (const size of this.#sizes.values()) total += size;
    return total - this.#cursor.offset;
  }

  /** Appends one record (synchronously: the page cache survives a SIGKILL). */
  append(payload: Buffer): void {
    this.appendMany([payload]);
  }

  /**
   * Appends records with one write per segment touched (a write per record was most of the spool's cost).
   * Returns where the record after each one starts: the `next` readNext() will give it.
   */
  appendMany(payloads: readonly Buffer[]): Position[] {
    const ends: Position[] = [];
    let frames: Buffer[] = [];
    let pending = 0;
    const write = () => {
      if (frames.length === 0) return;
      writeSync(this.#writeFd as number, frames.length === 1 ? frames[0] : Buffer.concat(frames, pending));
      if (this.#options.fsync) fdatasyncSync(this.#writeFd as number);
      this.#writeOffset += pending;
      this.#sizes.set(this.#writeSegment, this.#writeOffset);
      frames = [];
      pending = 0;
    };
    for (const payload of payloads) {
      if (this.#writeFd === undefined || this.#writeOffset + pending >= this.#options.segmentBytes) {
        write();
        this.#startSegment();
      }
      const header = Buffer.allocUnsafe(HEADER_BYTES);
      header.writeUInt32BE(payload.length, 0);
      header.writeUInt32BE(crc32(payload), 4);
      frames.push(header, payload);
      pending += HEADER_BYTES + payload.length;
      ends.push({ segment: this.#writeSegment, offset: this.#writeOffset + pending });
    }
    write();
    return ends;
  }

  /** Up to `max` records after those already read, in order. */
  readNext(max: number): LogRecord[] {
    const out: LogRecord[] = [];
    while (out.length < max) {
      const size = this.#sizes.get(this.#read.segment);
      if (size === undefined) return out;
      if (this.#read.offset >= size) {
        const next = [...this.#sizes.keys()].find((segment) => segment > this.#read.segment);
        if (next === undefined) return out;
        this.#read = { segment: next, offset: 0 };
        continue;
      }
      const records = this.#readChunk(this.#read, size, max - out.length);
      if (records.length === 0) {
        // A torn tail: nothing after it in this segment can be trusted.
        this.corrupt++;
        this.#sizes.set(this.#read.segment, this.#read.offset);
        continue;
      }
      out.push(...records);
      this.#read = records[records.length - 1].next;
    }
    return out;
  }

  /** Up to `max` whole records from one read of up to 1 MiB at `at` (or the one record there, if larger). */
  #readChunk(at: Position, size: number, max: number): LogRecord[] {
    const length = Math.min(size - at.offset, READ_CHUNK_BYTES);
    const chunk = Buffer.allocUnsafe(length);
    readSync(this.#readFdOf(at.segment), chunk, 0, length, at.offset);
    const out: LogRecord[] = [];
    let offset = 0;
    while (out.length < max && offset + HEADER_BYTES <= length) {
      const payloadBytes = chunk.readUInt32BE(offset);
      const end = offset + HEADER_BYTES + payloadBytes;
      if (end > length) break;
      const payload = chunk.subarray(offset + HEADER_BYTES, end);
      if (at.segment < this.#firstOwnSegment && crc32(payload) !== chunk.readUInt32BE(offset + 4)) break;
      out.push({ payload, next: { segment: at.segment, offset: at.offset + end } });
      offset = end;
    }
    if (out.length === 0 && offset === 0) {
      const single = this.#readAt(at, size);
      if (single !== undefined) out.push(single);
    }
    return out;
  }

  /**
   * Everything up to `position` is delivered: move the cursor. It reaches the disk on saveCursor(), or at
   * once when whole segments are finished (they are deleted, and a saved cursor never points into a deleted one).
   */
  acknowledge(position: Position): void {
    this.#cursor = position;
    const finished = [...this.#sizes.keys()].filter((segment) => segment < position.segment);
    if (finished.length === 0) return;
    this.saveCursor();
    for (const segment of finished) {
      this.#sizes.delete(segment);
      if (this.#readFd?.segment === segment) {
        closeSync(this.#readFd.fd);
        this.#readFd = undefined;
      }
      unlinkSync(join(this.#dir, segmentName(segment)));
    }
  }

  /** Writes the cursor file (write, rename) if it moved since last saved. A cursor saved late only means more to replay. */
  saveCursor(): void {
    if (this.#savedCursor === this.#cursor) return;
    const temp = join(this.#dir, 'cursor.tmp');
    writeFileSync(temp, JSON.stringify(this.#cursor));
    renameSync(temp, join(this.#dir, 'cursor'));
    this.#savedCursor = this.#cursor;
  }

  /** Drops the oldest unread segment (full spool, drop_oldest). Returns the records it held, or 0 when only the one being written is left. */
  dropOldestSegment(): number {
    const oldest = Math.min(...this.#sizes.keys());
    if (!Number.isFinite(oldest) || oldest === this.#writeSegment) return 0;
    let records = 0;
    const saved = this.#read;
    this.#read = oldest === this.#cursor.segment ? this.#cursor : { segment: oldest, offset: 0 };
    for (;;) {
      const size = this.#sizes.get(oldest) ?? 0;
      if (this.#read.segment !== oldest || this.#read.offset >= size) break;
      const record = this.#readAt(this.#read, size);
      if (record === undefined) break;
      records++;
      this.#read = record.next;
    }
    const next = [...this.#sizes.keys()].find((segment) => segment > oldest) ?? this.#writeSegment;
    this.acknowledge({ segment: next, offset: 0 });
    this.#read = saved.segment > oldest ? saved : { segment: next, offset: 0 };
    return records;
  }

  close(): void {
    if (this.#readFd !== undefined) closeSync(this.#readFd.fd);
    this.#readFd = undefined;
    if (this.#writeFd !== undefined) closeSync(this.#writeFd);
    this.#writeFd = undefined;
  }

  #startSegment(): void {
    if (this.#writeFd !== undefined) {
      closeSync(this.#writeFd);
      this.#writeSegment++;
    }
    this.#writeFd = openSync(join(this.#dir, segmentName(this.#writeSegment)), 'a', 0o600);
    this.#writeOffset = fstatSync(this.#writeFd).size;
    this.#sizes.set(this.#writeSegment, this.#writeOffset);
  }

  #readAt(at: Position, size: number): LogRecord | undefined {
    if (at.offset + HEADER_BYTES > size) return undefined;
    const fd = this.#readFdOf(at.segment);
    {
      const header = Buffer.allocUnsafe(HEADER_BYTES);
      readSync(fd, header, 0, HEADER_BYTES, at.offset);
      const length = header.readUInt32BE(0);
      if (at.offset + HEADER_BYTES + length > size) return undefined;
      const payload = Buffer.allocUnsafe(length);
      readSync(fd, payload, 0, length, at.offset + HEADER_BYTES);
      if (crc32(payload) !== header.readUInt32BE(4)) return undefined;
      return { payload, next: { segment: at.segment, offset: at.offset + HEADER_BYTES + length } };
    }
  }

  #readFdOf(segment: number): number {
    if (this.#readFd?.segment === segment) return this.#readFd.fd;
    if (this.#readFd !== undefined) closeSync(this.#readFd.fd);
    this.#readFd = { segment, fd: openSync(join(this.#dir, segmentName(segment)), 'r') };
    return this.#readFd.fd;
  }
}

function fstatSizeOf(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}
