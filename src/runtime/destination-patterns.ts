import { BlockList, isIP } from 'node:net';
import { HeraldError } from '../errors/herald-error.js';

/*
 *  Allow-lists of network destinations: where the MI may make the daemon send or connect.
 *  One parser and matcher for every list that config confines (trace.allowed_destinations
 *  for trace_start, delivery.allowed_destinations for event subscribers; issues 12 and 13).
 *
 *    pattern  HOST[:PORTS]   HOST: IPv4 address or CIDR, [IPv6] or [IPv6/prefix], a host name
 *                            (matched by name, never resolved), or *; PORTS: N, N-M or * (default)
 *    match    the port is in range, and the host is in the CIDR or is the name;
 *             multicast and broadcast only by an exact address (one send reaches many hosts)
 */

interface Pattern {
  readonly text: string;
  /** IP patterns match through this list; name patterns by `name`. */
  readonly addresses?: BlockList;
  readonly name?: string;
  /** Whether the pattern names single addresses only (needed for multicast and broadcast). */
  readonly exact: boolean;
  readonly ports: readonly [number, number];
}

function bad(key: string, text: string, why: string): never {
  throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: ${key} "${text}": ${why}`);
}

function parsePorts(text: string | undefined, key: string, whole: string): readonly [number, number] {
  if (text === undefined || text === '*') return [1, 65535];
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const low = Number(match?.[1]);
  const high = match?.[2] === undefined ? low : Number(match[2]);
  if (match === null || low < 1 || high > 65535 || low > high) bad(key, whole, 'the port must be N, N-M or * within 1..65535');
  return [low, high];
}

function everything(): BlockList {
  const list = new BlockList();
  list.addSubnet('0.0.0.0', 0, 'ipv4');
  list.addSubnet('::', 0, 'ipv6');
  return list;
}

/**
 * Parses one pattern (see the header).
 * @throws HeraldError HERALD_ERR_CONFIG naming the key and the pattern.
 */
export function parseDestinationPattern(text: string, key: string): Pattern {
  const match = /^\[([^\]]+)\](?::(.+))?$/.exec(text) ?? /^([^:[\]]+)(?::(.+))?$/.exec(text);
  if (match === null) bad(key, text, 'expected HOST[:PORT], e.g. 10.0.0.0/8:9060 or [::1]:*');
  const ports = parsePorts(match[2], key, text);
  const [host, prefixText] = match[1].split('/');
  if (host === '*') return { text, addresses: everything(), exact: false, ports };
  const family = isIP(host);
  if (family === 0) {
    if (prefixText !== undefined || !/^[A-Za-z0-9.-]+$/.test(host)) bad(key, text, 'not an address, a CIDR or a host name');
    return { text, name: host.toLowerCase(), exact: true, ports };
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const full = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? full : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > full) bad(key, text, `the prefix must be 0..${full}`);
  const addresses = new BlockList();
  addresses.addSubnet(host, prefix, type);
  return { text, addresses, exact: prefix === full, ports };
}

/** Multicast and limited broadcast: one send reaches many hosts, so only an exact pattern allows them. */
export function isGroupAddress(host: string): boolean {
  if (isIP(host) === 4) return host === '255.255.255.255' || Number(host.split('.')[0]) >= 224 && Number(host.split('.')[0]) <= 239;
  return isIP(host) === 6 && /^ff/i.test(host);
}

function matches(pattern: Pattern, host: string, port: number): boolean {
  if (port < pattern.ports[0] || port > pattern.ports[1]) return false;
  const family = isIP(host);
  if (family === 0) return pattern.name === host.toLowerCase();
  if (pattern.addresses === undefined || !pattern.addresses.check(host, family === 4 ? 'ipv4' : 'ipv6')) return false;
  return pattern.exact || !isGroupAddress(host);
}

/** `host:port`, with IPv6 in brackets. */
export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A parsed allow-list from one config key. */
export interface DestinationAllowList {
  /** The config key, e.g. `delivery.allowed_destinations`. */
  readonly key: string;
  /** Whether `host` (an IP literal or a name, unresolved) and `port` match a pattern. */
  allows(host: string, port: number): boolean;
  /** Why `host:port` is refused, naming the key and what it holds. */
  refusal(host: string, port: number): string;
}

/**
 * Parses every pattern of `key` (its entries are reported as `key[i]`).
 * @throws HeraldError HERALD_ERR_CONFIG for a bad pattern, at start, so `herald config` catches it.
 */
export function createAllowList(patterns: readonly string[], key: string): DestinationAllowList {
  const parsed = patterns.map((text, index) => parseDestinationPattern(text, `${key}[${index}]`));
  const listed = parsed.length > 0 ? parsed.map((p) => p.text).join(', ') : '(none)';
  return {
    key,
    allows: (host, port) => parsed.some((pattern) => matches(pattern, host, port)),
    refusal: (host, port) => `${formatHostPort(host, port)} is not in ${key} (${listed})`
      + `${isGroupAddress(host) ? '; a multicast or broadcast address must be listed exactly' : ''}`,
  };
}
