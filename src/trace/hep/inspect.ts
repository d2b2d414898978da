/**
 * Chunk listing for diagnostics and tests (which chunks, in which order, a
 * packet carries). Not used on the decode path, so it favours clarity.
 */
export interface HepChunkInfo {
  vendor: number;
  type: number;
  /** Offset of the chunk header within the packet. */
  offset: number;
  /** Chunk length including its 6-byte header. */
  length: number;
}

/** The chunks of a well-formed HEPv3 packet in wire order, or null when the framing is broken. */
export function listHep3Chunks(buf: Uint8Array): HepChunkInfo[] | null {
  if (buf.length < 6 || ((buf[4] << 8) | buf[5]) !== buf.length) return null;
  const out: HepChunkInfo[] = [];
  let off = 6;
  while (off < buf.length) {
    if (buf.length - off < 6) return null;
    const length = (buf[off + 4] << 8) | buf[off + 5];
    if (length < 6 || off + length > buf.length) return null;
    out.push({ vendor: (buf[off] << 8) | buf[off + 1], type: (buf[off + 2] << 8) | buf[off + 3], offset: off, length });
    off += length;
  }
  return out;
}
