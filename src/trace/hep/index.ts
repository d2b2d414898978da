/** HEP codec: datagram decoder (v1/v2/v3), HEPv3 encoder, TCP stream framer. */
export { decodeHep, decodeHep3 } from './decode.js';
export { decodeHepLegacy } from './decode-legacy.js';
export { encodeHep3 } from './encode.js';
export { HepStreamDecoder } from './stream.js';
export type { HepStreamOptions } from './stream.js';
export { formatIpv4, formatIpv6, writeIpv4, writeIpv6 } from './ip.js';
export { listHep3Chunks } from './inspect.js';
export type { HepChunkInfo } from './inspect.js';
export { HEP_ERROR_REASONS, HepChunk, HepProtoType, AF_INET, AF_INET6 } from './types.js';
export type { HepPacket, HepPacketInput, HepDecodeResult, HepError, HepErrorReason, HepVendorChunk } from './types.js';
