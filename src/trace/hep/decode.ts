/**
 * HEP datagram decoder: HEPv3 chunks here, v1/v2 in decode-legacy.ts.
 *
 * Hot path (one call per captured packet): no per-chunk allocation, no
 * try/catch, bytes read by index. Every length is checked against what is
 * left before it is used, so hostile input yields an error result, never a
 * throw or an out-of-range read.
 */
import { formatIpv4, formatIpv6 } from './ip.js';
import { decodeHepLegacy } from './decode-legacy.js';
import { toBuffer, hepFail } from './util.js';
import { AF_INET, AF_INET6, HepChunk as C } from './types.js';
import type { HepDecodeResult, HepVendorChunk } from './types.js';

/** Decodes one HEP datagram (v3 by magic, v1/v2 by leading version byte). */
export function decodeHep(input: Uint8Array): HepDecodeResult {
  const len = input.length;
  if (len === 0) return hepFail('empty', 0, 'empty datagram');
  const b0 = input[0];
  if ((b0 === 0x48 || b0 === 0x45) && len >= 4 && input[1] === 0x45 && input[2] === 0x50 && input[3] === 0x33) {
    return decodeHep3(toBuffer(input));
  }
  if (b0 === 1 || b0 === 2) return decodeHepLegacy(toBuffer(input));
  if (len < 4 && isMagicPrefix(input)) return hepFail('too_short', len, `${len}-byte datagram is shorter than the HEP3 header`);
  return hepFail('bad_magic', 0, `not HEP: first byte 0x${b0.toString(16).padStart(2, '0')} is neither "HEP3" nor version 1/2`);
}

function isMagicPrefix(b: Uint8Array): boolean {
  const m = [0x48, 0x45, 0x50, 0x33];
  for (let i = 0; i < b.length; i++) if (b[i] !== m[i] && !(i === 0 && b[0] === 0x45)) return false;
  return true;
}

