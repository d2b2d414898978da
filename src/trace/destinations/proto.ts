/**
 * Transport names (as stored in from_proto/to_proto) and the IP protocol
 * numbers HEP carries in chunk 0x0002. Kamailio and OpenSIPS send TLS, WS and
 * WSS as TCP (6); IPPROTO_IDP (22) is what some Kamailio versions use for TLS.
 */
const BY_NUMBER: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 22: 'tls', 132: 'sctp' };
const BY_NAME: Readonly<Record<string, number>> = { udp: 17, tcp: 6, tls: 6, ws: 6, wss: 6, sctp: 132 };

/** `udp`, `tcp`, `tls`, `sctp`; other numbers as `ipN` (at most 5 characters, as the column allows). */
export function protoName(ipProtocol: number): string {
  return BY_NUMBER[ipProtocol] ?? `ip${ipProtocol & 0xff}`;
}

/** The IP protocol number for a transport name; UDP when unknown. */
export function ipProtocolOf(proto: string): number {
  return BY_NAME[proto.toLowerCase()] ?? 17;
}
