/**
 * HEPv3 encoder. Chunk order and widths follow Kamailio's siptrace
 * (trace_send_hep3_duplicate), so a packet decoded from Kamailio re-encodes
 * byte-for-byte:
 *   family, ip proto, src/dst address (v4 3/4 or v6 5/6), src/dst port,
 *   ts sec, ts usec, proto type, capture id (u32),
 *   correlation id (0x11) if non-empty, auth key (0x0e) if non-empty,
 * then — not sent by Kamailio, placed where collectors do not care —
 *   node name (0x13) if non-empty, payload (0x0f),
 *   extra/vendor chunks last (OpenSIPS also appends its extras after the payload).
 * All generic chunks use vendor 0. Invalid input throws a RangeError: this is
 * called with our own data, where a wrong value is a programming error.
 */
import { writeIpv4, writeIpv6 } from './ip.js';
import { AF_INET, AF_INET6, HepChunk as C } from './types.js';
import type { HepPacketInput } from './types.js';

const MAX_PACKET = 0xffff;

export function encodeHep3(p: HepPacketInput): Buffer {
  const family = p.ipFamily ?? (p.srcIp.includes(':') ? 6 : 4);
  const addrLen = family === 4 ? 4 : 16;
  const payload = typeof p.payload === 'string' ? Buffer.from(p.payload, 'utf8') : p.payload;
  const corr = optText(p.correlationId);
  const auth = optText(p.authKey);
  const node = optText(p.nodeName);
  const extras = p.vendorChunks ?? [];

  let total = 6 + 7 + 7 + 2 * (6 + addrLen) + 8 + 8 + 10 + 10 + 7 + 10 + 6 + payload.length;
  if (corr) total += 6 + corr.length;
  if (auth) total += 6 + auth.length;
  if (node) total += 6 + node.length;
  for (const e of extras) total += 6 + e.value.length;
  if (total > MAX_PACKET) throw new RangeError(`HEP3 packet would be ${total} bytes; the length field allows ${MAX_PACKET}`);

  const b = Buffer.allocUnsafe(total);
  b[0] = 0x48; b[1] = 0x45; b[2] = 0x50; b[3] = 0x33; // "HEP3"
  b[4] = total >> 8; b[5] = total & 0xff;
  let o = 6;
  o = u8(b, o, C.IP_FAMILY, family === 4 ? AF_INET : AF_INET6);
  o = u8(b, o, C.IP_PROTO, check(p.protocol ?? 17, 0xff, 'protocol'));
  o = head(b, o, family === 4 ? C.SRC_IP4 : C.SRC_IP6, addrLen);
  if (!(family === 4 ? writeIpv4(p.srcIp, b, o) : writeIpv6(p.srcIp, b, o))) throw new RangeError(`srcIp ${JSON.stringify(p.srcIp)} is not an IPv${family} address`);
  o += addrLen;
  o = head(b, o, family === 4 ? C.DST_IP4 : C.DST_IP6, addrLen);
  if (!(family === 4 ? writeIpv4(p.dstIp, b, o) : writeIpv6(p.dstIp, b, o))) throw new RangeError(`dstIp ${JSON.stringify(p.dstIp)} is not an IPv${family} address`);
  o += addrLen;
  o = u16(b, o, C.SRC_PORT, check(p.srcPort, 0xffff, 'srcPort'));
  o = u16(b, o, C.DST_PORT, check(p.dstPort, 0xffff, 'dstPort'));
  o = u32(b, o, C.TIME_SEC, check(p.timeSec, 0xffffffff, 'timeSec'));
  o = u32(b, o, C.TIME_USEC, check(p.timeUsec, 0xffffffff, 'timeUsec'));
  o = u8(b, o, C.PROTO_TYPE, check(p.protoType ?? 1, 0xff, 'protoType'));
  o = u32(b, o, C.CAPTURE_ID, check(p.captureId ?? 0, 0xffffffff, 'captureId'));
  if (corr) o = bytes(b, o, 0, C.CORRELATION_ID, corr);
  if (auth) o = bytes(b, o, 0, C.AUTH_KEY, auth);
  if (node) o = bytes(b, o, 0, C.NODE_NAME, node);
  o = bytes(b, o, 0, C.PAYLOAD, payload);
  for (const e of extras) o = bytes(b, o, check(e.vendor, 0xffff, 'vendor'), check(e.type, 0xffff, 'type'), e.value);
  return b;
}

function optText(s: string | undefined): Buffer | undefined {
  return s === undefined || s.length === 0 ? undefined : Buffer.from(s, 'utf8');
}

function check(v: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${what} ${v} is not an integer in 0..${max}`);
  return v;
}

function head(b: Buffer, o: number, type: number, valueLen: number, vendor = 0): number {
  const len = 6 + valueLen;
  b[o] = vendor >> 8; b[o + 1] = vendor & 0xff;
  b[o + 2] = type >> 8; b[o + 3] = type & 0xff;
  b[o + 4] = len >> 8; b[o + 5] = len & 0xff;
  return o + 6;
}

function u8(b: Buffer, o: number, type: number, v: number): number {
  o = head(b, o, type, 1);
  b[o] = v;
  return o + 1;
}

function u16(b: Buffer, o: number, type: number, v: number): number {
  o = head(b, o, type, 2);
  b[o] = v >> 8; b[o + 1] = v & 0xff;
  return o + 2;
}

function u32(b: Buffer, o: number, type: number, v: number): number {
  o = head(b, o, type, 4);
  b.writeUInt32BE(v, o);
  return o + 4;
}

function bytes(b: Buffer, o: number, vendor: number, type: number, v: Uint8Array): number {
  o = head(b, o, type, v.length, vendor);
  b.set(v, o);
  return o + v.length;
}