/** HEPv3: 6-byte header ("HEP3" + total length) followed by TLV chunks. */
export function decodeHep3(buf: Buffer): HepDecodeResult {
  const len = buf.length;
  if (len < 6) return hepFail('too_short', len, `${len} bytes is shorter than the 6-byte HEP3 header`);
  if ((buf[0] !== 0x48 && buf[0] !== 0x45) || buf[1] !== 0x45 || buf[2] !== 0x50 || buf[3] !== 0x33) {
    return hepFail('bad_magic', 0, 'no "HEP3"/"EEP3" magic');
  }
  const total = (buf[4] << 8) | buf[5];
  if (total !== len) {
    return hepFail('bad_total_length', 4, `HEP3 header says ${total} bytes, datagram has ${len}`);
  }
  // Field values are collected first and turned into strings/objects once at
  // the end, so a duplicated chunk costs nothing and the result object is
  // built with one fixed shape.
  let familyRaw = -1;
  let familyOff = 0;
  let protocol = 0;
  let src4 = -1;
  let dst4 = -1;
  let src6 = -1;
  let dst6 = -1;
  let srcPort = 0;
  let dstPort = 0;
  let timeSec = 0;
  let timeUsec = 0;
  let protoType = 0;
  let captureId = 0;
  let payloadOff = -1;
  let payloadLen = 0;
  let compressed = false;
  let authKey: string | undefined;
  let correlationId: string | undefined;
  let nodeName: string | undefined;
  let extra: HepVendorChunk[] | undefined;

  let off = 6;
  while (off < len) {
    if (len - off < 6) return hepFail('chunk_overflow', off, `${len - off} trailing bytes cannot hold a chunk header`);
    const vendor = (buf[off] << 8) | buf[off + 1];
    const type = (buf[off + 2] << 8) | buf[off + 3];
    const clen = (buf[off + 4] << 8) | buf[off + 5];
    if (clen < 6) return hepFail('chunk_too_short', off + 4, `chunk ${vendor}/${type} length ${clen} < 6`);
    const end = off + clen;
    if (end > len) return hepFail('chunk_overflow', off + 4, `chunk ${vendor}/${type} length ${clen} runs past the packet end`);
    const v = off + 6;
    const vlen = clen - 6;
    // Kamailio's collector skips chunks of other vendors; their type ids are
    // the vendor's own namespace, so they are kept opaque rather than read as generic fields.
    if (vendor !== 0) {
      (extra ??= []).push({ vendor, type, value: buf.subarray(v, end) });
      off = end;
      continue;
    }
    switch (type) {
      case C.IP_FAMILY:
        if (vlen !== 1) return badSize(off, type, vlen, 1);
        familyRaw = buf[v];
        familyOff = v;
        break;
      case C.IP_PROTO:
        if (vlen !== 1) return badSize(off, type, vlen, 1);
        protocol = buf[v];
        break;
      case C.SRC_IP4:
        if (vlen !== 4) return badSize(off, type, vlen, 4);
        src4 = v;
        break;
      case C.DST_IP4:
        if (vlen !== 4) return badSize(off, type, vlen, 4);
        dst4 = v;
        break;
      case C.SRC_IP6:
        if (vlen !== 16) return badSize(off, type, vlen, 16);
        src6 = v;
        break;
      case C.DST_IP6:
        if (vlen !== 16) return badSize(off, type, vlen, 16);
        dst6 = v;
        break;
      case C.SRC_PORT:
        if (vlen !== 2) return badSize(off, type, vlen, 2);
        srcPort = (buf[v] << 8) | buf[v + 1];
        break;
      case C.DST_PORT:
        if (vlen !== 2) return badSize(off, type, vlen, 2);
        dstPort = (buf[v] << 8) | buf[v + 1];
        break;
      case C.TIME_SEC:
        if (vlen !== 4) return badSize(off, type, vlen, 4);
        timeSec = u32(buf, v);
        break;
      case C.TIME_USEC:
        if (vlen !== 4) return badSize(off, type, vlen, 4);
        timeUsec = u32(buf, v);
        break;
      case C.PROTO_TYPE:
        if (vlen !== 1) return badSize(off, type, vlen, 1);
        protoType = buf[v];
        break;
      case C.CAPTURE_ID:
        // 32-bit in v3; some agents still send the 16-bit v2 width.
        if (vlen === 4) captureId = u32(buf, v);
        else if (vlen === 2) captureId = (buf[v] << 8) | buf[v + 1];
        else return badSize(off, type, vlen, 4);
        break;
      case C.AUTH_KEY:
        authKey = buf.toString('utf8', v, end);
        break;
      case C.PAYLOAD:
        payloadOff = v;
        payloadLen = vlen;
        break;
      case C.CORRELATION_ID:
        correlationId = buf.toString('utf8', v, end);
        break;
      case C.NODE_NAME:
        nodeName = buf.toString('utf8', v, end);
        break;
      default:
        if (type === C.COMPRESSED_PAYLOAD) compressed = true;
        (extra ??= []).push({ vendor, type, value: buf.subarray(v, end) });
    }
    off = end;
  }

  let ipFamily: 4 | 6;
  if (familyRaw === AF_INET) ipFamily = 4;
  else if (familyRaw === AF_INET6) ipFamily = 6;
  else if (familyRaw !== -1) return hepFail('bad_ip_family', familyOff, `unknown address family ${familyRaw}`);
  else if (src4 >= 0 && dst4 >= 0) ipFamily = 4;
  else if (src6 >= 0 && dst6 >= 0) ipFamily = 6;
  else return hepFail('missing_chunk', len, 'no source/destination address chunks');

  let srcIp: string;
  let dstIp: string;
  if (ipFamily === 4) {
    if (src4 < 0 || dst4 < 0) return missingAddr(len, src6 >= 0 || dst6 >= 0, familyOff, 'IPv4');
    srcIp = formatIpv4(buf, src4);
    dstIp = formatIpv4(buf, dst4);
  } else {
    if (src6 < 0 || dst6 < 0) return missingAddr(len, src4 >= 0 || dst4 >= 0, familyOff, 'IPv6');
    srcIp = formatIpv6(buf, src6);
    dstIp = formatIpv6(buf, dst6);
  }
  if (payloadOff < 0) {
    return compressed
      ? hepFail('compressed_payload', len, 'payload is only in a compressed (0x0010) chunk')
      : hepFail('missing_chunk', len, 'no payload chunk (0x000f)');
  }
  return {
    ok: true,
    packet: {
      version: 3,
      ipFamily,
      protocol,
      srcIp,
      dstIp,
      srcPort,
      dstPort,
      timeSec,
      timeUsec,
      protoType,
      captureId,
      authKey,
      correlationId,
      nodeName,
      payload: buf.subarray(payloadOff, payloadOff + payloadLen),
      vendorChunks: extra,
    },
  };
}

function u32(b: Buffer, o: number): number {
  return b[o] * 0x1000000 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

function badSize(off: number, type: number, got: number, want: number): HepDecodeResult {
  return hepFail('bad_chunk_size', off + 4, `chunk 0/${type} carries ${got} bytes, expected ${want}`);
}

function missingAddr(len: number, otherFamily: boolean, familyOff: number, fam: string): HepDecodeResult {
  return otherFamily
    ? hepFail('bad_ip_family', familyOff, `family says ${fam} but the address chunks are of the other family`)
    : hepFail('missing_chunk', len, `no ${fam} source/destination address chunks`);
}
