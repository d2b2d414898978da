import { wholeRecords } from './record.js';
import { closeSegment, createSegment, existingSegments, readSegment, removeSegment, saveCursor, takeCursor, type Segment } from './segments.js';

/*
 * A FIFO of journal records on disk: chunks of whole records are appended (one write in
 * flight, in order) and read back oldest first, a segment file at a time; a segment read
 * to its end is removed. Memory holds only the chunks being written and the one being
 * read. A clean close keeps the read position in a cursor; after a crash the oldest
 * segment is read again from its start (at-least-once), and a record torn by the crash
 * is skipped and counted.
 */

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

/** What the journal logs with: the daemon's logger, or a thread's stand-in that posts the lines to it. */
export interface JournalLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface ChunkJournalOptions {
  readonly dir: string;
  readonly segmentBytes?: number;
  readonly logger?: JournalLogger;
  /** Names the journal in log lines. */
  readonly name: string;
}

export interface ReadChunk {
  /** Its own ArrayBuffer, so it can be transferred. */
  readonly buffer: Buffer;
  readonly bytes: number;
  readonly records: number;
}

export class ChunkJournal {
  readonly #options: ChunkJournalOptions;
  readonly #segmentBytes: number;
  readonly #segments: Segment[];
  #nextSeq: number;
  #readOffset: number;
  /** Bytes appended (or being appended) and not yet read. */
  #heldBytes: number;
  /** Chunks appended while a write was in flight: the next write takes them all at once. */
  #pending: Buffer[] = [];
  #pendingRecords = 0;
  #writing: Promise<void> | undefined;
  #writeErrors = 0;
  #tornBytes = 0;

  private constructor(options: ChunkJournalOptions, segments: Segment[], readOffset: number) {
    this.#options = options;
    this.#segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.#segments = segments;
    this.#nextSeq = (segments.at(-1)?.seq ?? 0) + 1;
    this.#readOffset = readOffset;
    this.#heldBytes = segments.reduce((sum, segment) => sum + segment.size, 0) - readOffset;
  }

  /** Opens `dir` (created if missing) with what a previous run left in it. */
  static async open(options: ChunkJournalOptions): Promise<ChunkJournal> {
    const segments = await existingSegments(options.dir);
    const cursor = await takeCursor(options.dir);
    const offset = cursor !== undefined && cursor.seq === segments[0]?.seq ? Math.min(cursor.offset, segments[0].size) : 0;
    return new ChunkJournal(options, segments, offset);
  }

  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Records lost to failed writes (e.g. ENOSPC). */
  get writeErrors(): number {
    return this.#writeErrors;
  }

  /** Unreadable bytes skipped (records torn by a crash). */
  get tornBytes(): number {
    return this.#tornBytes;
  }

  /** Appends whole records; held from now on, written in the background (one write in flight). */
  append(chunk: Buffer, records: number): void {
    this.#heldBytes += chunk.length;
    this.#pending.push(chunk);
    this.#pendingRecords += records;
    this.#writing ??= this.#writeAll();
  }

  /** Resolves once every append so far is written (or counted as failed). */
  async flushed(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing;
  }

  /** The oldest whole records, up to `maxBytes` (at least one record); undefined when nothing is held. */
  async read(maxBytes: number): Promise<ReadChunk | undefined> {
    while (this.#heldBytes > 0) {
      const segment = this.#segments[0];
      if (segment !== undefined && this.#readOffset < segment.size) {
        const chunk = await this.#readFrom(segment, maxBytes);
        if (chunk !== undefined) return chunk;
      } else if (segment !== undefined && segment.sealed) {
        this.#segments.shift();
        this.#readOffset = 0;
        await removeSegment(segment);
      } else {
        // All that is written is read: the rest is still being written.
        await this.flushed();
        if (this.#segments.length <= 1 && (this.#segments[0]?.size ?? 0) <= this.#readOffset && this.#heldBytes > 0) {
          this.#options.logger?.error({ journal: this.#options.name, bytes: this.#heldBytes }, 'Datagram journal count out of step; reset.');
          this.#heldBytes = 0;
        }
      }
    }
    return undefined;
  }

  /** Waits for the writes, then keeps the read position for the next open (or removes the files when nothing is held). */
  async close(): Promise<void> {
    await this.flushed();
    if (this.#heldBytes === 0) {
      for (const segment of this.#segments.splice(0)) await removeSegment(segment);
      return;
    }
    for (const segment of this.#segments) await closeSegment(segment);
    const first = this.#segments[0];
    if (first !== undefined && this.#readOffset > 0) await saveCursor(this.#options.dir, { seq: first.seq, offset: this.#readOffset });
  }

  async #readFrom(segment: Segment, maxBytes: number): Promise<ReadChunk | undefined> {
    // At least one whole record fits: the largest is ~65.8 KB.
    const wanted = Math.max(maxBytes, 128 * 1024);
    const buffer = await readSegment(segment, this.#readOffset, wanted);
    const span = wholeRecords(buffer);
    const atEnd = this.#readOffset + buffer.length >= segment.size;
    if (span.records === 0 && (span.corrupt !== undefined || buffer.length === 0 || (atEnd && segment.sealed))) {
      this.#skipRest(segment, span.corrupt ?? `record cut at byte ${this.#readOffset}`);
      return undefined;
    }
    if (span.records === 0) {
      // The rest of the record is still being written.
      await this.flushed();
      return undefined;
    }
    this.#readOffset += span.bytes;
    this.#heldBytes -= span.bytes;
    return { buffer, bytes: span.bytes, records: span.records };
  }

  #skipRest(segment: Segment, reason: string): void {
    const skipped = segment.size - this.#readOffset;
    this.#tornBytes += skipped;
    this.#heldBytes -= skipped;
    this.#readOffset = segment.size;
    this.#options.logger?.warn({ journal: this.#options.name, file: segment.path, skippedBytes: skipped, reason }, 'Unreadable datagram journal bytes skipped.');
  }

  async #writeAll(): Promise<void> {
    while (this.#pending.length > 0) {
      const chunks = this.#pending;
      const records = this.#pendingRecords;
      this.#pending = [];
      this.#pendingRecords = 0;
      await this.#write(chunks, records);
    }
    this.#writing = undefined;
  }

  async #write(chunks: Buffer[], records: number): Promise<void> {
    const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    try {
      let segment = this.#segments.at(-1);
      if (segment === undefined || segment.sealed || (segment.size > 0 && segment.size + bytes > this.#segmentBytes)) {
        if (segment !== undefined && !segment.sealed) {
          segment.sealed = true;
          await segment.writer?.close();
          segment.writer = undefined;
        }
        segment = await createSegment(this.#options.dir, this.#nextSeq++);
        this.#segments.push(segment);
      }
      const writer = segment.writer;
      if (writer === undefined) throw new Error(`segment ${segment.path} is not open for writing`);
      const { bytesWritten } = await writer.writev(chunks, segment.size);
      if (bytesWritten !== bytes) throw new Error(`short write: ${bytesWritten} of ${bytes} bytes`);
      segment.size += bytes;
    } catch (error) {
      this.#heldBytes -= bytes;
      this.#writeErrors += records;
      this.#options.logger?.error({ err: error, journal: this.#options.name, dir: this.#options.dir, datagrams: records }, 'Datagram journal write failed; those datagrams are lost (counted dropped_journal_error).');
    }
  }
}
