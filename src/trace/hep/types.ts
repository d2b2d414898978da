/**
 * HEP (Homer Encapsulation Protocol) types shared by the decoder, encoder and
 * TCP stream framer. Wire format: docs reference §3.3 (HEPv3 spec rev 37) and
 * the legacy v1/v2 header used by Kamailio/OpenSIPS `hep_hdr`/`hep_timehdr`.
 */

/**
 * Every reason a decode can fail with. Kept as a runtime list so tests and
 * metrics can enumerate them; the type is derived from it.
 */
export const HEP_ERROR_REASONS = [
  'empty', //               zero-length input
  'too_short', //           fewer bytes than a fixed header needs
  'bad_magic', //           neither "HEP3"/"EEP3" nor a v1/v2 version byte
  'bad_total_length', //    HEP3 header length ≠ datagram length (or < 6)
  'chunk_too_short', //     chunk length < 6 (its own header)
  'chunk_overflow', //      chunk runs past the end of the packet
  'bad_chunk_size', //      fixed-size chunk (u8/u16/u32/inet4/inet6) of the wrong size
  'bad_ip_family', //       unknown family, or family chunk disagrees with the address chunks
  'bad_header_length', //   v1/v2 header length byte ≠ 8 + address bytes
  'missing_chunk', //       no addresses or no payload chunk
  'compressed_payload', //  only a 0x0010 (compressed) payload: not decoded here
  'oversized', //           stream framing: declared length above the configured maximum
  'bad_vendor', //          stream framing: a chunk header with a vendor id no HEP agent uses (length is garbage)
  'truncated', //           stream framing: input ended inside a packet
] as const;

export type HepErrorReason = (typeof HEP_ERROR_REASONS)[number];

export interface HepError {
  reason: HepErrorReason;
  /** Byte offset (within the datagram, or the stream for HepStreamDecoder) where the problem is. */
  offset: number;
  message: string;
}

export interface HepVendorChunk {
  vendor: number;
  type: number;
  value: Buffer;
}

export interface HepPacket {
  version: 1 | 2 | 3;
  ipFamily: 4 | 6;
  /** IP protocol number: 17 UDP, 6 TCP, 132 SCTP, 22 (IDP) = Kamailio's stand-in for TLS/WS. */
  protocol: number;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  timeSec: number;
  timeUsec: number;
  /** HEP payload type (chunk 0x000b): 1 SIP, 5 RTCP JSON, 100 LOG, … */
  protoType: number;
  captureId: number;
  authKey?: string;
  correlationId?: string;
  nodeName?: string;
  /** View into the decoded buffer: no copy, so it shares memory with the input. */
  payload: Buffer;
  /** Chunks without a field above (vendor ≠ 0, or generic types we do not model), in wire order. */
  vendorChunks?: HepVendorChunk[];
}

export type HepDecodeResult = { ok: true; packet: HepPacket } | { ok: false; error: HepError };

/** What `encodeHep3` needs; a decoded `HepPacket` is accepted as-is. */
export interface HepPacketInput {
  /** Defaults to 6 when srcIp contains ':' and 4 otherwise. */
  ipFamily?: 4 | 6;
  /** Defaults to 17 (UDP). */
  protocol?: number;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  timeSec: number;
  timeUsec: number;
  /** Defaults to 1 (SIP). */
  protoType?: number;
  /** Defaults to 0. */
  captureId?: number;
  authKey?: string;
  correlationId?: string;
  nodeName?: string;
  payload: Uint8Array | string;
  vendorChunks?: ReadonlyArray<{ vendor: number; type: number; value: Uint8Array }>;
}

/** Generic (vendor 0) chunk type ids from the HEPv3 spec that this codec maps to fields. */
export const HepChunk = {
  IP_FAMILY: 0x0001,
  IP_PROTO: 0x0002,
  SRC_IP4: 0x0003,
  DST_IP4: 0x0004,
  SRC_IP6: 0x0005,
  DST_IP6: 0x0006,
  SRC_PORT: 0x0007,
  DST_PORT: 0x0008,
  TIME_SEC: 0x0009,
  TIME_USEC: 0x000a,
  PROTO_TYPE: 0x000b,
  CAPTURE_ID: 0x000c,
  AUTH_KEY: 0x000e,
  PAYLOAD: 0x000f,
  COMPRESSED_PAYLOAD: 0x0010,
  CORRELATION_ID: 0x0011,
  NODE_NAME: 0x0013,
} as const;

/** Address-family numbers as they appear on the wire (Linux AF_INET / AF_INET6). */
export const AF_INET = 2;
export const AF_INET6 = 10;

/** HEP payload types used by SIP servers (chunk 0x000b). */
export const HepProtoType = { SIP: 1, RTCP_JSON: 5, LOG: 100 } as const;
