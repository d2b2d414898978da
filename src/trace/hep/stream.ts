/**
 * HEPv3 over TCP (and TLS): the byte stream is a plain concatenation of
 * packets, framed only by the length in each 6-byte header. This framer
 * handles several packets per segment and packets split across segments,
 * and survives garbage: it reports one error for each bad run and resynchronises
 * by scanning for the next "HEP3"/"EEP3" magic.
 *
 * Memory is bounded: a packet is buffered only up to its declared length, and a
 * declared length above `maxPacketSize` is rejected at once (the u16 length
 * field caps any packet at 65535 bytes, which is the default maximum).
 */
import { decodeHep3 } from './decode.js';
import { toBuffer } from './util.js';
import type { HepDecodeResult, HepError, HepPacket } from './types.js';

/**
 * Callbacks run synchronously inside push()/end(). They must not call push()
 * or end() on the same decoder, and should not throw (an exception propagates
 * out of push() and leaves the rest of that segment unparsed).
 */
export interface HepStreamOptions {
  onPacket: (packet: HepPacket) => void;
  /** Errors carry absolute stream offsets (bytes since the decoder was created). */
  onError?: (error: HepError) => void;
  /** Largest packet accepted, 6..65535; default 65535 (the most the length field can say). */
  maxPacketSize?: number;
}

const HEADER = 6;
/**
 * Registered HEP vendor ids are 0–8 (generic, FreeSWITCH, Kamailio, OpenSIPS,
 * Asterisk, Homer, SipXecs, Yeti, Genesys). In a byte stream a chunk vendor id
 * above this marks a false packet start (garbage that happens to contain the
 * magic), which lets a bogus length be abandoned without buffering 64 KiB.
 * decodeHep (datagrams, where framing is given) does not apply this rule.
 */
const MAX_PLAUSIBLE_VENDOR = 0xff;

export class HepStreamDecoder {
  private readonly onPacket: (packet: HepPacket) => void;
  private readonly onError: (error: HepError) => void;
  private readonly maxPacketSize: number;
  private parts: Buffer[] = [];
  private partsLen = 0;
  /** Bytes that must be buffered before parsing is worth retrying. */
  private need = HEADER;
  /** Stream offset of the first buffered byte. */
  private base = 0;
  /** An error was reported for the bytes being skipped; stay quiet until the next magic. */
  private resyncing = false;

  constructor(opts: HepStreamOptions) {
    this.onPacket = opts.onPacket;
    this.onError = opts.onError ?? (() => {});
    const max = opts.maxPacketSize ?? 0xffff;
    this.maxPacketSize = Number.isFinite(max) ? Math.min(0xffff, Math.max(HEADER, Math.floor(max))) : 0xffff;
  }

  /** Bytes held while waiting for the rest of a packet. */
  get bufferedBytes(): number {
    return this.partsLen;
  }

  /**
   * Feeds the next bytes of the stream. Packets (and a partial tail) are kept
   * as views into `chunk`, not copies: do not reuse or modify a pushed buffer
   * (net.Socket hands out a fresh one per 'data' event, so that is the norm).
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const b = toBuffer(chunk);
    if (this.partsLen === 0) {
      this.process(b); // common case: no copy, packets are views into the segment
      return;
    }
    this.parts.push(b);
    this.partsLen += b.length;
    if (this.partsLen < this.need) return;
    const joined = Buffer.concat(this.parts, this.partsLen);
    this.parts = [];
    this.partsLen = 0;
    this.process(joined);
  }

  /** Call when the connection closes: a partial packet left over is reported as truncated. */
  end(): void {
    if (this.partsLen > 0 && !this.resyncing) {
      this.onError({ reason: 'truncated', offset: this.base + this.partsLen, message: `stream ended ${this.partsLen} bytes into a packet` });
    }
    this.base += this.partsLen;
    this.parts = [];
    this.partsLen = 0;
    this.need = HEADER;
    this.resyncing = false;
  }

  /** Async-iterator form: one result per packet or error, in stream order. */
  static async *iterate(source: AsyncIterable<Uint8Array>, opts: { maxPacketSize?: number } = {}): AsyncGenerator<HepDecodeResult> {
    const queue: HepDecodeResult[] = [];
    const dec = new HepStreamDecoder({
      maxPacketSize: opts.maxPacketSize,
      onPacket: (packet) => queue.push({ ok: true, packet }),
      onError: (error) => queue.push({ ok: false, error }),
    });
    for await (const chunk of source) {
      dec.push(chunk);
      while (queue.length > 0) yield queue.shift() as HepDecodeResult;
    }
    dec.end();
    while (queue.length > 0) yield queue.shift() as HepDecodeResult;
  }

