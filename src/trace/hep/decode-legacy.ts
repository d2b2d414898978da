/**
 * HEPv1/v2 (legacy, UDP only), as Kamailio siptrace / sipcapture and OpenSIPS
 * proto_hep lay it out (structs hep_hdr, hep_iphdr/hep_ip6hdr, hep_timehdr):
 *
 *   0  u8   version (1 or 2)
 *   1  u8   header length = 8 + address bytes (16 for IPv4, 40 for IPv6)
 *   2  u8   address family (2 AF_INET, 10 AF_INET6)
 *   3  u8   IP protocol
 *   4  u16  source port       (network order)
 *   6  u16  destination port  (network order)
 *   8       source + destination address (4+4 or 16+16)
 *   v2 only, 12 bytes, written in the sender's host order (little-endian on
 *   every platform that runs these servers; Kamailio forces LE for the times):
 *      u32 tv_sec, u32 tv_usec, u16 capture id, 2 bytes struct padding
 *   then the captured payload up to the end of the datagram.
 */
import { formatIpv4, formatIpv6 } from './ip.js';
import { hepFail } from './util.js';
import { AF_INET, AF_INET6 } from './types.js';
import type { HepDecodeResult } from './types.js';

/** sizeof(struct hep_timehdr) with its trailing padding, as senders memcpy it. */
export const HEP2_TIME_HEADER_BYTES = 12;

export function decodeHepLegacy(buf: Buffer): HepDecodeResult {
  const len = buf.length;
  if (len < 8) return hepFail('too_short', len, `${len} bytes is shorter than the 8-byte HEPv1/v2 header`);
  const version = buf[0] === 2 ? 2 : 1;
  const family = buf[2];
  let ipLen: number;
  if (family === AF_INET) ipLen = 8;
  else if (family === AF_INET6) ipLen = 32;
  else return hepFail('bad_ip_family', 2, `unknown address family ${family}`);
  // Senders always write 8 + address bytes; checking it keeps random data that
  // happens to start with 0x01/0x02 from being accepted as HEP.
  if (buf[1] !== 8 + ipLen) {
    return hepFail('bad_header_length', 1, `header length ${buf[1]}, expected ${8 + ipLen} for this family`);
  }
  const timeOff = 8 + ipLen;
  const payloadOff = timeOff + (version === 2 ? HEP2_TIME_HEADER_BYTES : 0);
  if (len < payloadOff) return hepFail('too_short', len, `${len} bytes is shorter than the ${payloadOff}-byte HEPv${version} header`);
  const v4 = ipLen === 8;
  return {
    ok: true,
    packet: {
      version,
      ipFamily: v4 ? 4 : 6,
      protocol: buf[3],
      srcIp: v4 ? formatIpv4(buf, 8) : formatIpv6(buf, 8),
      dstIp: v4 ? formatIpv4(buf, 12) : formatIpv6(buf, 24),
      srcPort: (buf[4] << 8) | buf[5],
      dstPort: (buf[6] << 8) | buf[7],
      timeSec: version === 2 ? buf.readUInt32LE(timeOff) : 0,
      timeUsec: version === 2 ? buf.readUInt32LE(timeOff + 4) : 0,
      protoType: 1, // v1/v2 only ever carried SIP
      captureId: version === 2 ? buf.readUInt16LE(timeOff + 8) : 0,
      authKey: undefined,
      correlationId: undefined,
      nodeName: undefined,
      payload: buf.subarray(payloadOff),
      vendorChunks: undefined,
    },
  };
}
