/*
 * OpenSIPS event_stream writes JSON objects back to back, with no delimiter: the
 * OpenSIPS ingest listener reads events framed so, and the tcp: backend reads its
 * peer's replies framed so. This splits a byte stream into whole top-level objects
 * by tracking nesting depth and strings (all structural characters are ASCII, so
 * bytes are enough; multi-byte UTF-8 never contains them). Bytes between objects
 * must be whitespace; anything else is reported as malformed.
 */

export type StreamPiece =
  | { readonly ok: true; readonly text: string; readonly offset: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'too_large'; readonly message: string; readonly offset: number };

const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Splits one connection's bytes into JSON objects; feed chunks in arrival order. */
export class JsonObjectSplitter {
  readonly #maxBytes: number;
  /** Bytes of the object being read (only while it is within the limit). */
  #parts: Buffer[] = [];
  #partBytes = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** Stream offset of the current object's first byte. */
  #start = 0;
  /** Stream offset of the next byte to read. */
  #offset = 0;
  /** The current object went over the limit: skip to its end, then report it once. */
  #oversized = false;
  /** After garbage between objects: skip to the next `{`, report once. */
  #garbageAt = -1;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Bytes held for an incomplete object (what a paused socket keeps in memory). */
  get pendingBytes(): number {
    return this.#partBytes;
  }

  /**
   * The object being read has already passed the limit (it is reported `too_large`
   * only when it ends), for a reader that gives up on such a peer at once.
   */
  get overLimit(): boolean {
    return this.#oversized;
  }

  push(chunk: Buffer): StreamPiece[] {
    const out: StreamPiece[] = [];
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.#depth === 0) {
        if (byte === OPEN) {
          this.#flushGarbage(out);
          this.#begin(this.#offset + i);
          from = i;
          this.#depth = 1;
        } else if (!isSpace(byte) && this.#garbageAt < 0) this.#garbageAt = this.#offset + i;
        continue;
      }
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (byte === BACKSLASH) this.#escaped = true;
        else if (byte === QUOTE) this.#inString = false;
        continue;
      }
      if (byte === QUOTE) this.#inString = true;
      else if (byte === OPEN || byte === OPEN_ARRAY) this.#depth++;
      else if (byte === CLOSE || byte === CLOSE_ARRAY) {
        this.#depth--;
        if (this.#depth === 0) {
          this.#take(chunk.subarray(from, i + 1));
          out.push(this.#finish());
        }
      }
    }
    if (this.#depth > 0) this.#take(chunk.subarray(from));
    this.#offset += chunk.length;
    return out;
  }

  /** At end of stream: a torn object or trailing garbage is reported. */
  end(): StreamPiece[] {
    const out: StreamPiece[] = [];
    this.#flushGarbage(out);
    if (this.#depth > 0) {
      out.push({ ok: false, reason: 'malformed', message: `Stream ended inside an object that started at byte ${this.#start}`, offset: this.#start });
      this.#begin(this.#offset);
      this.#depth = 0;
    }
    return out;
  }

  #flushGarbage(out: StreamPiece[]): void {
    if (this.#garbageAt < 0) return;
    out.push({ ok: false, reason: 'malformed', message: `Expected a JSON object at byte ${this.#garbageAt}`, offset: this.#garbageAt });
    this.#garbageAt = -1;
  }

  #begin(offset: number): void {
    this.#start = offset;
    this.#parts = [];
    this.#partBytes = 0;
    this.#oversized = false;
    this.#inString = false;
    this.#escaped = false;
  }

  #take(bytes: Buffer): void {
    if (this.#oversized || bytes.length === 0) return;
    if (this.#partBytes + bytes.length > this.#maxBytes) {
      this.#oversized = true;
      this.#parts = [];
      this.#partBytes = 0;
      return;
    }
    // Copied: the socket may reuse the chunk's memory.
    this.#parts.push(Buffer.from(bytes));
    this.#partBytes += bytes.length;
  }

  #finish(): StreamPiece {
    const start = this.#start;
    if (this.#oversized) {
      this.#begin(start);
      return { ok: false, reason: 'too_large', message: `Object at byte ${start} is over the ${this.#maxBytes}-byte limit`, offset: start };
    }
    const text = Buffer.concat(this.#parts, this.#partBytes).toString('utf8');
    this.#begin(start);
    return { ok: true, text, offset: start };
  }
}