  private process(buf: Buffer): void {
    const n = buf.length;
    let off = 0;
    this.need = HEADER;
    while (off < n) {
      const rem = n - off;
      if (!magicPrefixAt(buf, off, rem)) {
        if (!this.resyncing) this.fail('bad_magic', off, 'no HEP3 magic where a packet should start; resynchronising');
        const next = findMagic(buf, off + 1);
        if (next < 0) {
          off = n - trailingMagicPrefix(buf, off + 1); // keep what may be the start of a magic
          break;
        }
        off = next;
        continue;
      }
      if (rem < HEADER) break;
      this.resyncing = false; // a magic: whatever follows is a fresh candidate
      const total = (buf[off + 4] << 8) | buf[off + 5];
      if (total < HEADER) {
        this.fail('bad_total_length', off + 4, `declared length ${total} < 6`);
        off = this.skipFrom(buf, off);
        continue;
      }
      if (total > this.maxPacketSize) {
        this.fail('oversized', off + 4, `declared length ${total} exceeds the ${this.maxPacketSize}-byte maximum`);
        off = this.skipFrom(buf, off);
        continue;
      }
      if (rem < total) {
        // Reject early when the chunk headers already seen cannot belong to a
        // packet of this length, instead of buffering up to 64 KiB of garbage.
        const bad = implausibleChunkAt(buf, off, rem, total);
        if (bad >= 0) {
          const vendor = (buf[bad] << 8) | buf[bad + 1];
          const clen = (buf[bad + 4] << 8) | buf[bad + 5];
          if (vendor > MAX_PLAUSIBLE_VENDOR) this.fail('bad_vendor', bad, `chunk vendor id ${vendor} is not a HEP vendor: not a packet`);
          else if (clen < HEADER) this.fail('chunk_too_short', bad + 4, `chunk length ${clen} < 6`);
          else this.fail('chunk_overflow', bad + 4, `chunk length ${clen} runs past the declared packet length ${total}`);
          off = this.skipFrom(buf, off);
          continue;
        }
        this.need = total;
        break;
      }
      const r = decodeHep3(buf.subarray(off, off + total));
      // The vendor rule used on partial packets applies to complete ones too, so
      // that acceptance never depends on where the segments happened to split.
      const badVendor = r.ok && r.packet.vendorChunks !== undefined ? implausibleChunkAt(buf, off, total, total) : -1;
      if (badVendor >= 0) {
        this.fail('bad_vendor', badVendor, `chunk vendor id ${(buf[badVendor] << 8) | buf[badVendor + 1]} is not a HEP vendor: not a packet`);
        off = this.skipFrom(buf, off);
      } else if (r.ok) {
        this.onPacket(r.packet);
        off += total;
      } else {
        this.fail(r.error.reason, off + r.error.offset, r.error.message);
        off = this.skipFrom(buf, off);
      }
    }
    const rest = n - off;
    this.base += off;
    if (rest > 0) {
      const tail = off === 0 ? buf : buf.subarray(off);
      this.parts = [tail];
      this.partsLen = rest;
    }
  }

  /** After a bad candidate at `off`: next magic, or the tail that might start one. */
  private skipFrom(buf: Buffer, off: number): number {
    const next = findMagic(buf, off + 1);
    return next >= 0 ? next : buf.length - trailingMagicPrefix(buf, off + 1);
  }

  private fail(reason: HepError['reason'], off: number, message: string): void {
    this.resyncing = true;
    this.onError({ reason, offset: this.base + off, message });
  }
}

/** True when the bytes at off (up to 4 of them) match "HEP3" or "EEP3". */
function magicPrefixAt(b: Buffer, off: number, rem: number): boolean {
  if (b[off] !== 0x48 && b[off] !== 0x45) return false;
  return (rem < 2 || b[off + 1] === 0x45) && (rem < 3 || b[off + 2] === 0x50) && (rem < 4 || b[off + 3] === 0x33);
}

/** Offset of the next full magic at or after `from`, or -1. */
function findMagic(b: Buffer, from: number): number {
  // "EP3" is common to both magics: let the native search find it, then check the byte before.
  let i = from + 1;
  for (;;) {
    const j = b.indexOf('EP3', i, 'latin1');
    if (j < 0) return -1;
    if (j - 1 >= from && (b[j - 1] === 0x48 || b[j - 1] === 0x45)) return j - 1;
    i = j + 1;
  }
}

/** Length of the longest suffix (≤ 3 bytes, starting at or after `from`) that could begin a magic. */
function trailingMagicPrefix(b: Buffer, from: number): number {
  const n = b.length;
  for (let k = Math.min(3, n - from); k > 0; k--) if (magicPrefixAt(b, n - k, k)) return k;
  return 0;
}

/**
 * Walks the chunk headers present in a partially received packet. Returns the
 * offset of the first chunk header that cannot belong to a real packet of
 * length `total` — length < 6, past `total`, or a vendor id above
 * MAX_PLAUSIBLE_VENDOR — or -1. Lets a garbage length be rejected before
 * 64 KiB of the stream are buffered behind it.
 */
function implausibleChunkAt(b: Buffer, off: number, avail: number, total: number): number {
  let p = HEADER;
  while (p + HEADER <= avail && p < total) {
    const vendor = (b[off + p] << 8) | b[off + p + 1];
    const clen = (b[off + p + 4] << 8) | b[off + p + 5];
    if (vendor > MAX_PLAUSIBLE_VENDOR || clen < HEADER || p + clen > total) return off + p;
    p += clen;
  }
  return -1;
}
