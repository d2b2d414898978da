/*
 * Splits a byte stream of back-to-back JSON objects (OpenSIPS event_stream has no
 * framing: `{…}{…}` or `{…}\n{…}`) into one text per object, by tracking depth,
 * strings and escapes. Bytes between objects that are not whitespace are skipped
 * and counted; an object larger than `maxObjectBytes` fails the stream, since a
 * peer that never closes its brace would otherwise grow the buffer forever.
 */

const OPEN = 0x7b; const CLOSE = 0x7d; const OPEN_ARRAY = 0x5b; const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22; const BACKSLASH = 0x5c;

export class JsonObjectStream {
  readonly #maxObjectBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** Stray bytes outside any object. */
  skippedBytes = 0;

  constructor(maxObjectBytes: number) {
    this.#maxObjectBytes = maxObjectBytes;
  }

  /**
   * Returns the objects completed by `chunk`, as text.
   * @throws Error when one object exceeds `maxObjectBytes`.
   */
  push(chunk: Buffer): string[] {
    const out: string[] = [];
    let start = this.#depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.#depth === 0) {
        if (byte === OPEN) {
          start = i;
          this.#depth = 1;
        } else if (byte > 0x20) this.skippedBytes++;
        continue;
      }
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (byte === BACKSLASH) this.#escaped = true;
        else if (byte === QUOTE) this.#inString = false;
      } else if (byte === QUOTE) this.#inString = true;
      else if (byte === OPEN || byte === OPEN_ARRAY) this.#depth++;
      else if ((byte === CLOSE || byte === CLOSE_ARRAY) && --this.#depth === 0) {
        this.#pending.push(chunk.subarray(start, i + 1));
        out.push(Buffer.concat(this.#pending).toString('utf8'));
        this.#pending = [];
        this.#pendingBytes = 0;
        start = -1;
      }
    }
    if (this.#depth > 0) {
      const rest = chunk.subarray(start);
      this.#pendingBytes += rest.length;
      if (this.#pendingBytes > this.#maxObjectBytes) throw new Error(`a JSON object from the peer exceeds ${this.#maxObjectBytes} bytes`);
      this.#pending.push(rest);
    }
    return out;
  }
}
